using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace LatentTerrain.Engine.Audio;

/// <summary>
/// The instrument's own JACK client (engine/native/jack_output.c): one output port per ring
/// channel, <c>terrain:out_0</c>, <c>terrain:out_1</c>, ..., connected to the physical playback
/// ports when started; its process callback plays the ring. Given an input (<see cref="Capture"/>),
/// the same client records <c>terrain:in_0</c>, ..., fed by the physical capture ports. Unlike PortAudio's JACK host API it
/// survives its server: <see cref="Gone"/> turns true when the server shuts down or dies, and
/// disposing then frees the client, so a new one can connect to the next server.
/// </summary>
/// <remarks>
/// One control thread opens, starts, stops and disposes it. While a client of a server that went
/// away is open, no JACK client may be opened anywhere in the process: libjack would close and
/// free every such client behind its owner's back (docs/architecture.md: Audio devices).
/// </remarks>
internal sealed unsafe class JackOutput : SafeHandleZeroOrMinusOneIsInvalid
{
    public const string ClientName = "terrain";
    public const string HostApiName = "JACK Audio Connection Kit";
    public const string DeviceName = "system";
    private const int ErrorSize = 200;
    private static readonly HashSet<JackOutput> OpenClients = [];
    private bool active;

    private JackOutput() : base(ownsHandle: true)
    {
    }

    /// <summary>
    /// Refuses to go on while a client of a JACK server that went away is still open here: any JACK
    /// client opening now (ours, a probe, PortAudio's attempt at Pa_Initialize) would make libjack
    /// free it behind its owner's back, and the owner's next call would crash the process.
    /// </summary>
    /// <exception cref="AudioDeviceException">Such a client is open.</exception>
    public static void EnsureNoDeadClient(string operation)
    {
        lock (OpenClients)
        {
            if (OpenClients.Any(output => output.Gone))
                throw new AudioDeviceException($"{operation}: an audio output of the JACK server that went away is still open; release it first (AudioOutput.ReleaseLost)");
        }
    }

    /// <summary>Connects to the JACK server (JACK_DEFAULT_SERVER's, else "default") with a port per channel of <paramref name="ring"/>, not yet playing.</summary>
    /// <param name="clientName">The client's name in JACK: the instrument's own, or a test's second player.</param>
    /// <exception cref="AudioDeviceException">No server runs, or it refused: "<paramref name="operation"/>: reason".</exception>
    public static JackOutput Open(AudioRing ring, string operation, string clientName = ClientName)
    {
        NativeAudio.EnsureLoaded();
        EnsureNoDeadClient(operation);
        byte* error = stackalloc byte[ErrorSize];
        error[0] = 0;
        nint native = NativeAudio.terrain_jack_open(clientName, ring.Native, error, ErrorSize);
        if (native == 0) throw new AudioDeviceException($"{operation}: {Text(error)}");
        var output = new JackOutput();
        output.SetHandle(native);
        lock (OpenClients) OpenClients.Add(output);
        return output;
    }

    /// <summary>
    /// Whether a JACK server runs now, with its rate, period and physical playback and capture ports
    /// (a client opened and closed at once, so only where no client of a dead server is open).
    /// </summary>
    /// <exception cref="AudioDeviceException">A client of a JACK server that went away is still open (<see cref="EnsureNoDeadClient"/>).</exception>
    public static bool Probe(out int sampleRate, out int period, out int playbackPorts, out int capturePorts)
    {
        NativeAudio.EnsureLoaded();
        EnsureNoDeadClient("looking for a JACK server");
        return NativeAudio.terrain_jack_probe("terrain-probe", out sampleRate, out playbackPorts, out capturePorts, out period) != 0;
    }

    /// <summary>The server shut down or died: the client plays no more and is only good for disposing.</summary>
    public bool Gone => NativeAudio.terrain_jack_gone(handle) != 0;

    public bool IsActive => active && !Gone;

    /// <summary>Seconds from a port to the speakers: the playback latency JACK reports for what the ports feed.</summary>
    public double Latency => NativeAudio.terrain_jack_latency(handle);

    /// <summary>JACK's clock (jack_get_time) in seconds: the clock of <see cref="AudioOutput.LastCallback"/>'s times.</summary>
    public static double Time => NativeAudio.terrain_jack_time();

    /// <exception cref="AudioDeviceException">The server would not activate the client.</exception>
    public void Start()
    {
        byte* error = stackalloc byte[ErrorSize];
        error[0] = 0;
        if (NativeAudio.terrain_jack_start(handle, error, ErrorSize) != 0) throw new AudioDeviceException($"starting JACK output: {Text(error)}");
        active = true;
    }

    /// <summary>
    /// Gives the client an input port per channel of <paramref name="capture"/> (<c>in_0</c>, ...) and
    /// records them into it from now on, connected to the physical capture ports whenever the client
    /// starts (at once when it plays). Once per client.
    /// </summary>
    /// <exception cref="AudioDeviceException">The server refused a port, or the ring has more than two channels.</exception>
    public void Capture(AudioRing capture)
    {
        byte* error = stackalloc byte[ErrorSize];
        error[0] = 0;
        if (NativeAudio.terrain_jack_capture(handle, capture.Native, error, ErrorSize) != 0) throw new AudioDeviceException($"recording JACK's input: {Text(error)}");
    }

    /// <summary>Takes the client out of the server's graph (nothing to do once the server is gone).</summary>
    public void Stop()
    {
        if (!active) return;
        NativeAudio.terrain_jack_stop(handle);
        active = false;
    }

    protected override bool ReleaseHandle()
    {
        lock (OpenClients)
        {
            OpenClients.Remove(this);
            NativeAudio.terrain_jack_close(handle);
        }
        return true;
    }

    private static string Text(byte* error) => Encoding.UTF8.GetString(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(error));
}
