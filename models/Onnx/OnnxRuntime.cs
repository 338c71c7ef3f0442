using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace LatentTerrain.Models.Onnx;

/// <summary>
/// ONNX Runtime's C API (libonnxruntime.so.1 1.30, from the onnxruntime-node npm package that
/// scripts/setup unpacks next to the program). The library exports one function, OrtGetApiBase;
/// everything else is a table of function pointers (OrtApi) read by index, in the order of
/// onnxruntime_c_api.h, each checked present when the table is first read. A failed call returns an
/// OrtStatus whose message becomes a <see cref="ModelException"/> naming the model file.
/// </summary>
internal static unsafe class OnnxRuntime
{
    public const string LibraryFile = "libonnxruntime.so.1";
    private const uint ApiVersion = 30;  // ORT_API_VERSION of onnxruntime 1.30
    private const int LoggingFatal = 4;  // ORT_LOGGING_LEVEL_FATAL: its own log stays quiet; errors come back as statuses
    private const int ArenaAllocator = 1, MemTypeDefault = 0, GraphOptimizeAll = 99;
    public const int ElementFloat = 1;  // ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT

    /// <summary>Indices into OrtApi, as onnxruntime_c_api.h orders its members (append-only across versions).</summary>
    private enum Fn
    {
        GetErrorMessage = 2, CreateEnv = 3, CreateSession = 7, Run = 9, CreateSessionOptions = 10,
        SetSessionGraphOptimizationLevel = 23, SetIntraOpNumThreads = 24, SetInterOpNumThreads = 25,
        SessionGetInputCount = 30, SessionGetOutputCount = 31, SessionGetInputTypeInfo = 33, SessionGetOutputTypeInfo = 34,
        SessionGetInputName = 36, SessionGetOutputName = 37, CreateTensorWithDataAsOrtValue = 49,
        CastTypeInfoToTensorInfo = 55, GetTensorElementType = 60, GetDimensionsCount = 61, GetDimensions = 62,
        CreateCpuMemoryInfo = 69, AllocatorFree = 76, GetAllocatorWithDefaultOptions = 78,
        ReleaseStatus = 93, ReleaseSession = 95, ReleaseValue = 96, ReleaseTypeInfo = 98, ReleaseSessionOptions = 100,
        SessionGetModelMetadata = 111, ModelMetadataLookupCustomMetadataMap = 116, ReleaseModelMetadata = 118,
        ModelMetadataGetCustomMetadataMapKeys = 123,
    }

    private static readonly Lazy<Runtime> Loaded = new(Runtime.Load);

    /// <summary>The loaded library, its function table, one environment and the CPU memory description (for the process).</summary>
    private sealed class Runtime
    {
        public nint* Api;
        public nint Env, CpuMemory, Allocator;
        public string? Failure;  // why the library cannot be used, for every model that asks

        public static Runtime Load()
        {
            var runtime = new Runtime();
            string path = Path.Combine(AppContext.BaseDirectory, LibraryFile);
            if (!NativeLibrary.TryLoad(path, out nint library))
            {
                runtime.Failure = $"ONNX Runtime is missing ({path} does not load; ./terrain unpacks it: scripts/setup)";
                return runtime;
            }
            var getApiBase = (delegate* unmanaged<nint*>)NativeLibrary.GetExport(library, "OrtGetApiBase");
            nint* apiBase = getApiBase();
            var getApi = (delegate* unmanaged<uint, nint*>)apiBase[0];
            var version = (delegate* unmanaged<byte*>)apiBase[1];
            runtime.Api = getApi(ApiVersion);
            if (runtime.Api == null)
            {
                runtime.Failure = $"{LibraryFile} is ONNX Runtime {Marshal.PtrToStringUTF8((nint)version())}, which lacks API version {ApiVersion}";
                return runtime;
            }
            foreach (Fn fn in Enum.GetValues<Fn>())
                if (runtime.Api[(int)fn] == 0)
                {
                    runtime.Failure = $"{LibraryFile} has no {fn} in its API table";
                    return runtime;
                }
            nint env = 0, memory = 0, allocator = 0;
            const string context = "starting ONNX Runtime";
            runtime.Failure = Message(((delegate* unmanaged<int, byte*, nint*, nint>)runtime.Api[(int)Fn.CreateEnv])(LoggingFatal, (byte*)Utf8("latent-terrain"), &env), runtime.Api, context)
                ?? Message(((delegate* unmanaged<int, int, nint*, nint>)runtime.Api[(int)Fn.CreateCpuMemoryInfo])(ArenaAllocator, MemTypeDefault, &memory), runtime.Api, context)
                ?? Message(((delegate* unmanaged<nint*, nint>)runtime.Api[(int)Fn.GetAllocatorWithDefaultOptions])(&allocator), runtime.Api, context);
            (runtime.Env, runtime.CpuMemory, runtime.Allocator) = (env, memory, allocator);
            return runtime;
        }
    }

