using LatentTerrain.Controllers.Midi;
using LatentTerrain.Engine.Maps;

namespace LatentTerrain.Instrument.Live;

/// <summary>Which MIDI inputs <see cref="LiveControllers"/> opens and which mapping profiles they play (<c>terrain play --midi, --mapping</c>).</summary>
public sealed record LiveControllerSettings
{
    /// <summary>The input ports to open, each a port number or a name or part of one (any case); empty: every input port.</summary>
    public IReadOnlyList<string> Ports { get; init; } = [];

    /// <summary>
    /// Profile files: <c>FILE</c> for every opened port, or <c>PORT=FILE</c> for the ports whose name
    /// contains PORT (any case); a later one wins. A port none names plays its kind's default profile.
    /// </summary>
    public IReadOnlyList<string> Mappings { get; init; } = [];

    /// <summary>The part of the terrain the controllers play (and a Launchpad shows).</summary>
    public PlaneBounds Bounds { get; init; } = PlaneBounds.Default;

    /// <summary>How often the ports are looked at for devices that went away or came back.</summary>
    public TimeSpan WatchInterval { get; init; } = MidiPortWatcher.DefaultInterval;
}
