// The TorchScript host (see torch_host.h): nn~ models loaded and run through libtorch.
// Every entry point catches every exception and turns it into lt_last_error's message.

#include "torch_host.h"

#include <ATen/Parallel.h>
#include <torch/script.h>
#include <torch/version.h>

#include <atomic>
#include <cstring>
#include <sstream>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

struct lt_model {
  torch::jit::Module module;
  std::vector<std::string> methods;
  std::vector<std::string> attributes;
  // Every buffer's value at load, so that lt_reset can forget cached-convolution state.
  std::vector<std::pair<torch::Tensor, torch::Tensor>> initial_buffers;
};

namespace {

thread_local std::string last_error;

// at::set_num_threads reaches OpenMP only for the thread that calls it, and models are opened on
// one thread and played on another: each thread applies the wanted count before it runs a model.
std::atomic<int> wanted_threads{0};
thread_local int applied_threads = 0;

void apply_threads() {
  int wanted = wanted_threads.load(std::memory_order_relaxed);
  if (wanted > 0 && wanted != applied_threads) {
    at::set_num_threads(wanted);
    applied_threads = wanted;
  }
}

// libtorch's own messages carry a C++ backtrace and sometimes several lines: keep the first that
// says something (TorchScript's compile errors start with an empty one).
std::string first_line(const std::string& text) {
  auto start = text.find_first_not_of(" \t\r\n");
  if (start == std::string::npos) return "";
  auto end = text.find('\n', start);
  return text.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

template <typename Result, typename Work>
Result guarded(Result failed, Work&& work) {
  try {
    last_error.clear();
    return work();
  } catch (const c10::Error& e) {
    last_error = first_line(e.what_without_backtrace());
  } catch (const std::exception& e) {
    last_error = first_line(e.what());
  } catch (...) {
    last_error = "unknown C++ exception";
  }
  if (last_error.empty()) last_error = "unknown error";
  return failed;
}

std::string shape_of(const at::IntArrayRef& sizes) {
  std::ostringstream text;
  text << '[';
  for (size_t i = 0; i < sizes.size(); ++i) text << (i ? ", " : "") << sizes[i];
  text << ']';
  return text.str();
}

std::vector<std::string> string_list(torch::jit::Module& module, const char* method) {
  std::vector<std::string> names;
  if (!module.find_method(method)) return names;
  auto value = module.get_method(method)(std::vector<c10::IValue>{});
  for (const auto& item : value.toListRef()) names.push_back(item.toStringRef());
  return names;
}

// Without get_methods(), a method is whatever carries a `<method>_params` buffer, as nn~ does.
std::vector<std::string> methods_from_params(torch::jit::Module& module) {
  static const std::string suffix = "_params";
  std::vector<std::string> names;
  for (const auto& buffer : module.named_buffers(/*recurse=*/false)) {
    const std::string& name = buffer.name;
    if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
      names.push_back(name.substr(0, name.size() - suffix.size()));
  }
  return names;
}

// A tensor attribute as its shape, type and range: nn~'s wavetable.ts holds thousands of values.
std::string tensor_summary(const at::Tensor& tensor) {
  std::ostringstream text;
  text << "tensor " << shape_of(tensor.sizes()) << ' ' << c10::toString(tensor.scalar_type());
  if (tensor.numel() > 0 && !c10::isComplexType(tensor.scalar_type())) {
    auto values = tensor.detach().to(torch::kDouble);
    text << ", range " << values.min().item<double>() << " .. " << values.max().item<double>();
  }
  return text.str();
}

std::string text_of(const c10::IValue& value) {
  if (value.isString()) return value.toStringRef();
  if (value.isTensor()) return tensor_summary(value.toTensor());
  if (value.isBool()) return value.toBool() ? "true" : "false";
  std::ostringstream text;
  text << value;
  return text.str();
}

c10::IValue parse_like(const c10::IValue& current, const std::string& text) {
  if (current.isBool()) {
    if (text == "true" || text == "1") return true;
    if (text == "false" || text == "0") return false;
    throw std::invalid_argument("'" + text + "' is not a bool (true or false)");
  }
  // std::stoll and std::stod name only themselves when they fail: say what was wrong instead.
  size_t used = 0;
  if (current.isInt()) {
    int64_t value = 0;
    try { value = std::stoll(text, &used); } catch (const std::exception&) { used = 0; }
    if (used == 0 || used != text.size()) throw std::invalid_argument("'" + text + "' is not an integer");
    return value;
  }
  if (current.isDouble()) {
    double value = 0;
    try { value = std::stod(text, &used); } catch (const std::exception&) { used = 0; }
    if (used == 0 || used != text.size()) throw std::invalid_argument("'" + text + "' is not a number");
    return value;
  }
  if (current.isString()) return text;
  throw std::invalid_argument("attributes of type " + current.tagKind() + " cannot be set from text");
}

}  // namespace

extern "C" {

const char* lt_last_error(void) { return last_error.c_str(); }

const char* lt_torch_version(void) { return TORCH_VERSION; }

lt_model* lt_load(const char* path) {
  return guarded<lt_model*>(nullptr, [&] {
    auto model = std::make_unique<lt_model>();
    model->module = torch::jit::load(path, torch::kCPU);
    model->module.eval();
    model->methods = string_list(model->module, "get_methods");
    if (model->methods.empty()) model->methods = methods_from_params(model->module);
    model->attributes = string_list(model->module, "get_attributes");
    for (const auto& buffer : model->module.named_buffers(/*recurse=*/true))
      model->initial_buffers.emplace_back(buffer.value, buffer.value.clone());
    return model.release();
  });
}

lt_model* lt_copy(const lt_model* source) {
  return guarded<lt_model*>(nullptr, [&] {
    auto model = std::make_unique<lt_model>();
    // In place: the clone's slots hold the model's own tensors, so no weights are copied (and then
    // freed, which used to leave 10 MB a voice in the heap until a malloc_trim that also emptied
    // the synth thread's heap, whose next frames then page-faulted).
    model->module = source->module.clone(/*inplace=*/true);
    model->module.eval();
    model->methods = source->methods;
    model->attributes = source->attributes;
    // Every buffer's value at load, by its dotted name.
    std::unordered_map<std::string, torch::Tensor> initial;
    size_t index = 0;
    for (const auto& buffer : source->module.named_buffers(/*recurse=*/true))
      initial.emplace(buffer.name, source->initial_buffers.at(index++).second);
    std::unordered_map<std::string, torch::jit::Module> originals;
    for (const auto& sub : source->module.named_modules()) originals.emplace(sub.name, sub.value);
    for (const auto& sub : model->module.named_modules()) {
      auto original = originals.at(sub.name);
      auto module = sub.value;
      // The weights stay the model's, one copy for every voice (models only read them). The
      // buffers (the cached convolutions' state) become the copy's own, as at load. (A tensor kept
      // as a plain attribute, not a buffer, stays shared: nn~ models keep their state in buffers.)
      for (const auto& buffer : original.named_buffers(/*recurse=*/false)) {
        const auto& start = initial.at(sub.name.empty() ? buffer.name : sub.name + "." + buffer.name);
        auto own = start.clone();
        module.setattr(buffer.name, own);
        model->initial_buffers.emplace_back(own, start);
      }
    }
    return model.release();
  });
}

void lt_free(lt_model* model) { delete model; }

int lt_method_count(const lt_model* model) { return static_cast<int>(model->methods.size()); }

const char* lt_method_name(const lt_model* model, int index) {
  return index >= 0 && index < static_cast<int>(model->methods.size()) ? model->methods[index].c_str() : nullptr;
}

int lt_method_params(const lt_model* model, const char* method, int64_t params[4]) {
  return guarded(-1, [&] {
    std::string name = std::string(method) + "_params";
    if (!model->module.hasattr(name)) throw std::runtime_error("no buffer " + name);
    auto value = model->module.attr(name);
    if (!value.isTensor()) throw std::runtime_error(name + " is a " + value.tagKind() + ", not a tensor");
    auto tensor = value.toTensor();
    if (tensor.dim() != 1 || tensor.numel() != 4)
      throw std::runtime_error(name + " has shape " + shape_of(tensor.sizes()) +
                               ", not [4] (in_channels, in_ratio, out_channels, out_ratio)");
    if (tensor.is_floating_point() || tensor.is_complex())
      throw std::runtime_error(name + " holds " + std::string(c10::toString(tensor.scalar_type())) + ", not integers");
    auto values = tensor.to(torch::kLong).contiguous();
    for (int i = 0; i < 4; ++i) params[i] = values.data_ptr<int64_t>()[i];
    return 0;
  });
}

int lt_attribute_count(const lt_model* model) { return static_cast<int>(model->attributes.size()); }

const char* lt_attribute_name(const lt_model* model, int index) {
  return index >= 0 && index < static_cast<int>(model->attributes.size()) ? model->attributes[index].c_str() : nullptr;
}

int lt_get_attribute(lt_model* model, const char* name, char* value, size_t size) {
  return guarded(-1, [&] {
    std::string getter = std::string("get_") + name;
    c10::IValue result;
    if (model->module.find_method(getter))
      result = model->module.get_method(getter)(std::vector<c10::IValue>{});
    else if (model->module.hasattr(name))
      result = model->module.attr(name);
    else
      throw std::runtime_error(std::string("no attribute ") + name);
    std::string text = text_of(result);
    if (size > 0) {
      size_t copied = std::min(text.size(), size - 1);
      std::memcpy(value, text.data(), copied);
      value[copied] = '\0';
    }
    return static_cast<int>(text.size());
  });
}

int lt_set_attribute(lt_model* model, const char* name, const char* value) {
  return guarded(-1, [&] {
    std::string getter = std::string("get_") + name, setter = std::string("set_") + name;
    if (!model->module.find_method(setter)) throw std::runtime_error("no method " + setter);
    if (!model->module.find_method(getter)) throw std::runtime_error("no method " + getter);
    auto current = model->module.get_method(getter)(std::vector<c10::IValue>{});
    auto result = model->module.get_method(setter)({parse_like(current, value)});
    if (result.isInt() && result.toInt() != 0)
      throw std::runtime_error(setter + " refused '" + value + "' (returned " + std::to_string(result.toInt()) + ")");
    return 0;
  });
}

int lt_run(lt_model* model, const char* method, const float* input,
           int64_t batch, int64_t in_channels, int64_t in_time,
           float* output, int64_t out_channels, int64_t out_time) {
  return guarded(-1, [&] {
    apply_threads();
    c10::InferenceMode inference;
    auto found = model->module.find_method(method);
    if (!found) throw std::runtime_error(std::string("no method ") + method);
    // The caller's buffer is only read: libtorch sees it without a copy.
    auto x = torch::from_blob(const_cast<float*>(input), {batch, in_channels, in_time}, torch::kFloat);
    auto result = (*found)({x});
    if (!result.isTensor()) throw std::runtime_error(std::string(method) + " returned a " + result.tagKind() + ", not a tensor");
    auto y = result.toTensor();
    if (y.scalar_type() != torch::kFloat)
      throw std::runtime_error(std::string(method) + " returned " + c10::toString(y.scalar_type()) + ", not float");
    if (y.dim() != 3 || y.size(0) != batch || y.size(1) != out_channels || y.size(2) != out_time)
      throw std::runtime_error(std::string(method) + " returned shape " + shape_of(y.sizes()) + ", expected " +
                               shape_of({batch, out_channels, out_time}));
    torch::from_blob(output, {batch, out_channels, out_time}, torch::kFloat).copy_(y);
    return 0;
  });
}

int lt_reset(lt_model* model) {
  return guarded(-1, [&] {
    c10::InferenceMode inference;
    for (auto& [buffer, initial] : model->initial_buffers) buffer.copy_(initial);
    return 0;
  });
}

void lt_set_threads(int threads) {
  guarded(0, [&] {
    wanted_threads.store(threads, std::memory_order_relaxed);
    apply_threads();
    return 0;
  });
}

int lt_get_threads(void) {
  return guarded(0, [&] {
    apply_threads();
    return at::get_num_threads();
  });
}

}  // extern "C"
