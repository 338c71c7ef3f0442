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
/// <see cref="LaunchpadLights"/> lets frames go; live mode at the end.
/// </summary>
internal sealed class LaunchpadLink(LaunchpadModel model, MidiOutput output, PlaneBounds bounds)
{
    /// <summary>A training terrain publishes many snapshots a second; the pads follow a few times a second.</summary>
    public static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(250);

    private readonly MapImage _image = new(LaunchpadLights.Size, LaunchpadLights.Size, PixelFormat.Grey8);
    private readonly MapStyle _style = new();
    private TerrainMap? _map;
    private LaunchpadDisplay? _display;
    private long _shownVersion;
    private double _lastRedraw;
    private volatile bool _restart = true;

    public MidiOutput Output { get; } = output;

    /// <summary>The device came back (or was just opened): programmer mode and the whole picture again.</summary>
    public void Restart() => _restart = true;

    /// <summary>Sends what is due at <paramref name="now"/> (seconds on <see cref="LiveControllers.Now"/>).</summary>
    public void Tick(CursorBoard board, TerrainSnapshots terrain, double now)
    {
        if (!Output.IsConnected) return;
        if (_restart)
        {
            _restart = false;
            Output.Send(LaunchpadProtocol.ProgrammerMode(model, true));
            _display = new LaunchpadDisplay(new LaunchpadLights(model), bounds);
            _shownVersion = -1;
            _lastRedraw = double.NegativeInfinity;
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
