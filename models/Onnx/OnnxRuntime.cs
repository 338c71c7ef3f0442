using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace LatentTerrain.Models.Onnx;

/// <summary>
/// The little of ONNX Runtime the models use, through its NuGet package (Microsoft.ML.OnnxRuntime,
/// pinned in Directory.Packages.props; the .NET host finds the package's
/// runtimes/linux-x64/native/libonnxruntime.so in the program's folder). Every failure becomes a
/// <see cref="ModelException"/> naming the model file, with the first line of ONNX Runtime's message.
/// </summary>
internal static class OnnxRuntime
{
    /// <summary>One environment for the process, quiet: errors come back as exceptions, not as its log.</summary>
    private static readonly Lazy<string?> Started = new(() =>
    {
        try
        {
            var options = new EnvironmentCreationOptions { logId = "latent-terrain", logLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
            OrtEnv.CreateInstanceWithOptions(ref options);
            return null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or TypeInitializationException)
        {
            return $"ONNX Runtime is missing ({FirstLine((e.InnerException ?? e).Message)}); the build puts the Microsoft.ML.OnnxRuntime package's libonnxruntime.so next to the program (./terrain builds it)";
        }
        catch (OnnxRuntimeException e)
        {
            return $"starting ONNX Runtime: {FirstLine(e.Message)}";
        }
    });

    private static void Start(string path)
    {
        if (Started.Value is string failure) throw new ModelException(path, failure);
    }

    private static T Checked<T>(string path, string context, Func<T> call)
    {
        try
        {
            return call();
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelException(path, $"{context}: {FirstLine(e.Message)}");
        }
    }

    private static string FirstLine(string text) => text.IndexOfAny(['\r', '\n']) is int end and >= 0 ? text[..end] : text;

    /// <summary>One input or output of a graph: name, element type and shape (-1 = decided at run time).</summary>
    public sealed record TensorInfo(string Name, TensorElementType ElementType, long[] Shape)
    {
        /// <summary>The shape as [batch, 8, ?]: a question mark for a size decided at run time.</summary>
        public string ShapeText => $"[{string.Join(", ", Shape.Select(d => d < 0 ? "?" : d.ToString()))}]";

        public override string ToString() => $"{Name} {ShapeText}";
    }

    /// <summary>An inference session with what it says about its graph.</summary>
    public sealed class Session : IDisposable
    {
        private Session(string path, InferenceSession session)
        {
            Path = path;
            Inner = session;
            Inputs = [.. session.InputNames.Select(name => Info(name, session.InputMetadata[name]))];
            Outputs = [.. session.OutputNames.Select(name => Info(name, session.OutputMetadata[name]))];
            Metadata = Checked(path, "reading metadata", () => session.ModelMetadata.CustomMetadataMap);
        }

        public string Path { get; }
        public IReadOnlyList<TensorInfo> Inputs { get; }
        public IReadOnlyList<TensorInfo> Outputs { get; }
        /// <summary>The model's custom metadata properties (metadata_props).</summary>
        public IReadOnlyDictionary<string, string> Metadata { get; }

        /// <exception cref="ModelException">The library is missing, or it refuses the file.</exception>
        public static Session Open(string path, int threads)
        {
            if (!File.Exists(path)) throw new ModelException(path, "no such file");
            Start(path);
            using var options = new SessionOptions
            {
                IntraOpNumThreads = Math.Max(1, threads),
                InterOpNumThreads = 1,
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
                LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL,
            };
            var session = Checked(path, "ONNX Runtime cannot load it", () => new InferenceSession(path, options));
            try
            {
                return new Session(path, session);
            }
            catch
            {
                session.Dispose();
                throw;
            }
        }

        public InferenceSession Inner { get; }

        public void Dispose() => Inner.Dispose();

        private static TensorInfo Info(string name, NodeMetadata node) =>
            node.IsTensor ? new TensorInfo(name, node.ElementDataType, [.. node.Dimensions.Select(d => (long)d)]) : new TensorInfo(name, default, []);
    }

    /// <summary>
    /// A float tensor over native memory of its own, allocated once: ONNX Runtime reads it as an
    /// input or writes it as an output in place, and <see cref="Data"/> sees the same floats.
    /// </summary>
    public sealed unsafe class Tensor : IDisposable
    {
        private readonly float* _data;
        private readonly int _length;

        private Tensor(float* data, int length, OrtValue value)
        {
            _data = data;
            _length = length;
            Value = value;
        }

        public OrtValue Value { get; }
        public Span<float> Data => new(_data, _length);

        public static Tensor Create(string path, params long[] shape)
        {
            Start(path);
            int length = checked((int)shape.Aggregate(1L, (a, b) => a * b));
            var data = (float*)NativeMemory.AlignedAlloc((nuint)Math.Max(1, length) * sizeof(float), 64);
            new Span<float>(data, length).Clear();
            try
            {
                var value = Checked(path, $"creating a tensor [{string.Join(", ", shape)}]",
                    () => OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, TensorElementType.Float, shape, (nint)data, (long)length * sizeof(float)));
                return new Tensor(data, length, value);
            }
            catch
            {
                NativeMemory.AlignedFree(data);
                throw;
            }
        }

        public void Dispose()
        {
            Value.Dispose();
            NativeMemory.AlignedFree(_data);
        }
    }

    /// <summary>
    /// One prepared call: named inputs and outputs bound to tensors once (an IOBinding), so that
    /// <see cref="Run"/> allocates nothing. ONNX Runtime writes the outputs into the bound tensors.
    /// </summary>
    public sealed class Call : IDisposable
    {
        private readonly Session _session;
        private readonly OrtIoBinding _binding;
        private readonly RunOptions _options = new();

        public Call(Session session, IReadOnlyList<(string Name, Tensor Tensor)> inputs, IReadOnlyList<(string Name, Tensor Tensor)> outputs)
        {
            _session = session;
            _binding = session.Inner.CreateIoBinding();
            try
            {
                foreach (var (name, tensor) in inputs) _binding.BindInput(name, tensor.Value);
                foreach (var (name, tensor) in outputs) _binding.BindOutput(name, tensor.Value);
            }
            catch (OnnxRuntimeException e)
            {
                Dispose();
                throw new ModelException(session.Path, $"binding its tensors: {FirstLine(e.Message)}");
            }
        }

        /// <exception cref="ModelException">ONNX Runtime failed (a shape it did not expect, a node that failed).</exception>
        public void Run()
        {
            try
            {
                _session.Inner.RunWithBinding(_options, _binding);
            }
            catch (OnnxRuntimeException e)
            {
                throw new ModelException(_session.Path, $"running it failed: {FirstLine(e.Message)}");
            }
        }

        public void Dispose()
        {
            _binding.Dispose();
            _options.Dispose();
        }
    }
}
