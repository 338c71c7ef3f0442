using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace LatentTerrain.Engine.Audio;

/// <summary>
/// One user's hold on PortAudio (libportaudio.so.2, v19.6, Debian package libportaudio2).
/// PortAudio is initialised while at least one hold is open, and terminated when the last one
/// closes, so the next <see cref="Open"/> sees the devices (and the JACK server) as they are
/// then. Each open stream holds PortAudio too.
/// </summary>
/// <remarks>
/// PortAudio is not thread-safe: initialising, terminating, checking formats and opening,
/// starting, stopping and closing streams all take <see cref="Gate"/>. The device lists read
/// under a hold need no lock, since PortAudio changes them only when it is (re)initialised.
/// <para>
/// PortAudio is kept off JACK: its JACK host API could never let go of a server that went away
/// (Pa_StopStream waits ten minutes for a cycle, Pa_CloseStream and Pa_Terminate abort the
/// process), so JACK is played by <see cref="JackOutput"/> and PortAudio initialises with
/// JACK_DEFAULT_SERVER pointing at no server (docs/architecture.md: Audio devices).
/// </para>
/// </remarks>
internal sealed unsafe class PortAudioLibrary : IDisposable
{
    public static readonly Lock Gate = new();

    private static int holds;
    private static bool initialised;
    private static bool quietened;
    private bool disposed;

    private PortAudioLibrary()
    {
    }

    /// <summary>Whether PortAudio is initialised now. When it is, <see cref="Open"/> does not look for devices again.</summary>
    public static bool IsInitialised
    {
        get { lock (Gate) return initialised; }
    }

    /// <exception cref="AudioDeviceException">PortAudio cannot start.</exception>
    public static PortAudioLibrary Open()
    {
        lock (Gate)
        {
            if (!initialised)
            {
                if (!quietened)
                {
                    PortAudio.Quieten();
                    quietened = true;
                }
                NativeAudio.EnsureLoaded();
                // PortAudio's JACK host API opens a client too, even of a server that is not there.
                JackOutput.EnsureNoDeadClient("starting PortAudio");
                NativeAudio.terrain_jack_hide(1);
                try
                {
                    PortAudio.Check(PortAudio.Pa_Initialize(), "starting PortAudio");
                }
                finally
                {
                    NativeAudio.terrain_jack_hide(0);
                }
                initialised = true;
            }
            holds++;
            return new PortAudioLibrary();
        }
    }

    public string VersionText => PortAudio.Text(PortAudio.Pa_GetVersionText());

    public int HostApiCount => PortAudio.Check(PortAudio.Pa_GetHostApiCount(), "counting audio host APIs");

    public int DefaultHostApi => PortAudio.Check(PortAudio.Pa_GetDefaultHostApi(), "finding the default audio host API");

    public int DeviceCount => PortAudio.Check(PortAudio.Pa_GetDeviceCount(), "counting audio devices");

    /// <summary>The default output device's index, or <see cref="PortAudio.NoDevice"/> when there is none.</summary>
    public int DefaultOutputDevice => PortAudio.Pa_GetDefaultOutputDevice();

    /// <summary>The default input device's index, or <see cref="PortAudio.NoDevice"/> when there is none.</summary>
    public int DefaultInputDevice => PortAudio.Pa_GetDefaultInputDevice();

    public AudioHostApi HostApi(int index)
    {
        PortAudio.HostApiInfo* info = PortAudio.Pa_GetHostApiInfo(index);
        if (info == null) throw new ArgumentOutOfRangeException(nameof(index), index, "no such audio host API");
        return new AudioHostApi(index, PortAudio.Text(info->Name), info->DeviceCount,
            info->DefaultOutputDevice == PortAudio.NoDevice ? null : info->DefaultOutputDevice, index == DefaultHostApi);
    }

    public AudioDevice Device(int index)
    {
        PortAudio.DeviceInfo* info = PortAudio.Pa_GetDeviceInfo(index);
        if (info == null) throw new ArgumentOutOfRangeException(nameof(index), index, "no such audio device");
        return new AudioDevice(index, PortAudio.Text(info->Name), HostApi(info->HostApi).Name, info->MaxOutputChannels,
            info->DefaultSampleRate, info->DefaultLowOutputLatency, info->DefaultHighOutputLatency, index == DefaultOutputDevice)
        {
            MaxInputChannels = info->MaxInputChannels,
            DefaultLowInputLatency = info->DefaultLowInputLatency,
        };
    }

    /// <summary>Pa_IsFormatSupported for float output: 0 when PortAudio would open it, else PortAudio's (negative) error.</summary>
    public int CheckOutput(AudioDevice device, int channels, double sampleRate)
    {
        var parameters = Parameters(device, channels, device.DefaultLowOutputLatency);
        lock (Gate) return PortAudio.Pa_IsFormatSupported(null, &parameters, sampleRate);
    }