    private static nint* Api(string path)
    {
        var runtime = Loaded.Value;
        if (runtime.Failure is string failure) throw new ModelException(path, failure);
        return runtime.Api;
    }

    /// <summary>A status's message (first line), releasing the status; null for success.</summary>
    private static string? Message(nint status, nint* api, string context)
    {
        if (status == 0) return null;
        string text = Marshal.PtrToStringUTF8(((delegate* unmanaged<nint, nint>)api[(int)Fn.GetErrorMessage])(status)) ?? "unknown error";
        ((delegate* unmanaged<nint, void>)api[(int)Fn.ReleaseStatus])(status);
        int end = text.IndexOfAny(['\r', '\n']);
        return $"{context}: {(end < 0 ? text : text[..end])}";
    }

    private static void Check(nint status, string path, string context)
    {
        if (Message(status, Loaded.Value.Api, context) is string message) throw new ModelException(path, message);
    }

    /// <summary>A UTF-8, zero-terminated copy that lives as long as the process (names: few, small).</summary>
    private static nint Utf8(string text) => Marshal.StringToCoTaskMemUTF8(text);

    /// <summary>One input or output of a graph: name, element type (1 = float) and shape (-1 = decided at run time).</summary>
    public sealed record TensorInfo(string Name, int ElementType, long[] Shape)
    {
        /// <summary>The shape as [batch, 8, ?]: a question mark for a size decided at run time.</summary>
        public string ShapeText => $"[{string.Join(", ", Shape.Select(d => d < 0 ? "?" : d.ToString()))}]";

        public override string ToString() => $"{Name} {ShapeText}";
    }

    /// <summary>An OrtSession with what it says about its graph.</summary>
    public sealed class Session : SafeHandleZeroOrMinusOneIsInvalid
    {
        private Session() : base(ownsHandle: true)
        {
        }

        public string Path { get; private set; } = "";
        public IReadOnlyList<TensorInfo> Inputs { get; private set; } = [];
        public IReadOnlyList<TensorInfo> Outputs { get; private set; } = [];
        /// <summary>The model's custom metadata properties (metadata_props).</summary>
        public IReadOnlyDictionary<string, string> Metadata { get; private set; } = new Dictionary<string, string>();

        /// <exception cref="ModelException">The library is missing, or it refuses the file.</exception>
        public static Session Open(string path, int threads)
        {
            if (!File.Exists(path)) throw new ModelException(path, "no such file");
            nint* api = Api(path);
            nint options, handle;
            Check(((delegate* unmanaged<nint*, nint>)api[(int)Fn.CreateSessionOptions])(&options), path, "creating session options");
            try
            {
                Check(((delegate* unmanaged<nint, int, nint>)api[(int)Fn.SetIntraOpNumThreads])(options, Math.Max(1, threads)), path, "setting threads");
                Check(((delegate* unmanaged<nint, int, nint>)api[(int)Fn.SetInterOpNumThreads])(options, 1), path, "setting threads");
                Check(((delegate* unmanaged<nint, int, nint>)api[(int)Fn.SetSessionGraphOptimizationLevel])(options, GraphOptimizeAll), path, "setting optimisation");
                nint name = Utf8(path);
                try
                {
                    Check(((delegate* unmanaged<nint, nint, nint, nint*, nint>)api[(int)Fn.CreateSession])(Loaded.Value.Env, name, options, &handle),
                        path, "ONNX Runtime cannot load it");
                }
                finally
                {
                    Marshal.FreeCoTaskMem(name);
                }
            }
            finally
            {
                ((delegate* unmanaged<nint, void>)api[(int)Fn.ReleaseSessionOptions])(options);
            }
            var session = new Session { Path = path };
            session.SetHandle(handle);
            try
            {
                session.Inputs = session.Describe(input: true);
                session.Outputs = session.Describe(input: false);
                session.Metadata = session.ReadMetadata();
                return session;
            }
            catch
            {
                session.Dispose();
                throw;
            }
        }

