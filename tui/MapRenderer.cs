using System.Diagnostics;
using LatentTerrain.Engine.Maps;
using LatentTerrain.Engine.Terrain;

namespace LatentTerrain.Tui;

/// <summary>What the map should show: a rectangle of the plane, a style, a size in cells (two pixels a cell, stacked).</summary>
internal sealed record MapRequest(PlaneBounds Bounds, MapStyle Style, int Columns, int Rows, long Version);

/// <summary>A finished picture and what it shows. The renderer and the UI pass these back and forth; their images are reused.</summary>
internal sealed class RenderedMap(MapImage image)
{
    public MapImage Image { get; set; } = image;
    public MapRequest? Request { get; set; }
    /// <summary>How long the last render into this picture took (measurements only).</summary>
    public TimeSpan Took { get; set; }
}

/// <summary>
/// Renders the map on a thread of its own, so the UI thread never waits for a terrain evaluation.
/// The UI posts the newest <see cref="MapRequest"/>; the renderer draws it into a spare picture
/// (one <see cref="TerrainMap"/>, at most three pictures in circulation, nothing allocated while
/// the size stays) and leaves it in a slot the UI takes at its next tick.
/// </summary>
internal sealed class MapRenderer : IDisposable
{
    /// <summary>A terrain that trains republishes every 50 ms; redrawing the map for each would cost a core for little to see.</summary>
    private static readonly TimeSpan TrainingInterval = TimeSpan.FromMilliseconds(250);

    private readonly TerrainSnapshots _terrain;
    private readonly bool _only256Colours;
    private readonly Thread _thread;
    private readonly object _lock = new();
    private MapRequest? _wanted, _done;
    private RenderedMap? _ready, _spare;
    private bool _stopping;
    private TerrainMap? _map;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _lastStart;

    public MapRenderer(TerrainSnapshots terrain, bool only256Colours)
    {
        _terrain = terrain;
        _only256Colours = only256Colours;
        _thread = new Thread(Loop) { IsBackground = true, Name = "terrain map", Priority = ThreadPriority.BelowNormal };
        _thread.Start();
    }

    /// <summary>Asks for <paramref name="request"/>; a newer request replaces one not started yet.</summary>
    public void Request(MapRequest request)
    {
        lock (_lock)
        {
            _wanted = request;
            Monitor.PulseAll(_lock);
        }
    }

    /// <summary>The newest finished picture, or null when none is new; <paramref name="shown"/> (the one the UI drew until now) goes back for reuse.</summary>
    public RenderedMap? Take(RenderedMap? shown)
    {
        lock (_lock)
        {
            var ready = _ready;
            if (ready == null) return null;
            _ready = null;
            _spare = shown;
            return ready;
        }
    }

    /// <summary>Waits until the newest request is rendered and waiting to be taken (or taken): tests and measurements.</summary>
    public bool WaitUntilRendered(TimeSpan timeout)
    {
        var deadline = _clock.Elapsed + timeout;
        lock (_lock)
        {
            while (!ReferenceEquals(_wanted, _done))
            {
                var left = deadline - _clock.Elapsed;
                if (left <= TimeSpan.Zero) return false;
                Monitor.Wait(_lock, left);
            }
            return true;
        }
    }

    private void Loop()
    {
        RenderedMap? target = null;
        while (true)
        {
            MapRequest request;
            lock (_lock)
            {
                while (!_stopping && (_wanted == null || ReferenceEquals(_wanted, _done))) Monitor.Wait(_lock);
                if (_stopping) return;
                request = _wanted!;
                // Only the terrain moved on (training): keep to a few maps a second. A view change goes at once.
                var wait = _lastStart + TrainingInterval - _clock.Elapsed;
                if (_done != null && wait > TimeSpan.Zero && request with { Version = _done.Version } == _done)
                {
                    Monitor.Wait(_lock, wait);
                    continue;
                }
                if (target == null) (target, _spare) = (_spare, null);
            }

            _lastStart = _clock.Elapsed;
            target = Render(request, target);

            lock (_lock)
            {
                // A picture the UI never took is the next one to draw into.
                (target, _ready) = (_ready, target);
                _done = request;
                Monitor.PulseAll(_lock);
            }
        }
    }

    private RenderedMap Render(MapRequest request, RenderedMap? target)
    {
        var started = _clock.Elapsed;
        using var lease = _terrain.Acquire();
        var network = lease.Network;
        var style = MapStyles.Fit(request.Style, network.Config.LatentSize);
        int width = request.Columns, height = 2 * request.Rows;
        if (_map == null || _map.Config != network.Config || _map.Width != width || _map.Height != height)
            _map = new TerrainMap(network.Config, width, height);
        if (target == null || target.Image.Width != width || target.Image.Height != height || target.Image.Format != style.Format)
            target = new RenderedMap(new MapImage(width, height, style.Format));
        _map.Bounds = request.Bounds;
        _map.Render(network, style, target.Image);
        if (_only256Colours) Xterm256.SnapInPlace(target.Image);
        target.Request = request with { Style = style };
        target.Took = _clock.Elapsed - started;
        return target;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _stopping = true;
            Monitor.PulseAll(_lock);
        }
        _thread.Join();
    }
}