    /// <summary>Pa_IsFormatSupported for float input: 0 when PortAudio would open it, else PortAudio's (negative) error.</summary>
    public int CheckInput(AudioDevice device, int channels, double sampleRate)
    {
        var parameters = Parameters(device, channels, device.DefaultLowInputLatency);
        lock (Gate) return PortAudio.Pa_IsFormatSupported(&parameters, null, sampleRate);
    }

    /// <summary>
    /// Opens (without starting) a float32 interleaved output stream on <paramref name="device"/>
    /// that calls <paramref name="callback"/> with <paramref name="userData"/> for every block.
    /// </summary>
    /// <exception cref="AudioDeviceException">PortAudio refused; the message starts with <paramref name="operation"/>.</exception>
    public PortAudioStream OpenOutput(AudioDevice device, int channels, double sampleRate, int framesPerBuffer,
        delegate* unmanaged[Cdecl]<void*, void*, nuint, PortAudio.StreamCallbackTimeInfo*, nuint, void*, int> callback,
        void* userData, string operation)
    {
        var parameters = Parameters(device, channels, device.DefaultLowOutputLatency);
        return OpenStream(null, &parameters, sampleRate, framesPerBuffer, callback, userData, operation);
    }

    /// <summary>As <see cref="OpenOutput"/>, an input stream: the callback gets what the device recorded.</summary>
    /// <exception cref="AudioDeviceException">PortAudio refused; the message starts with <paramref name="operation"/>.</exception>
    public PortAudioStream OpenInput(AudioDevice device, int channels, double sampleRate, int framesPerBuffer,
        delegate* unmanaged[Cdecl]<void*, void*, nuint, PortAudio.StreamCallbackTimeInfo*, nuint, void*, int> callback,
        void* userData, string operation)
    {
        var parameters = Parameters(device, channels, device.DefaultLowInputLatency);
        return OpenStream(&parameters, null, sampleRate, framesPerBuffer, callback, userData, operation);
    }

    private PortAudioStream OpenStream(PortAudio.StreamParameters* input, PortAudio.StreamParameters* output, double sampleRate, int framesPerBuffer,
        delegate* unmanaged[Cdecl]<void*, void*, nuint, PortAudio.StreamCallbackTimeInfo*, nuint, void*, int> callback,
        void* userData, string operation)
    {
        lock (Gate)
        {
            int error = PortAudio.Pa_OpenStream(out var stream, input, output, sampleRate, (nuint)framesPerBuffer,
                PortAudio.NoFlag, callback, userData);
            if (error < 0)
            {
                stream.Dispose();
                throw PortAudio.Failure(error, operation);
            }
            holds++;
            stream.Opened(new PortAudioLibrary());
            return stream;
        }
    }

    public void Dispose()
    {
        lock (Gate)
        {
            if (disposed) return;
            disposed = true;
            if (--holds > 0) return;
            // Nothing is left to tell of a failure here, and PortAudio is finished with either way.
            PortAudio.Pa_Terminate();
            initialised = false;
        }
    }

    private static PortAudio.StreamParameters Parameters(AudioDevice device, int channels, double latency) => new()
    {
        Device = device.Index,
        ChannelCount = channels,
        SampleFormat = PortAudio.Float32,
        SuggestedLatency = latency,
        HostApiSpecificStreamInfo = null,
    };
}

/// <summary>A PaStream*, closed (Pa_CloseStream) on dispose, holding PortAudio initialised while it is open.</summary>
internal sealed unsafe class PortAudioStream : SafeHandleZeroOrMinusOneIsInvalid
{
    private PortAudioLibrary? library;

    public PortAudioStream() : base(ownsHandle: true)
    {
    }

    /// <summary>Seconds from the first output sample of a block to the moment it is heard, as PortAudio reports it.</summary>
    public double OutputLatency => PortAudio.Pa_GetStreamInfo(this)->OutputLatency;

    /// <summary>PortAudio's clock for this stream, in seconds: the host's own clock where it has one (JACK's frame time).</summary>
    public double Time => PortAudio.Pa_GetStreamTime(this);

    /// <summary>Whether the stream is producing sound: false before start, after stop, and once its host stopped it.</summary>
    public bool IsActive => PortAudio.Check(PortAudio.Pa_IsStreamActive(this), "asking whether the audio stream runs") == 1;

    public void Start()
    {
        lock (PortAudioLibrary.Gate) PortAudio.Check(PortAudio.Pa_StartStream(this), "starting the audio stream");
    }

    /// <summary>Stops after the blocks already handed to the host have played.</summary>
    public void Stop()
    {
        lock (PortAudioLibrary.Gate)
        {
            PortAudio.Check(PortAudio.Pa_StopStream(this), "stopping the audio stream");
        }
    }