        protected override bool ReleaseHandle()
        {
            ((delegate* unmanaged<nint, void>)Loaded.Value.Api[(int)Fn.ReleaseSession])(handle);
            return true;
        }

        private TensorInfo[] Describe(bool input)
        {
            nint* api = Loaded.Value.Api;
            nuint count;
            Check(((delegate* unmanaged<nint, nuint*, nint>)api[(int)(input ? Fn.SessionGetInputCount : Fn.SessionGetOutputCount)])(handle, &count), Path, "counting tensors");
            var infos = new TensorInfo[(int)count];
            for (int i = 0; i < infos.Length; i++)
            {
                nint name, typeInfo, tensorInfo;
                Check(((delegate* unmanaged<nint, nuint, nint, nint*, nint>)api[(int)(input ? Fn.SessionGetInputName : Fn.SessionGetOutputName)])(handle, (nuint)i, Loaded.Value.Allocator, &name), Path, "reading a name");
                string text = Marshal.PtrToStringUTF8(name)!;
                Free(name);
                Check(((delegate* unmanaged<nint, nuint, nint*, nint>)api[(int)(input ? Fn.SessionGetInputTypeInfo : Fn.SessionGetOutputTypeInfo)])(handle, (nuint)i, &typeInfo), Path, $"reading {text}'s type");
                try
                {
                    Check(((delegate* unmanaged<nint, nint*, nint>)api[(int)Fn.CastTypeInfoToTensorInfo])(typeInfo, &tensorInfo), Path, $"reading {text}'s type");
                    if (tensorInfo == 0)
                    {
                        infos[i] = new TensorInfo(text, 0, []);
                        continue;
                    }
                    int type;
                    nuint dims;
                    Check(((delegate* unmanaged<nint, int*, nint>)api[(int)Fn.GetTensorElementType])(tensorInfo, &type), Path, $"reading {text}'s type");
                    Check(((delegate* unmanaged<nint, nuint*, nint>)api[(int)Fn.GetDimensionsCount])(tensorInfo, &dims), Path, $"reading {text}'s shape");
                    var shape = new long[(int)dims];
                    fixed (long* values = shape)
                        Check(((delegate* unmanaged<nint, long*, nuint, nint>)api[(int)Fn.GetDimensions])(tensorInfo, values, dims), Path, $"reading {text}'s shape");
                    infos[i] = new TensorInfo(text, type, shape);
                }
                finally
                {
                    ((delegate* unmanaged<nint, void>)api[(int)Fn.ReleaseTypeInfo])(typeInfo);
                }
            }
            return infos;
        }

        private Dictionary<string, string> ReadMetadata()
        {
            nint* api = Loaded.Value.Api;
            nint metadata, keys;
            long count;
            var properties = new Dictionary<string, string>();
            Check(((delegate* unmanaged<nint, nint*, nint>)api[(int)Fn.SessionGetModelMetadata])(handle, &metadata), Path, "reading metadata");
            try
            {
                Check(((delegate* unmanaged<nint, nint, nint*, long*, nint>)api[(int)Fn.ModelMetadataGetCustomMetadataMapKeys])(metadata, Loaded.Value.Allocator, &keys, &count), Path, "reading metadata");
                if (keys == 0) return properties;
                for (long i = 0; i < count; i++)
                {
                    nint key = ((nint*)keys)[i], value;
                    Check(((delegate* unmanaged<nint, nint, nint, nint*, nint>)api[(int)Fn.ModelMetadataLookupCustomMetadataMap])(metadata, Loaded.Value.Allocator, key, &value), Path, "reading metadata");
                    properties[Marshal.PtrToStringUTF8(key)!] = Marshal.PtrToStringUTF8(value) ?? "";
                    Free(value);
                    Free(key);
                }
                Free(keys);
                return properties;
            }
            finally
            {
                ((delegate* unmanaged<nint, void>)api[(int)Fn.ReleaseModelMetadata])(metadata);
            }
        }

