/* The TorchScript host's C interface: what models/TorchScript/TorchModule.cs binds.
 *
 * Errors: a function that fails returns NULL or -1 and leaves a one-line message, readable with
 * lt_last_error() on the same thread until that thread's next call. No C++ exception ever
 * leaves the library. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LT_EXPORT __attribute__((visibility("default")))

typedef struct lt_model lt_model;

/* The message of this thread's last failure ("" when none). */
LT_EXPORT const char* lt_last_error(void);

/* The version of the libtorch the host was built against, for example "1.13.0". */
LT_EXPORT const char* lt_torch_version(void);

/* Loads a TorchScript archive (torch.jit.save) on the CPU, in eval mode. NULL on failure. */
LT_EXPORT lt_model* lt_load(const char* path);
LT_EXPORT void lt_free(lt_model* model);

/* Another instance of a loaded model, for another voice: the same weights (shared, not copied:
 * models only read them) with buffers of its own (the cached convolutions' state), as at load,
 * and the attributes as the model has them now. NULL on failure. */
LT_EXPORT lt_model* lt_copy(const lt_model* source);

/* The model's methods: what get_methods() returns, or, without it, every method that has a
 * `<method>_params` buffer. The names live as long as the model. */
LT_EXPORT int lt_method_count(const lt_model* model);
LT_EXPORT const char* lt_method_name(const lt_model* model, int index);

/* Reads `<method>_params` into params: in_channels, in_ratio, out_channels, out_ratio.
 * 0, or -1 when the buffer is missing or is not four integers. */
LT_EXPORT int lt_method_params(const lt_model* model, const char* method, int64_t params[4]);

/* The attributes get_attributes() lists (none without it). Names live as long as the model. */
LT_EXPORT int lt_attribute_count(const lt_model* model);
LT_EXPORT const char* lt_attribute_name(const lt_model* model, int index);

/* An attribute's value as text: `get_<name>()` when the model has that method, else the module
 * attribute `<name>`; a tensor as its shape, type and range ("tensor [1, 4096] Float, range -1 .. 1"). Writes at most size bytes with the terminating zero. Returns the text's
 * length, or -1 when there is no such attribute (or it cannot be read). */
LT_EXPORT int lt_get_attribute(lt_model* model, const char* name, char* value, size_t size);

/* Calls `set_<name>(value)`, the text parsed as the attribute's current type (bool, int, float
 * or string). 0, or -1. */
LT_EXPORT int lt_set_attribute(lt_model* model, const char* name, const char* value);

/* Runs a method on input [batch, in_channels, in_time] and copies its result, which must be a
 * float tensor [batch, out_channels, out_time], into output. 0, or -1 (nothing written). */
LT_EXPORT int lt_run(lt_model* model, const char* method, const float* input,
                     int64_t batch, int64_t in_channels, int64_t in_time,
                     float* output, int64_t out_channels, int64_t out_time);

/* Puts every buffer back to its value at load: the state of cached convolutions is forgotten. */
LT_EXPORT int lt_reset(lt_model* model);

/* libtorch's intra-op threads, for every thread of the process that runs a model. */
LT_EXPORT void lt_set_threads(int threads);
LT_EXPORT int lt_get_threads(void);

#ifdef __cplusplus
}
#endif