    /// <summary>Stops at once, dropping what the host has not played yet.</summary>
    public void Abort()
    {
        lock (PortAudioLibrary.Gate)
        {
            PortAudio.Check(PortAudio.Pa_AbortStream(this), "stopping the audio stream");
        }
    }

    /// <summary>PortAudio calls <paramref name="callback"/> (on the audio thread, with the stream's userData) when the stream stops, for whatever reason.</summary>
    public void OnFinished(delegate* unmanaged[Cdecl]<void*, void> callback) =>
        PortAudio.Check(PortAudio.Pa_SetStreamFinishedCallback(this, callback), "watching the audio stream");

    internal void Opened(PortAudioLibrary holder) => library = holder;

    protected override bool ReleaseHandle()
    {
        bool closed;
        lock (PortAudioLibrary.Gate) closed = PortAudio.Pa_CloseStream(handle) == 0;
        library?.Dispose();
        return closed;
    }
}

/// <summary>PortAudio's C interface, as portaudio.h of v19.6 declares it (LP64: C's long is 64 bits).</summary>
internal static unsafe partial class PortAudio
{
    private const string Library = "libportaudio.so.2";

    /// <summary>paNoDevice.</summary>
    public const int NoDevice = -1;
    /// <summary>paContinue: the stream callback's "more, please".</summary>
    public const int Continue = 0;
    public const nuint Float32 = 0x1, NoFlag = 0;
    /// <summary>paOutputUnderflow in the callback's status flags: the host played silence or a gap before this block.</summary>
    public const nuint OutputUnderflowFlag = 0x4;
    public const int InvalidChannelCount = -9998, InvalidSampleRate = -9997;
    private const int UnanticipatedHostError = -9999;

    /// <summary>PaHostApiInfo.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct HostApiInfo
    {
        public int StructVersion;
        public int Type;
        public byte* Name;
        public int DeviceCount;
        public int DefaultInputDevice;
        public int DefaultOutputDevice;
    }

    /// <summary>PaDeviceInfo.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct DeviceInfo
    {
        public int StructVersion;
        public byte* Name;
        public int HostApi;
        public int MaxInputChannels;
        public int MaxOutputChannels;
        public double DefaultLowInputLatency;
        public double DefaultLowOutputLatency;
        public double DefaultHighInputLatency;
        public double DefaultHighOutputLatency;
        public double DefaultSampleRate;
    }

    /// <summary>PaStreamParameters.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct StreamParameters
    {
        public int Device;
        public int ChannelCount;
        public nuint SampleFormat;
        public double SuggestedLatency;
        public void* HostApiSpecificStreamInfo;
    }

    /// <summary>PaStreamInfo.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct StreamInfo
    {
        public int StructVersion;
        public double InputLatency;
        public double OutputLatency;
        public double SampleRate;
    }

    /// <summary>PaStreamCallbackTimeInfo.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct StreamCallbackTimeInfo
    {
        public double InputBufferAdcTime;
        public double CurrentTime;
        public double OutputBufferDacTime;
    }

    /// <summary>PaHostErrorInfo.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct HostErrorInfo
    {
        public int HostApiType;
        public nint ErrorCode;
        public byte* ErrorText;
    }

    /// <summary><paramref name="result"/> when it is not an error; else the error, thrown, beginning with <paramref name="operation"/>.</summary>
    public static int Check(int result, string operation) => result >= 0 ? result : throw Failure(result, operation);

    /// <summary>PortAudio's words for <paramref name="error"/>, with the host's own where PortAudio only says the host failed.</summary>
    public static AudioDeviceException Failure(int error, string operation, string? detail = null)
    {
        string text = Text(Pa_GetErrorText(error));
        HostErrorInfo* host = Pa_GetLastHostErrorInfo();
        if (error == UnanticipatedHostError && host != null && host->ErrorText != null)
            text += $" ({Text(host->ErrorText)}, host error {host->ErrorCode})";
        return new AudioDeviceException($"{operation}: {text}{(detail == null ? "" : $" ({detail})")}", error);
    }

    /// <summary>A format <paramref name="device"/> refused (Pa_IsFormatSupported's <paramref name="error"/>), with its own rate or channels where those were refused.</summary>
    public static AudioDeviceException Unsupported(int error, string operation, AudioDevice device, bool input) => Failure(error, operation, error switch
    {
        InvalidSampleRate => $"its default rate is {device.DefaultSampleRate:0.#} Hz",
        InvalidChannelCount => input ? $"it has {device.MaxInputChannels} input channels" : $"it has {device.MaxOutputChannels} output channels",
        _ => null,
    });

    public static string Text(byte* utf8) => Marshal.PtrToStringUTF8((nint)utf8) ?? "";