        private static void Free(nint pointer)
        {
            if (pointer != 0) ((delegate* unmanaged<nint, nint, nint>)Loaded.Value.Api[(int)Fn.AllocatorFree])(Loaded.Value.Allocator, pointer);
        }
    }

    /// <summary>A float tensor over a pinned array of ours (an OrtValue that does not own its data).</summary>
    public sealed class Tensor : SafeHandleZeroOrMinusOneIsInvalid
    {
        private Tensor() : base(ownsHandle: true)
        {
        }

        /// <summary>The pinned array the tensor reads and ONNX Runtime writes.</summary>
        public float[] Data { get; private set; } = [];

        public static Tensor Create(string path, params long[] shape)
        {
            nint* api = Api(path);
            long length = shape.Aggregate(1L, (a, b) => a * b);
            var data = GC.AllocateArray<float>(checked((int)length), pinned: true);
            nint value;
            fixed (long* dims = shape)
                Check(((delegate* unmanaged<nint, float*, nuint, long*, nuint, int, nint*, nint>)api[(int)Fn.CreateTensorWithDataAsOrtValue])(
                    Loaded.Value.CpuMemory, (float*)Marshal.UnsafeAddrOfPinnedArrayElement(data, 0), (nuint)(length * sizeof(float)), dims, (nuint)shape.Length, ElementFloat, &value),
                    path, $"creating a tensor [{string.Join(", ", shape)}]");
            var tensor = new Tensor { Data = data };
            tensor.SetHandle(value);
            return tensor;
        }

        protected override bool ReleaseHandle()
        {
            ((delegate* unmanaged<nint, void>)Loaded.Value.Api[(int)Fn.ReleaseValue])(handle);
            return true;
        }
    }

    /// <summary>
    /// One prepared call: named inputs and outputs bound to tensors once, so that <see cref="Run"/>
    /// allocates nothing. ONNX Runtime writes the outputs into the bound tensors.
    /// </summary>
    public sealed class Call : IDisposable
    {
        private readonly Session _session;
        private readonly nint _inputNames, _inputs, _outputNames, _outputs;  // native arrays
        private readonly int _inputCount, _outputCount;
        private readonly Tensor[] _keep;

        public Call(Session session, IReadOnlyList<(string Name, Tensor Tensor)> inputs, IReadOnlyList<(string Name, Tensor Tensor)> outputs)
        {
            _session = session;
            _keep = [.. inputs.Select(i => i.Tensor), .. outputs.Select(o => o.Tensor)];
            (_inputNames, _inputs, _inputCount) = Bind(inputs);
            (_outputNames, _outputs, _outputCount) = Bind(outputs);
        }

        /// <exception cref="ModelException">ONNX Runtime failed (a shape it did not expect, a node that failed).</exception>
        public void Run()
        {
            nint status = ((delegate* unmanaged<nint, nint, nint, nint, nuint, nint, nuint, nint, nint>)Loaded.Value.Api[(int)Fn.Run])(
                _session.DangerousGetHandle(), 0, _inputNames, _inputs, (nuint)_inputCount, _outputNames, (nuint)_outputCount, _outputs);
            if (status != 0) Check(status, _session.Path, "running it failed");
        }

        public void Dispose()
        {
            foreach (nint names in new[] { _inputNames, _outputNames })
                for (int i = 0; i < (names == _inputNames ? _inputCount : _outputCount); i++) Marshal.FreeCoTaskMem(((nint*)names)[i]);
            Marshal.FreeHGlobal(_inputNames);
            Marshal.FreeHGlobal(_inputs);
            Marshal.FreeHGlobal(_outputNames);
            Marshal.FreeHGlobal(_outputs);
            GC.KeepAlive(_keep);
        }

        private static (nint Names, nint Values, int Count) Bind(IReadOnlyList<(string Name, Tensor Tensor)> bound)
        {
            nint names = Marshal.AllocHGlobal(Math.Max(1, bound.Count) * sizeof(nint));
            nint values = Marshal.AllocHGlobal(Math.Max(1, bound.Count) * sizeof(nint));
            for (int i = 0; i < bound.Count; i++)
            {
                ((nint*)names)[i] = Utf8(bound[i].Name);
                ((nint*)values)[i] = bound[i].Tensor.DangerousGetHandle();
            }
            return (names, values, bound.Count);
        }
    }
}
