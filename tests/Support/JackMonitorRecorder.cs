using System.Runtime.InteropServices;

namespace LatentTerrain.Tests.Support;

/// <summary>
/// A JACK client of a test's own (libjack, bound here and only here) that records a server's
/// system:monitor_1 port, what the server plays, and notes the server's clock at each cycle: so a
/// recorded sample's moment is known in JACK's microseconds (<see cref="Now"/>), where jack_capture's
/// files say nothing of time. The server is the one JACK_DEFAULT_SERVER names (see
/// <see cref="JackServer"/>).
/// </summary>
/// <remarks>
/// The process callback is managed (a test is allowed that): it copies into arrays made beforehand
/// and allocates nothing, so no collection is started from it; one started elsewhere delays it,
/// which at worst makes JACK count this client late, not the instrument it listens to.
/// </remarks>
public sealed partial class JackMonitorRecorder : IDisposable
{
    private const string Library = "libjack.so.0";

    private readonly ClientHandle _client;
    private readonly nint _port;
    private readonly float[] _samples;
    private readonly long[] _cycleFrame;
    private readonly ulong[] _cycleMicroseconds;
    private readonly ProcessCallback _callback;
    private int _written, _cycles;
    private volatile bool _recording;

    private delegate int ProcessCallback(uint frames, nint argument);

    /// <summary>Connects to the server and records up to <paramref name="seconds"/> from <see cref="Start"/> on.</summary>
    public JackMonitorRecorder(double seconds, string source = "system:monitor_1")
    {
        _client = jack_client_open("lt-monitor", JackNoStartServer, out int status);
        if (_client.IsInvalid) throw new InvalidOperationException($"libjack: cannot open a client (status 0x{status:x}): is a JACK server running?");
        try
        {
            SampleRate = (int)jack_get_sample_rate(_client);
            _samples = new float[(int)(seconds * SampleRate)];
            int period = (int)jack_get_buffer_size(_client);
            _cycleFrame = new long[_samples.Length / period + 2];
            _cycleMicroseconds = new ulong[_cycleFrame.Length];
            _port = jack_port_register(_client, "in", "32 bit float mono audio", JackPortIsInput, 0);
            if (_port == 0) throw new InvalidOperationException("libjack: cannot register an input port");
            _callback = Process;
            Check(jack_set_process_callback(_client, Marshal.GetFunctionPointerForDelegate(_callback), 0), "jack_set_process_callback");
            Check(jack_activate(_client), "jack_activate");
            Check(jack_connect(_client, source, Marshal.PtrToStringUTF8(jack_port_name(_port))!), $"jack_connect {source}");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public int SampleRate { get; }

    /// <summary>The server's clock now, in microseconds: the clock <see cref="MomentOf"/> answers in.</summary>
    public static ulong Now() => jack_get_time();

    public void Start() => _recording = true;

    /// <summary>Stops recording and returns what was recorded.</summary>
    public float[] Stop()
    {
        _recording = false;
        Thread.Sleep(50);
        return _samples[..Volatile.Read(ref _written)];
    }

    /// <summary>
    /// When the server's cycle that carried recorded sample <paramref name="index"/> began (its
    /// estimate from jack_get_cycle_times), plus the sample's place in the cycle: the moment the
    /// sample left the server's graph for the driver, in microseconds of <see cref="Now"/>'s clock.
    /// </summary>
    public double MomentOf(long index)
    {
        int cycle = Array.BinarySearch(_cycleFrame, 0, _cycles, index);
        if (cycle < 0) cycle = ~cycle - 1;
        return _cycleMicroseconds[cycle] + (index - _cycleFrame[cycle]) * 1e6 / SampleRate;
    }

    private int Process(uint frames, nint argument)
    {
        if (!_recording || _written + frames > _samples.Length || _cycles == _cycleFrame.Length) return 0;
        if (jack_get_cycle_times(_client, out _, out ulong microseconds, out _, out _) != 0) return 0;
        _cycleFrame[_cycles] = _written;
        _cycleMicroseconds[_cycles] = microseconds;
        Marshal.Copy(jack_port_get_buffer(_port, frames), _samples, _written, (int)frames);
        _cycles++;
        Volatile.Write(ref _written, _written + (int)frames);
        return 0;
    }

    /// <summary>Leaves the server (closing a client deactivates it first).</summary>
    public void Dispose() => _client.Dispose();

    private sealed class ClientHandle() : Microsoft.Win32.SafeHandles.SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
    {
        protected override bool ReleaseHandle() => jack_client_close(handle) == 0;
    }

    private static void Check(int result, string what)
    {
        if (result != 0) throw new InvalidOperationException($"libjack: {what} failed ({result})");
    }

    private const int JackNoStartServer = 0x01;
    private const ulong JackPortIsInput = 0x1;

    // jack_client_open is variadic; with neither JackServerName nor JackLoadName among the options it reads no more arguments.
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    private static partial ClientHandle jack_client_open(string name, int options, out int status);
    [LibraryImport(Library)]
    private static partial int jack_client_close(nint client);
    [LibraryImport(Library)]
    private static partial uint jack_get_sample_rate(ClientHandle client);
    [LibraryImport(Library)]
    private static partial uint jack_get_buffer_size(ClientHandle client);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint jack_port_register(ClientHandle client, string name, string type, ulong flags, ulong bufferSize);
    [LibraryImport(Library)]
    private static partial nint jack_port_name(nint port);
    [LibraryImport(Library)]
    private static partial int jack_set_process_callback(ClientHandle client, nint callback, nint argument);
    [LibraryImport(Library)]
    private static partial int jack_activate(ClientHandle client);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int jack_connect(ClientHandle client, string source, string destination);
    [LibraryImport(Library)]
    private static partial nint jack_port_get_buffer(nint port, uint frames);
    [LibraryImport(Library)]
    private static partial int jack_get_cycle_times(ClientHandle client, out uint currentFrames, out ulong currentMicroseconds, out ulong nextMicroseconds, out float periodMicroseconds);
    [LibraryImport(Library)]
    private static partial ulong jack_get_time();
}
