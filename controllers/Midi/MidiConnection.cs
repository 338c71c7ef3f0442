namespace LatentTerrain.Controllers.Midi;

/// <summary>
/// One open RtMidi input or output: connected to a port of the system (found by name), or a
/// virtual port of our own that others connect to. Its port can disappear and come back (a
/// device unplugged and plugged in again); <see cref="MidiPortWatcher"/> notices both and
/// reconnects it. Dispose it: it holds a client of the MIDI API (on JACK a JACK client).
/// </summary>
/// <remarks>
/// A JACK server that goes away leaves every JACK client of the process dead, and libjack frees
/// them all, behind their owners' backs, when the next client opens. So the watcher lets go of a
/// JACK connection's RtMidi client as soon as the server is gone (<see cref="LetGo"/>), and makes a
/// new one when its port is back.
/// </remarks>
public abstract class MidiConnection : IDisposable
{
    /// <summary>The name RtMidi clients of ours have on the MIDI API (JACK makes it unique: "terrain-01", ...).</summary>
    public const string DefaultClientName = "terrain";

    private protected readonly Lock Gate = new();
    private readonly string localPortName;
    private readonly string clientName;
    private bool connected;
    private bool disposed;
    private int connections;

    private protected MidiConnection(RtMidiHandle device, MidiApi api, string clientName, string localPortName)
    {
        Device = device;
        Api = api;
        this.clientName = clientName;
        this.localPortName = localPortName;
    }

    public MidiApi Api { get; }

    /// <summary>The port it connects to, as found when it last connected; null for a virtual port.</summary>
    public MidiPort? Port { get; private set; }

    /// <summary>The connected port's name, or the virtual port's own.</summary>
    public string Name => Port?.Name ?? localPortName;

    public MidiDirection Direction => this is MidiInput ? MidiDirection.Input : MidiDirection.Output;

    /// <summary>False while the port it connects to is gone (as <see cref="MidiPortWatcher"/> last saw); a virtual port is always connected.</summary>
    public bool IsConnected => Port == null || Volatile.Read(ref connected);

    /// <summary>
    /// How many times it has connected to its port: a device that went away and came back has a
    /// new count, however briefly <see cref="IsConnected"/> was false, so a sender polling it knows
    /// that the device starts afresh (a Launchpad back in live mode, its lights off).
    /// </summary>
    public int Connections => Volatile.Read(ref connections);

    public bool IsDisposed => Volatile.Read(ref disposed);

    /// <summary>Whether it holds a JACK client now (not after <see cref="LetGo"/>, until it reconnects).</summary>
    public bool HoldsJackClient
    {
        get { lock (Gate) return Api == MidiApi.Jack && Device != null; }
    }

    /// <summary>The RtMidi input or output; null after <see cref="LetGo"/> until it reconnects.</summary>
    private protected RtMidiHandle? Device { get; private set; }

    public override string ToString() => $"MIDI {Direction.ToString().ToLowerInvariant()} {(Port?.ToString() ?? $"'{localPortName}' (virtual, {Api.DisplayName()})")}";

    /// <summary>Connects to the port that is the same device as <paramref name="port"/>, looked up again by name (port numbers shift as ports come and go).</summary>
    /// <exception cref="MidiException">It is gone, or RtMidi cannot open it.</exception>
    private protected void Connect(MidiPort port)
    {
        var device = Device!;
        string direction = port.Direction.ToString().ToLowerInvariant();
        var names = RtMidi.PortNames(device, $"listing the {Api.DisplayName()} MIDI {direction} ports", out _);
        int index = names.FindIndex(name => MidiPort.Identify(port.Api, name) == port.Identity);
        if (index < 0)
        {
            throw new MidiException(names.Count == 0 ? $"MIDI {direction} {port} is gone: there are no {Api.DisplayName()} MIDI {direction} ports now"
                : $"MIDI {direction} {port} is gone: the {Api.DisplayName()} {direction} ports are {string.Join(", ", names.Select(name => $"'{name}'"))}");
        }
        RtMidi.Call(device, $"opening MIDI {direction} {port}", handle => RtMidi.rtmidi_open_port(handle, (uint)index, localPortName));
        Port = port with { Name = names[index], PortIndex = index };
        Interlocked.Increment(ref connections);
        Volatile.Write(ref connected, true);
    }

    /// <summary>Opens the virtual port (named as given at creation), which other clients can connect to.</summary>
    private protected void OpenVirtual()
    {
        RtMidi.Call(Device!, $"opening the virtual MIDI {Direction.ToString().ToLowerInvariant()} port '{localPortName}' on {Api.DisplayName()}",
            device => RtMidi.rtmidi_open_virtual_port(device, localPortName));
    }

    /// <summary>The watcher saw its port disappear.</summary>
    internal void Lost() => Volatile.Write(ref connected, false);

    /// <summary>
    /// The watcher saw its port (<paramref name="now"/>) return: closes the old connection and connects
    /// again, through a new RtMidi client when the old one was let go of.
    /// </summary>
    /// <exception cref="MidiException">RtMidi cannot open it.</exception>
    internal void Reconnect(MidiPort now)
    {
        lock (Gate)
        {
            if (IsDisposed) return;
            if (Device == null) Device = NewDevice(Api, clientName);
            else RtMidi.Call(Device, $"closing {this}", RtMidi.rtmidi_close_port);
            Connect(now);
        }
    }

    /// <summary>The JACK server went away: frees the RtMidi client (dead with it) now, and counts the port as gone.</summary>
    internal void LetGo()
    {
        lock (Gate)
        {
            Volatile.Write(ref connected, false);
            Device?.Dispose();
            Device = null;
        }
    }

    public void Dispose()
    {
        lock (Gate)
        {
            if (IsDisposed) return;
            Volatile.Write(ref disposed, true);
            Device?.Dispose();
        }
        Released();
        GC.SuppressFinalize(this);
    }

    /// <summary>A new RtMidi input or output on <paramref name="api"/>, ready to connect (an input's callback set).</summary>
    private protected abstract RtMidiHandle NewDevice(MidiApi api, string clientName);

    /// <summary>After the RtMidi input or output is freed (no callback runs any more).</summary>
    private protected virtual void Released()
    {
    }
}
