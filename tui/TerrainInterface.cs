using LatentTerrain.Engine.Maps;
using Terminal.Gui.App;

namespace LatentTerrain.Tui;

/// <summary>How the interface starts: the view of the plane, the channel, the range, grey or colour.</summary>
public sealed record TerrainInterfaceOptions
{
    public PlaneBounds Bounds { get; init; } = PlaneBounds.Default;
    /// <summary>The latent channel drawn first (colour: brightness; the next three are red, green, blue).</summary>
    public int Channel { get; init; }
    /// <summary>The latent values drawn black and white; <c>a</c> switches between this and automatic.</summary>
    public ChannelRange Range { get; init; } = ChannelRange.Reference;
    public bool Colour { get; init; }
    /// <summary>Snap the map to the xterm 256-colour palette; null decides from TERM and COLORTERM.</summary>
    public bool? Only256Colours { get; init; }
}

/// <summary>
/// The terminal interface of the playing instrument: a full-screen Terminal.Gui application that
/// shows the terrain, its cursors and the instrument's state, and turns mouse and keys into the
/// performer's touches and actions. It reads <see cref="IInstrumentView"/> and emits to
/// <see cref="IPerformer"/>; it never runs anything on the synth thread.
/// </summary>
public sealed class TerrainInterface(IInstrumentView instrument, IPerformer performer, TerrainInterfaceOptions? options = null)
{
    /// <summary>How often the screen reads the instrument: the frame rate of the cursors.</summary>
    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(40);

    private readonly TerrainInterfaceOptions _options = options ?? new TerrainInterfaceOptions();
    private TerrainInterfaceOptions _view = options ?? new TerrainInterfaceOptions();

    /// <summary>The map's view as the performer left it (bounds, channel, colour): what a session keeps. Any thread.</summary>
    public TerrainInterfaceOptions View => Volatile.Read(ref _view);

    /// <summary>Runs until Ctrl+Q, the <c>quit</c> action or <paramref name="cancel"/>; restores the terminal on the way out.</summary>
    public void Run(CancellationToken cancel)
    {
        using IApplication app = Application.Create();
        app.Init();
        using var terminal = new TerminalCells();
        using var screen = CreateScreen(app, instrument, performer, _options, terminal);
        screen.Map.ViewChanged += () => Volatile.Write(ref _view, _options with
        {
            Bounds = screen.Map.Bounds,
            Channel = screen.Map.Style.Channel,
            Colour = screen.Map.Style.Format == Engine.Maps.PixelFormat.Rgb8,
        });
        app.AddTimeout(TickInterval, () =>
        {
            if (cancel.IsCancellationRequested) screen.RequestQuit();
            else screen.Tick();
            return true;
        });
        app.Run(screen);
    }

    /// <summary>
    /// The screen the interface runs, for <paramref name="app"/> (tests: a headless application, then
    /// <c>app.Begin(screen)</c>). Ctrl+Q stops <paramref name="app"/>.
    /// </summary>
    internal static InstrumentScreen CreateScreen(IApplication app, IInstrumentView instrument, IPerformer performer, TerrainInterfaceOptions? options = null,
        TerminalCells? terminal = null)
    {
        var screen = new InstrumentScreen(instrument, performer, options ?? new TerrainInterfaceOptions(), terminal);
        screen.Quit += () => app.RequestStop();
        return screen;
    }
}
