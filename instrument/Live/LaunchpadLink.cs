using LatentTerrain.Controllers.Devices;
using LatentTerrain.Controllers.Midi;
using LatentTerrain.Engine.Maps;
using LatentTerrain.Engine.Synthesis;
using LatentTerrain.Engine.Terrain;
using LatentTerrain.Mappings;

namespace LatentTerrain.Instrument.Live;

/// <summary>
/// What the live instrument sends to one Launchpad, all from <see cref="LiveControllers"/>' display
/// thread (one thread per output, so messages never interleave): programmer mode, then the terrain's
/// 8x8 map redrawn when the terrain changes and the pads under active cursors lit, as
/// <see cref="LaunchpadLights"/> lets frames go, and the side buttons of the stored positions lit
/// (when <paramref name="storedPositions"/> tells them); live mode at the end.
/// </summary>
internal sealed class LaunchpadLink(LaunchpadModel model, MidiOutput output, PlaneBounds bounds, Func<IReadOnlyList<int>>? storedPositions = null)
{
    /// <summary>A training terrain publishes many snapshots a second; the pads follow a few times a second.</summary>
    public static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How long after connecting the first message waits: JACK makes a new connection effective at a
    /// later process cycle, and what is sent before is lost (programmer mode among it).
    /// </summary>
    public static readonly TimeSpan Settling = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// When programmer mode and the whole picture are sent once more after connecting: on a busy
    /// machine a connection can take longer than <see cref="Settling"/> to carry, and a Launchpad that
    /// missed programmer mode would stay in live mode, dark, for the whole performance.
    /// </summary>
    public static readonly TimeSpan Confirming = TimeSpan.FromMilliseconds(500);

    private readonly MapImage _image = new(LaunchpadLights.Size, LaunchpadLights.Size, PixelFormat.Grey8);
    private readonly MapStyle _style = new();
    private TerrainMap? _map;
    private LaunchpadDisplay? _display;
    private long _shownVersion;
    private double _lastRedraw;
    /// <summary>When programmer mode and the whole picture are to be sent (again): after opening, and after the device returns.</summary>
    private double _restartAt = double.NaN;
    /// <summary>The output's <see cref="MidiConnection.Connections"/> that programmer mode was sent on.</summary>
    private int _connection;
    /// <summary>When everything is sent once more (see <see cref="Confirming"/>); NaN when done.</summary>
    private double _confirmAt = double.NaN;

    public MidiOutput Output { get; } = output;

    /// <summary>Sends what is due at <paramref name="now"/> (seconds on <see cref="LiveControllers.Now"/>).</summary>
    public void Tick(CursorBoard board, TerrainSnapshots terrain, double now)
    {
        // The watcher reconnects the output on its own thread; noticing that here keeps programmer
        // mode first. A connection made since the last send is a device that came back, even when
        // this thread never saw it gone.
        if (!Output.IsConnected)
        {
            (_restartAt, _confirmAt) = (double.NaN, double.NaN);
            return;
        }
        if (Output.Connections != _connection && _restartAt == double.NegativeInfinity) _restartAt = double.NaN;
        if (double.IsNaN(_restartAt)) _restartAt = now + Settling.TotalSeconds;
        if (now >= _confirmAt)
        {
            _confirmAt = double.NaN;
            _restartAt = now;
        }
        if (now < _restartAt) return;
        try
        {
            Send(board, terrain, now);
        }
        catch (MidiException)
        {
            // The device went away under a send (the watcher notices at its next look): everything again once it is back.
            _restartAt = double.NaN;
        }
    }

    private void Send(CursorBoard board, TerrainSnapshots terrain, double now)
    {
        if (_restartAt != double.NegativeInfinity)
        {
            if (Output.Connections != _connection) _confirmAt = now + (Confirming - Settling).TotalSeconds;
            _connection = Output.Connections;
            Output.Send(LaunchpadProtocol.ProgrammerMode(model, true));
            _display = new LaunchpadDisplay(new LaunchpadLights(model), bounds);
            _shownVersion = -1;
            _lastRedraw = double.NegativeInfinity;
            _restartAt = double.NegativeInfinity;
        }
        long version = terrain.Version;
        if (version != _shownVersion && now - _lastRedraw >= RedrawInterval.TotalSeconds)
        {
            using (var lease = terrain.Acquire())
            {
                if (_map?.Config != lease.Network.Config) _map = new TerrainMap(lease.Network.Config, LaunchpadLights.Size, LaunchpadLights.Size) { Bounds = bounds };
                _map.Render(lease.Network, _style, _image);
            }
            _display!.ShowTerrain(_image);
            (_shownVersion, _lastRedraw) = (version, now);
        }
        _display!.ShowCursors(board);
        if (_display.Lights.TryTakeFrame(now, out var frame)) Output.Send(frame);
        if (storedPositions == null) return;
        _display.ShowStoredPositions(storedPositions());
        if (_display.Lights.TryTakeSideFrame(out var side)) Output.Send(side);
    }

    /// <summary>Live mode back (the device's setup menu is locked in programmer mode), and the output closed.</summary>
    public void Close()
    {
        try
        {
            if (Output.IsConnected) Output.Send(LaunchpadProtocol.ProgrammerMode(model, false));
        }
        finally
        {
            Output.Dispose();
        }
    }
}
