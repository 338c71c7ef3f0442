using System.Drawing;
using LatentTerrain.Engine.Maps;
using LatentTerrain.Tui;
using Terminal.Gui.App;
using Terminal.Gui.Input;
using Terminal.Gui.Testing;
using Terminal.Gui.Time;
using Xunit.Abstractions;

namespace LatentTerrain.Tests.Tui;

/// <summary>The interface headless: Terminal.Gui's ANSI driver without a terminal, keys and mouse injected, the screen read cell by cell.</summary>
[Collection(TuiCollection.Name)]
public sealed class TerrainInterfaceTests : IDisposable
{
    private static readonly TimeSpan RenderTimeout = TimeSpan.FromSeconds(20);
    private readonly FakeInstrument _instrument = new();
    private readonly FakePerformer _performer = new();
    private readonly IApplication _app;
    private readonly InstrumentScreen _screen;
    private readonly ITestOutputHelper _output;

    public TerrainInterfaceTests(ITestOutputHelper output)
    {
        _output = output;
        Environment.SetEnvironmentVariable("DisableRealDriverIO", "1");
        _app = Application.Create(new VirtualTimeProvider());
        _app.Init("ansi");
        _app.Driver!.SetScreenSize(100, 30);
        _screen = TerrainInterface.CreateScreen(_app, _instrument, _performer, new TerrainInterfaceOptions { Only256Colours = false });
        _app.Begin(_screen);
        Settle();
    }

    public void Dispose()
    {
        _screen.Dispose();
        _app.Dispose();
    }

    /// <summary>Lays out, reads the instrument, waits for the map the view asks for, and draws it: what the running interface does over a few ticks.</summary>
    private void Settle()
    {
        _app.LayoutAndDraw();
        _screen.Tick();
        Assert.True(_screen.Renderer.WaitUntilRendered(RenderTimeout), "the map was not rendered in time");
        _screen.Tick();
        _app.LayoutAndDraw();
    }

    private void Press(Key key)
    {
        _app.InjectKey(key);
        Settle();
    }

    private void Type(string text)
    {
        foreach (char c in text) _app.InjectKey(new Key(c));
    }

    private Point MapOrigin => _screen.Map.ViewportToScreen(Point.Empty);

    private string Screen => _app.Driver!.ToString()!;

    private Terminal.Gui.Drawing.Cell CellAt(int column, int row)
    {
        var origin = MapOrigin;
        return _app.Driver!.Contents![origin.Y + row, origin.X + column];
    }

