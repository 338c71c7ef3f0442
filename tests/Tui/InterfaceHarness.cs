using System.Drawing;
using LatentTerrain.Engine.Maps;
using LatentTerrain.Tui;
using Terminal.Gui.App;
using Terminal.Gui.Input;
using Terminal.Gui.Testing;
using Terminal.Gui.Time;

namespace LatentTerrain.Tests.Tui;

/// <summary>A test class of the headless interface: a harness of its own for each test, disposed after it.</summary>
public abstract class InterfaceTests : IDisposable
{
    private protected InterfaceHarness Ui { get; } = new();

    public void Dispose() => Ui.Dispose();
}

/// <summary>
/// The interface headless, as its tests drive it: Terminal.Gui's ANSI driver without a terminal, the
/// screen over a fake instrument and performer, keys and mouse injected, the screen read cell by cell.
/// </summary>
internal sealed class InterfaceHarness : IDisposable
{
    public static readonly TimeSpan RenderTimeout = TimeSpan.FromSeconds(20);

    /// <param name="instrument">What the screen shows, <see cref="Instrument"/> (a fake) by default: a test of the whole instrument gives the real one.</param>
    /// <param name="performer">Who carries out its actions, <see cref="Performer"/> (a fake that records them) by default.</param>
    public InterfaceHarness(int width = 100, int height = 30, bool only256Colours = false, IInstrumentView? instrument = null, IPerformer? performer = null)
    {
        Environment.SetEnvironmentVariable("DisableRealDriverIO", "1");
        App = Application.Create(new VirtualTimeProvider());
        App.Init("ansi");
        App.Driver!.SetScreenSize(width, height);
        Screen = TerrainInterface.CreateScreen(App, instrument ?? Instrument, performer ?? Performer, new TerrainInterfaceOptions { Only256Colours = only256Colours });
        App.Begin(Screen);
        Settle();
    }

    public FakeInstrument Instrument { get; } = new();
    public FakePerformer Performer { get; } = new();
    public IApplication App { get; }
    public InstrumentScreen Screen { get; }

    public void Dispose()
    {
        Screen.Dispose();
        App.Dispose();
    }

    /// <summary>Lays out, reads the instrument, waits for the map the view asks for, and draws it: what the running interface does over a few ticks.</summary>
    public void Settle()
    {
        App.LayoutAndDraw();
        Screen.Tick();
        Assert.True(Screen.Renderer.WaitUntilRendered(RenderTimeout), "the map was not rendered in time");
        Screen.Tick();
        App.LayoutAndDraw();
    }

    public void Press(Key key)
    {
        App.InjectKey(key);
        Settle();
    }

    /// <summary>Each character as its key, without settling in between.</summary>
    public void Type(string text)
    {
        foreach (char c in text) App.InjectKey(new Key(c));
    }

    /// <summary>A mouse event at a cell of the map (column and row within the map).</summary>
    public void Mouse(int column, int row, MouseFlags flags)
    {
        var origin = MapOrigin;
        App.InjectMouse(new Mouse { ScreenPosition = new Point(origin.X + column, origin.Y + row), Flags = flags });
    }

    /// <summary>A press at the first cell, a drag through the others, a release at the last.</summary>
    public void Drag(params (int Column, int Row)[] cells)
    {
        Mouse(cells[0].Column, cells[0].Row, MouseFlags.LeftButtonPressed);
        foreach (var (column, row) in cells[1..]) Mouse(column, row, MouseFlags.LeftButtonPressed | MouseFlags.PositionReport);
        Mouse(cells[^1].Column, cells[^1].Row, MouseFlags.LeftButtonReleased);
    }

    /// <summary>
    /// The actions performed so far, once every one sent has been answered, and the screen after the
    /// tick that shows the answer. Waited for, not awaited: Terminal.Gui's synchronisation context
    /// would hold the continuation for a main loop that does not run.
    /// </summary>
    public List<string> Actions()
    {
        Assert.True(SpinWait.SpinUntil(() => Screen.Performing.IsCompleted, TimeSpan.FromSeconds(20)), "the actions did not finish");
        Screen.Tick();
        App.LayoutAndDraw();
        lock (Performer.Actions) return [.. Performer.Actions];
    }

    public Point MapOrigin => Screen.Map.ViewportToScreen(Point.Empty);

    public string Text => App.Driver!.ToString()!;

    /// <summary>A cell of the map (column and row within the map).</summary>
    public Terminal.Gui.Drawing.Cell CellAt(int column, int row)
    {
        var origin = MapOrigin;
        return App.Driver!.Contents![origin.Y + row, origin.X + column];
    }

    /// <summary>Every map cell that shows terrain ('▀') carries the two pixels TerrainMap draws for the same view; returns how many cells showed something else.</summary>
    public int AssertMapIsTerrainMap()
    {
        var grid = Screen.Map.Grid;
        var map = new TerrainMap(FakeInstrument.Network.Config, grid.Columns, 2 * grid.Rows) { Bounds = Screen.Map.Bounds };
        var expected = map.Render(FakeInstrument.Network, Screen.Map.Style);
        int others = 0;
        for (int row = 0; row < grid.Rows; row++)
            for (int column = 0; column < grid.Columns; column++)
            {
                var cell = CellAt(column, row);
                if (cell.Grapheme != "▀") { others++; continue; }
                var attribute = cell.Attribute!.Value;
                AssertPixel(expected, column, 2 * row, attribute.Foreground, $"upper pixel of cell {column},{row}");
                AssertPixel(expected, column, 2 * row + 1, attribute.Background, $"lower pixel of cell {column},{row}");
            }
        return others;
    }

    private static void AssertPixel(MapImage image, int x, int y, Terminal.Gui.Drawing.Color actual, string where)
    {
        int p = y * image.Width + x;
        var (r, g, b) = image.Format == PixelFormat.Grey8
            ? (image.Pixels[p], image.Pixels[p], image.Pixels[p])
            : (image.Pixels[3 * p], image.Pixels[3 * p + 1], image.Pixels[3 * p + 2]);
        Assert.True(actual.R == r && actual.G == g && actual.B == b, $"{where}: expected ({r}, {g}, {b}), got ({actual.R}, {actual.G}, {actual.B})");
    }
}
