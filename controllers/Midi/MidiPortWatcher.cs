namespace LatentTerrain.Controllers.Midi;

/// <summary>
/// Watches the MIDI ports on a background thread, a few times a second, for the connections
/// given to <see cref="Watch"/>: when a connection's port disappears (a device unplugged, a
/// program quit) it says so (<see cref="Disappeared"/>); when a port of the same name comes
/// back it reconnects the connection and says so (<see cref="Returned"/>). A port that was not
/// there at the look before (a device plugged in) is told of too (<see cref="Appeared"/>).
/// </summary>
/// <remarks>
/// A JACK server that goes away takes every JACK connection with it: the watcher lets go of their
/// clients at once (<see cref="MidiConnection.LetGo"/>, told as <see cref="Disappeared"/>) and
/// reconnects them, with new clients, when their ports are back on a server started again.
/// Polling, since RtMidi tells of no changes. A port gone and back within one interval is not
/// noticed. Events come on the watcher's thread; what a handler throws is kept in
/// <see cref="Fault"/> rather than ending the process.
/// </remarks>
public sealed class MidiPortWatcher : IDisposable
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(250);

    private readonly MidiPorts ports;
    private readonly List<MidiConnection> watched = [];
    private readonly TimeSpan interval;
    private readonly ManualResetEventSlim stopping = new();
    private readonly Thread thread;
    private MidiPortList latest;
    private bool jackGone;
    private Exception? fault;

    /// <summary>Lists the ports once, then watches them every <paramref name="interval"/> (by default <see cref="DefaultInterval"/>).</summary>
    /// <param name="mayOpenJack">Whether a JACK client may be opened now (see <see cref="MidiPorts"/>); by default always.</param>
    public MidiPortWatcher(TimeSpan? interval = null, Func<bool>? mayOpenJack = null)
    {
        this.interval = interval ?? DefaultInterval;
        ports = new MidiPorts(mayOpenJack);
        latest = ports.List();
        thread = new Thread(Run) { IsBackground = true, Name = "MIDI port watcher" };
        thread.Start();
    }

    /// <summary>A watched connection's port is gone; the argument is its name.</summary>
    public event Action<string>? Disappeared;

    /// <summary>A watched connection's port is back and the connection is connected to it again; the argument is its name.</summary>
    public event Action<string>? Returned;

    /// <summary>
    /// An input or output port that was not there at the look before; the arguments are the port and the
    /// ports of this look. Comes after the watched connections are handled, so a port that is a
    /// watched connection's come back is connected again by then.
    /// </summary>
    public event Action<MidiPort, MidiPortList>? Appeared;

    /// <summary>The ports at the latest look.</summary>
    public MidiPortList Ports => Volatile.Read(ref latest);

    /// <summary>The first exception an event handler threw or a look met, if any; watching goes on.</summary>
    public Exception? Fault => Volatile.Read(ref fault);

    /// <summary>
    /// Whether a client of a JACK server that went away is still open here (the watcher closes them
    /// at its next look). While one is, nothing else in the process may open a JACK client.
    /// </summary>
    public bool HoldsDeadJackClients
    {
        get
        {
            if (!ports.JackServerGone) return false;
            lock (watched) return ports.HoldsJackClient || watched.Any(connection => connection.HoldsJackClient);
        }
    }

    /// <summary>Watches <paramref name="connection"/> until it is disposed. Virtual ports are never gone, so they need no watching.</summary>
    public void Watch(MidiConnection connection)
    {
        lock (watched) watched.Add(connection);
    }

    public void Dispose()
    {
        stopping.Set();
        thread.Join();
        ports.Dispose();
        stopping.Dispose();
    }

    private void Run()
    {
        while (!stopping.Wait(interval))
        {
            try
            {
                Look();
            }
            catch (Exception failure)
            {
                Interlocked.CompareExchange(ref fault, failure, null);
            }
        }
    }

    private void Look()
    {
        var now = ports.List();
        var before = Volatile.Read(ref latest);
        Volatile.Write(ref latest, now);
        MidiConnection[] connections;
        lock (watched)
        {
            watched.RemoveAll(connection => connection.IsDisposed);
            connections = [.. watched];
        }
        bool jackWentAway = ports.JackServerGone && !Volatile.Read(ref jackGone);
        Volatile.Write(ref jackGone, ports.JackServerGone);
        foreach (var connection in connections)
        {
            if (jackWentAway && connection.Api == MidiApi.Jack)
            {
                bool wasConnected = connection.IsConnected;
                connection.LetGo();
                if (wasConnected) Disappeared?.Invoke(connection.Name);
                continue;
            }
            if (connection.Port is not MidiPort port) continue;
            var found = now.Find(port.Api, port.Direction, port.Identity);
            if (found == null && connection.IsConnected)
            {
                connection.Lost();
                Disappeared?.Invoke(connection.Name);
            }
            else if (found != null && !connection.IsConnected && TryReconnect(connection, found))
            {
                Returned?.Invoke(connection.Name);
            }
        }
        foreach (var port in now.Inputs.Concat(now.Outputs))
            if (before.Find(port.Api, port.Direction, port.Identity) == null) Appeared?.Invoke(port, now);
    }

    // A port that came back but cannot be opened yet (a device still starting) is tried again at the next look.
    private bool TryReconnect(MidiConnection connection, MidiPort port)
    {
        try
        {
            connection.Reconnect(port);
            return !connection.IsDisposed;
        }
        catch (MidiException)
        {
            return false;
        }
    }
}