    /// <summary>Every map cell that shows terrain ('▀') carries the two pixels TerrainMap draws for the same view; returns how many cells showed something else.</summary>
    private int AssertMapIsTerrainMap()
    {
        var grid = _screen.Map.Grid;
        var map = new TerrainMap(FakeInstrument.Network.Config, grid.Columns, 2 * grid.Rows) { Bounds = _screen.Map.Bounds };
        var expected = map.Render(FakeInstrument.Network, _screen.Map.Style);
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

    [Fact]
    public void The_map_cells_carry_the_colours_of_TerrainMap_for_the_same_terrain_size_and_bounds()
    {
        Assert.Equal(PlaneBounds.Default, _screen.Map.Bounds);
        Assert.True(_screen.Map.Grid.Columns >= 60 && _screen.Map.Grid.Rows >= 20, $"the map is only {_screen.Map.Grid}");
        // Only the silent keyboard finger (its ring and its number) covers the terrain.
        Assert.Equal(2, AssertMapIsTerrainMap());
        Assert.Contains("map · channel 0 grey [-1, 4] · x -16..16 y -4..4", Screen);
    }

    [Fact]
    public void Channel_colour_and_range_keys_change_the_picture_and_the_title()
    {
        Press(new Key(']'));
        Assert.Equal(1, _screen.Map.Style.Channel);
        Assert.Contains("channel 1 grey", Screen);
        Assert.Equal(2, AssertMapIsTerrainMap());

        Press(new Key('c'));
        Assert.Equal(PixelFormat.Rgb8, _screen.Map.Style.Format);
        Assert.Contains("channels 1..4 colour", Screen);
        Assert.Equal(2, AssertMapIsTerrainMap());

        Press(new Key('a'));
        Assert.True(_screen.Map.Style.Range.IsAutomatic);
        Assert.Contains("channels 1..4 colour auto", Screen);
        Assert.Equal(2, AssertMapIsTerrainMap());

        Press(new Key('['));
        Press(new Key('['));
        Assert.Equal(0, _screen.Map.Style.Channel);
    }

    [Fact]
    public void Zoom_pan_and_reset_keys_change_the_bounds_shown_in_the_title()
    {
        Press(new Key('+'));
        Assert.Contains("x -12.8..12.8 y -3.2..3.2", Screen);
        Assert.Equal(2, AssertMapIsTerrainMap());
        Press(new Key('l'));
        Assert.Contains("x -9.6..16 y -3.2..3.2", Screen);
        Press(Key.CursorUp.WithShift);
        Assert.Contains("x -9.6..16 y -2.4..4", Screen);
        Press(new Key('-'));
        Press(new Key('0'));
        Assert.Contains("x -16..16 y -4..4", Screen);
        Assert.Equal(PlaneBounds.Default, _screen.Map.Bounds);
    }

    [Fact]
    public void The_mouse_wheel_zooms_around_the_pointer()
    {
        var origin = MapOrigin;
        var grid = _screen.Map.Grid;
        float x = grid.X(10), y = grid.Y(5);
        _app.InjectMouse(new Mouse { ScreenPosition = new Point(origin.X + 10, origin.Y + 5), Flags = MouseFlags.WheeledUp });
        Settle();
        var bounds = _screen.Map.Bounds;
        Assert.Equal(25.6f, bounds.Width, 3);
        // The point under the pointer stays where it was on the plane.
        Assert.Equal((x - bounds.XMin) / bounds.Width, (x + 16f) / 32f, 4);
        Assert.Equal((y - bounds.YMin) / bounds.Height, (y + 4f) / 8f, 4);
    }

    [Fact]
    public void A_cursor_on_the_board_appears_at_its_cell_and_leaves_the_terrain_behind_when_lifted()
    {
        var grid = _screen.Map.Grid;
        int column = 20, row = 7;
        _instrument.Cursors.Move(5, grid.X(column), grid.Y(row), 1f);
        _screen.Tick();
        _app.LayoutAndDraw();
        Assert.Equal("●", CellAt(column, row).Grapheme);
        Assert.Equal("5", CellAt(column + 1, row).Grapheme);

        _instrument.Cursors.Move(5, grid.X(column + 10), grid.Y(row + 3), 0.3f);
        _screen.Tick();
        _app.LayoutAndDraw();
        Assert.Equal("●", CellAt(column + 10, row + 3).Grapheme);
        Assert.Equal("▀", CellAt(column, row).Grapheme);

        _instrument.Cursors.Release(5);
        _screen.Tick();
        _app.LayoutAndDraw();
        Assert.Equal(2, AssertMapIsTerrainMap());
    }

    [Fact]
    public void A_mouse_drag_on_the_map_touches_at_the_plane_coordinates_of_its_cells_and_lifts_on_release()
    {
        var origin = MapOrigin;
        var grid = _screen.Map.Grid;
        _app.InjectMouse(new Mouse { ScreenPosition = new Point(origin.X + 3, origin.Y + 2), Flags = MouseFlags.LeftButtonPressed });
        _app.InjectMouse(new Mouse { ScreenPosition = new Point(origin.X + 10, origin.Y + 5), Flags = MouseFlags.LeftButtonPressed | MouseFlags.PositionReport });
        _app.InjectMouse(new Mouse { ScreenPosition = new Point(origin.X + 10, origin.Y + 5), Flags = MouseFlags.LeftButtonReleased });

        // A cell's x is its pixel column's centre, its y the centre between its two pixel rows.
        float X(int column) => -16f + (column + 0.5f) * 32f / grid.Columns;
        float Y(int row) => 4f - (2 * row + 1) * 8f / (2 * grid.Rows);
        Assert.Equal(2, _performer.Touches.Count);
        Assert.Equal(IPerformer.MouseFinger, _performer.Touches[0].Finger);
        Assert.Equal(X(3), _performer.Touches[0].X, 4);
        Assert.Equal(Y(2), _performer.Touches[0].Y, 4);
        Assert.Equal(X(10), _performer.Touches[1].X, 4);
        Assert.Equal(Y(5), _performer.Touches[1].Y, 4);
        Assert.Equal([IPerformer.MouseFinger], _performer.Lifts);
    }

    [Fact]
    public void Space_sounds_the_keyboard_finger_and_arrows_move_it()
    {
        Press(Key.Space);
        Press(Key.CursorRight);
        Press(Key.CursorUp);
        Press(Key.Space);
        Assert.Equal([(1, 0f, 0f, 1f), (1, 2f, 0f, 1f), (1, 2f, 0.5f, 1f)], _performer.Touches);
        Assert.Equal([IPerformer.KeyboardFinger], _performer.Lifts);
    }

    [Fact]
    public void The_command_line_performs_its_text_and_shows_the_answer()
    {
        Press(new Key(':'));
        Type("model drums");
        _app.InjectKey(Key.Enter);
        Assert.NotNull(_screen.Performing);
        // Waited for here, not awaited: Terminal.Gui's synchronisation context would hold the continuation for a main loop that does not run.
        Assert.True(SpinWait.SpinUntil(() => _screen.Performing.IsCompleted, TimeSpan.FromSeconds(20)), "the action did not finish");
        _screen.Tick();
        _app.LayoutAndDraw();
        Assert.Equal(["model drums"], _performer.Actions);
        Assert.Contains("done: model drums", Screen);

        Press(new Key(':'));
        Type("nothing");
        Press(Key.Esc);
        Assert.Null(_screen.Performing);
        Assert.Single(_performer.Actions);
        Assert.False(_screen.QuitRequested);
    }

    [Fact]
    public void A_question_mark_lists_every_key_and_Esc_closes_the_list()
    {
        Press(new Key('?'));
        Assert.Contains("keys (Esc closes)", Screen);
        Assert.Contains("Ctrl+Q", Screen);
        Press(Key.Esc);
        Assert.DoesNotContain("keys (Esc closes)", Screen);
        Assert.Equal(2, AssertMapIsTerrainMap());
    }

    [Fact]
    public void Esc_never_quits_and_Ctrl_Q_does()
    {
        Press(Key.Esc);
        Press(Key.Esc);
        Assert.False(_screen.QuitRequested);
        Press(Key.Q.WithCtrl);
        Assert.True(_screen.QuitRequested);
    }

    [Fact]
    public void A_terminal_too_small_is_told_its_size_and_a_larger_one_gets_the_map_again()
    {
        _app.Driver!.SetScreenSize(70, 20);
        _app.LayoutAndDraw();
        _screen.Tick();
        _app.LayoutAndDraw();
        Assert.Contains("the terminal is 70 x 20: make it at least 80 x 24", Screen);
        Assert.DoesNotContain("map ·", Screen);

        _app.Driver.SetScreenSize(120, 40);
        Settle();
        Assert.DoesNotContain("make it at least", Screen);
        Assert.Equal(_screen.Map.Viewport.Width, _screen.Map.Grid.Columns);
        Assert.True(_screen.Map.Grid.Rows > 30);
        Assert.Equal(2, AssertMapIsTerrainMap());
    }

    [Fact]
    public void Without_an_audio_device_the_audio_panel_says_so()
    {
        _instrument.Status = _instrument.Status with { Device = null, AudioProblem = "no audio output device: none found" };
        _screen.Tick();
        _app.LayoutAndDraw();
        Assert.Contains("NO AUDIO DEVICE", Screen);
        Assert.Contains("no audio output device", Screen);
    }

    [Fact]
    public void The_panels_show_the_model_the_controllers_the_training_and_the_newest_event()
    {
        _instrument.Training = new Engine.Terrain.TrainingProgress(Engine.Terrain.TrainingState.Training, 100, 12, 100, 0.0031f, 5100f, 1, null);
        _instrument.Taught = new TaughtShapes([new TaughtPath(1, [(-8f, 0f), (8f, 0f)], Complete: true)], [(4f, 2f)]);
        _instrument.Events = ["Launchpad X plugged"];
        _screen.Tick();
        _app.LayoutAndDraw();
        foreach (string text in new[] { "test model", "z8 · ratio 2048 · 1 ch", "44.1k → 48k resampled", "LPX launchpad", "training · epoch 12/100", "loss 0.0031 · 5.1k steps/s",
                     "recovered from divergence ×1", "1 paths · 1 points", "Launchpad X plugged", "voices 1/16" })
            Assert.Contains(text, Screen);

        var grid = _screen.Map.Grid;
        Assert.Equal("✚", CellAt(grid.Column(4f), grid.Row(2f)).Grapheme);
        Assert.Equal("1", CellAt(grid.Column(-8f), grid.Row(0f)).Grapheme);
        Assert.Equal("→", CellAt(grid.Column(8f), grid.Row(0f)).Grapheme);
    }

    [Fact]
    public void With_256_colours_only_the_grey_map_keeps_to_the_xterm_grey_ramp()
    {
        using var app = Application.Create(new VirtualTimeProvider());
        app.Init("ansi");
        app.Driver!.SetScreenSize(100, 30);
        using var screen = TerrainInterface.CreateScreen(app, _instrument, _performer, new TerrainInterfaceOptions { Only256Colours = true });
        app.Begin(screen);
        app.LayoutAndDraw();
        screen.Tick();
        Assert.True(screen.Renderer.WaitUntilRendered(RenderTimeout));
        screen.Tick();
        app.LayoutAndDraw();
        var ramp = Enumerable.Range(0, 24).Select(i => 8 + 10 * i).Concat([0, 95, 135, 175, 215, 255]).ToHashSet();
        var origin = screen.Map.ViewportToScreen(Point.Empty);
        var cell = app.Driver.Contents![origin.Y + 3, origin.X + 3];
        Assert.Equal("▀", cell.Grapheme);
        Assert.Contains((int)cell.Attribute!.Value.Foreground.R, ramp);
        Assert.Contains((int)cell.Attribute!.Value.Background.R, ramp);
    }
}
