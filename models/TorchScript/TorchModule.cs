using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace LatentTerrain.Models.TorchScript;

/// <summary>
/// One loaded TorchScript module, through the project's TorchScript host (liblt_torch_host.so, built
/// from models/native by scripts/setup and copied next to the program). Every failure of the host
/// becomes a <see cref="ModelException"/> naming the file, with libtorch's own message.
/// </summary>
/// <remarks>
/// A module holds the state of its cached convolutions: one module serves one voice, or one batch of
/// voices. Not thread-safe: one thread runs a module at a time.
/// </remarks>
internal sealed unsafe partial class TorchModule : IDisposable
{
    private const string Library = "lt_torch_host";
    private readonly ModuleHandle _handle;

    private TorchModule(string path, ModuleHandle handle)
    {
        Path = path;
        _handle = handle;
    }

    public string Path { get; }

    /// <exception cref="ModelException">The file is missing, not a TorchScript archive, or libtorch refuses it.</exception>
    public static TorchModule Load(string path)
    {
        if (!File.Exists(path)) throw new ModelException(path, "no such file");
        ModuleHandle handle;
        try
        {
            handle = Native.lt_load(path);
        }
        catch (DllNotFoundException e)
        {
            throw new ModelException(path, $"the TorchScript host is missing ({e.Message}); ./terrain builds it (scripts/setup, with libtorch-dev)");
        }
        if (handle.IsInvalid)
        {
            string error = LastError();
            handle.Dispose();
            throw new ModelException(path, LoadProblem(path, error));
        }
        return new TorchModule(path, handle);
    }

    /// <summary>The version of the libtorch the host was built against ("1.13.0" with Debian's).</summary>
    public static string LibTorchVersion => Marshal.PtrToStringUTF8(Native.lt_torch_version()) ?? "unknown";

    /// <summary>
    /// libtorch's refusal in a sentence. An operator it does not know means a newer torch exported
    /// the model (nn~'s rule: its libtorch must be at least the exporting torch): the way out is the
    /// host built against a newer libtorch, which LIBTORCH names.
    /// </summary>
    private static string LoadProblem(string path, string error)
    {
        const string unknownOperator = "Unknown builtin op: ";
        if (error.StartsWith(unknownOperator, StringComparison.Ordinal))
        {
            string name = error[unknownOperator.Length..].TrimEnd('.', ' ');
            string exporter = TorchArchive.Exporter(path) is string torch ? $"; it was exported by {torch}" : "";
            return $"uses the operator {name}, which libtorch {LibTorchVersion} (the TorchScript host's) lacks{exporter}: " +
                "build the host against a libtorch at least as new as the torch that exported it, LIBTORCH=/path/to/libtorch ./terrain (README, Set-up)";
        }
        return error.Contains("archive", StringComparison.Ordinal)
            ? $"not a TorchScript archive, or a damaged one ({error})"
            : $"libtorch cannot load it ({error})";
    }

    /// <summary>
    /// Another instance of this module, for another voice: the same weights (shared: a model of
    /// 50 MB costs 50 MB however many voices play it), buffers of its own as at load (the cached
    /// convolutions' state), and the attributes as set on this one now.
    /// </summary>
    /// <exception cref="ModelException">libtorch could not copy it.</exception>
    public TorchModule Copy()
    {
        var handle = Native.lt_copy(_handle);
        if (handle.IsInvalid)
        {
            string error = LastError();
            handle.Dispose();
            throw Failure($"cannot make another instance of it for a voice ({error})");
        }
        return new TorchModule(Path, handle);
    }

    /// <summary>libtorch's intra-op threads, for the whole process.</summary>
    public static int Threads
    {
        get => Native.lt_get_threads();
        set => Native.lt_set_threads(Math.Max(1, value));
    }

    /// <summary>The method names: get_methods(), or those with a <c>_params</c> buffer.</summary>
    public IReadOnlyList<string> Methods() =>
        Enumerable.Range(0, Native.lt_method_count(_handle)).Select(i => Marshal.PtrToStringUTF8(Native.lt_method_name(_handle, i))!).ToArray();

    /// <summary>The attribute names get_attributes() lists.</summary>
    public IReadOnlyList<string> Attributes() =>
        Enumerable.Range(0, Native.lt_attribute_count(_handle)).Select(i => Marshal.PtrToStringUTF8(Native.lt_attribute_name(_handle, i))!).ToArray();

    /// <summary>The method's <c>_params</c> buffer.</summary>
    /// <exception cref="ModelException">It is missing or is not four positive integers.</exception>
    public ModelMethod Method(string name)
    {
        long* values = stackalloc long[4];
        if (Native.lt_method_params(_handle, name, values) != 0) throw Failure(LastError());
        for (int i = 0; i < 4; i++)
            if (values[i] is < 1 or > int.MaxValue)
                throw Failure($"{name}_params [{values[0]}, {values[1]}, {values[2]}, {values[3]}] holds {values[i]}: each value must be a positive count");
        return new ModelMethod(name, (int)values[0], (int)values[1], (int)values[2], (int)values[3]);
    }