    /// <summary>
    /// Stops ALSA and JACK from printing to stderr, where they would scribble over the
    /// terminal UI: with no sound card, Pa_Initialize makes ALSA print some sixty "cannot find
    /// card" lines, and libjack prints five more when PortAudio's JACK host API finds no server (it
    /// never does: <see cref="PortAudioLibrary"/>). Called once, before the first Pa_Initialize.
    /// Failures still reach us as PortAudio's error codes. (PortAudio itself still prints
    /// an "Expression ... failed" line for some failures; it offers no way to stop that.)
    /// </summary>
    public static void Quieten()
    {
        // Present wherever Debian's PortAudio is, which links both; another build may lack either.
        try
        {
            snd_lib_error_set_handler(&IgnoreAlsaMessage);
        }
        catch (DllNotFoundException)
        {
        }
        try
        {
            jack_set_error_function(&IgnoreJackMessage);
            jack_set_info_function(&IgnoreJackMessage);
        }
        catch (DllNotFoundException)
        {
        }
    }

    /// <summary>
    /// ALSA's handler type is variadic: void (*)(const char *file, int line, const char
    /// *function, int err, const char *fmt, ...). A function that declares only the five fixed
    /// parameters may stand in for it where variadic and fixed arguments travel alike and the
    /// caller removes them: the x86-64 System V ABI and Linux's AArch64 ABI (not Apple's). It
    /// reads none of them anyway.
    /// </summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void IgnoreAlsaMessage(byte* file, int line, byte* function, int error, byte* format)
    {
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void IgnoreJackMessage(byte* message)
    {
    }

    [LibraryImport(Library)]
    public static partial int Pa_Initialize();

    [LibraryImport(Library)]
    public static partial int Pa_Terminate();

    [LibraryImport(Library)]
    public static partial byte* Pa_GetVersionText();

    [LibraryImport(Library)]
    private static partial byte* Pa_GetErrorText(int error);

    [LibraryImport(Library)]
    private static partial HostErrorInfo* Pa_GetLastHostErrorInfo();

    [LibraryImport(Library)]
    public static partial int Pa_GetHostApiCount();

    [LibraryImport(Library)]
    public static partial int Pa_GetDefaultHostApi();

    [LibraryImport(Library)]
    public static partial HostApiInfo* Pa_GetHostApiInfo(int hostApi);

    [LibraryImport(Library)]
    public static partial int Pa_HostApiTypeIdToHostApiIndex(int type);

    [LibraryImport(Library)]
    public static partial int Pa_GetDeviceCount();

    [LibraryImport(Library)]
    public static partial int Pa_GetDefaultOutputDevice();

    [LibraryImport(Library)]
    public static partial int Pa_GetDefaultInputDevice();

    [LibraryImport(Library)]
    public static partial DeviceInfo* Pa_GetDeviceInfo(int device);

    [LibraryImport(Library)]
    public static partial int Pa_IsFormatSupported(StreamParameters* input, StreamParameters* output, double sampleRate);

    [LibraryImport(Library)]
    public static partial int Pa_OpenStream(out PortAudioStream stream, StreamParameters* input, StreamParameters* output,
        double sampleRate, nuint framesPerBuffer, nuint flags,
        delegate* unmanaged[Cdecl]<void*, void*, nuint, StreamCallbackTimeInfo*, nuint, void*, int> callback, void* userData);

    [LibraryImport(Library)]
    public static partial int Pa_CloseStream(nint stream);

    [LibraryImport(Library)]
    public static partial int Pa_SetStreamFinishedCallback(PortAudioStream stream, delegate* unmanaged[Cdecl]<void*, void> callback);

    [LibraryImport(Library)]
    public static partial int Pa_StartStream(PortAudioStream stream);

    [LibraryImport(Library)]
    public static partial int Pa_StopStream(PortAudioStream stream);

    [LibraryImport(Library)]
    public static partial int Pa_AbortStream(PortAudioStream stream);

    [LibraryImport(Library)]
    public static partial int Pa_IsStreamActive(PortAudioStream stream);

    [LibraryImport(Library)]
    public static partial StreamInfo* Pa_GetStreamInfo(PortAudioStream stream);

    [LibraryImport(Library)]
    public static partial double Pa_GetStreamTime(PortAudioStream stream);


    [LibraryImport("libasound.so.2")]
    private static partial int snd_lib_error_set_handler(delegate* unmanaged[Cdecl]<byte*, int, byte*, int, byte*, void> handler);

    [LibraryImport("libjack.so.0")]
    private static partial void jack_set_error_function(delegate* unmanaged[Cdecl]<byte*, void> function);

    [LibraryImport("libjack.so.0")]
    private static partial void jack_set_info_function(delegate* unmanaged[Cdecl]<byte*, void> function);
}