    /// <summary>The attribute's value as text (<c>get_&lt;name&gt;()</c>, or the module attribute), or null when there is none.</summary>
    public string? Attribute(string name)
    {
        Span<byte> buffer = stackalloc byte[256];
        int length;
        fixed (byte* text = buffer) length = Native.lt_get_attribute(_handle, name, text, (nuint)buffer.Length);
        if (length < 0) return null;
        if (length < buffer.Length) return Encoding.UTF8.GetString(buffer[..length]);
        var whole = new byte[length + 1];
        fixed (byte* text = whole) Native.lt_get_attribute(_handle, name, text, (nuint)whole.Length);
        return Encoding.UTF8.GetString(whole, 0, length);
    }

    /// <summary>Calls <c>set_&lt;name&gt;</c> with the text parsed as the attribute's type.</summary>
    /// <exception cref="ModelException">No such setter, a value of the wrong type, or the model refused it.</exception>
    public void SetAttribute(string name, string value)
    {
        if (Native.lt_set_attribute(_handle, name, value) != 0) throw Failure($"cannot set {name} to '{value}': {LastError()}");
    }

    /// <summary>
    /// Runs the method (its name null-terminated UTF-8 in <paramref name="method"/>) on
    /// <paramref name="input"/> [batch, inChannels, inTime] into <paramref name="output"/>
    /// [batch, outChannels, outTime]. Allocates nothing unless it fails.
    /// </summary>
    /// <exception cref="ModelException">libtorch failed or the result has another shape.</exception>
    public void Run(ReadOnlySpan<byte> method, ReadOnlySpan<float> input, int batch, int inChannels, int inTime,
        Span<float> output, int outChannels, int outTime)
    {
        if (input.Length < (long)batch * inChannels * inTime) throw new ArgumentException("input is shorter than its shape", nameof(input));
        if (output.Length < (long)batch * outChannels * outTime) throw new ArgumentException("output is shorter than its shape", nameof(output));
        int status;
        fixed (byte* name = method)
        fixed (float* x = input, y = output)
            status = Native.lt_run(_handle, name, x, batch, inChannels, inTime, y, outChannels, outTime);
        if (status != 0) throw Failure(LastError());
    }

    /// <summary>Every buffer back to its value at load: cached-convolution state forgotten.</summary>
    public void Reset()
    {
        if (Native.lt_reset(_handle) != 0) throw Failure($"cannot reset its state: {LastError()}");
    }

    public void Dispose() => _handle.Dispose();

    private ModelException Failure(string problem) => new(Path, problem);

    private static string LastError() => Marshal.PtrToStringUTF8(Native.lt_last_error()) is { Length: > 0 } text ? text : "unknown error";

    /// <summary>An lt_model*.</summary>
    private sealed class ModuleHandle : SafeHandleZeroOrMinusOneIsInvalid
    {
        public ModuleHandle() : base(ownsHandle: true)
        {
        }

        protected override bool ReleaseHandle()
        {
            Native.lt_free(handle);
            return true;
        }
    }

    /// <summary>The host's C interface, as models/native/torch_host.h declares it.</summary>
    private static partial class Native
    {
        [LibraryImport(Library)]
        public static partial nint lt_last_error();

        [LibraryImport(Library)]
        public static partial nint lt_torch_version();

        [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
        public static partial ModuleHandle lt_load(string path);

        [LibraryImport(Library)]
        public static partial void lt_free(nint model);

        [LibraryImport(Library)]
        public static partial ModuleHandle lt_copy(ModuleHandle source);

        [LibraryImport(Library)]
        public static partial int lt_method_count(ModuleHandle model);

        [LibraryImport(Library)]
        public static partial nint lt_method_name(ModuleHandle model, int index);

        [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
        public static partial int lt_method_params(ModuleHandle model, string method, long* parameters);

        [LibraryImport(Library)]
        public static partial int lt_attribute_count(ModuleHandle model);

        [LibraryImport(Library)]
        public static partial nint lt_attribute_name(ModuleHandle model, int index);

        [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
        public static partial int lt_get_attribute(ModuleHandle model, string name, byte* value, nuint size);

        [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
        public static partial int lt_set_attribute(ModuleHandle model, string name, string value);

        [LibraryImport(Library)]
        public static partial int lt_run(ModuleHandle model, byte* method, float* input, long batch, long inChannels, long inTime,
            float* output, long outChannels, long outTime);

        [LibraryImport(Library)]
        public static partial int lt_reset(ModuleHandle model);

        [LibraryImport(Library)]
        public static partial void lt_set_threads(int threads);

        [LibraryImport(Library)]
        public static partial int lt_get_threads();
    }
}
