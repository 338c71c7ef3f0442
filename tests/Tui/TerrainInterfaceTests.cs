using LatentTerrain.Engine.Maps;
using LatentTerrain.Tui;
using Terminal.Gui.Input;

namespace LatentTerrain.Tests.Tui;

/// <summary>The interface headless: Terminal.Gui's ANSI driver without a terminal, keys and mouse injected, the screen read cell by cell.</summary>
[Collection(TuiCollection.Name)]
public sealed class TerrainInterfaceTests : InterfaceTests
{
    [Fact]
    public void The_map_cells_carry_the_colours_of_TerrainMap_for_the_same_terrain_size_and_bounds()
    {
        Assert.Equal(PlaneBounds.Default, Ui.Screen.Map.Bounds);
        Assert.True(Ui.Screen.Map.Grid.Columns >= 60 && Ui.Screen.Map.Grid.Rows >= 20, $"the map is only {Ui.Screen.Map.Grid}");
        // Only the silent keyboard finger (its ring and its number) covers the terrain.
        Assert.Equal(2, Ui.AssertMapIsTerrainMap());
        Assert.Contains("map · channel 0 grey [-1, 4] · x -16..16 y -4..4", Ui.Text);
    }

    [Fact]
    public void Channel_colour_and_range_keys_change_the_picture_and_the_title()
    {
        Ui.Press(new Key(']'));
        Assert.Equal(1, Ui.Screen.Map.Style.Channel);
        Assert.Contains("channel 1 grey", Ui.Text);
        Assert.Equal(2, Ui.AssertMapIsTerrainMap());

        Ui.Press(new Key('c'));
        Assert.Equal(PixelFormat.Rgb8, Ui.Screen.Map.Style.Format);
        Assert.Contains("channels 1..4 colour", Ui.Text);
        Assert.Equal(2, Ui.AssertMapIsTerrainMap());

        Ui.Press(new Key('a'));
        Assert.True(Ui.Screen.Map.Style.Range.IsAutomatic);
        Assert.Contains("channels 1..4 colour auto", Ui.Text);
        Assert.Equal(2, Ui.AssertMapIsTerrainMap());

        Ui.Press(new Key('['));
        Ui.Press(new Key('['));
        Assert.Equal(0, Ui.Screen.Map.Style.Channel);
    }

    [Fact]
    public void Zoom_pan_and_reset_keys_change_the_bounds_shown_in_the_title()
    {
        Ui.Press(new Key('+'));
        Assert.Contains("x -12.8..12.8 y -3.2..3.2", Ui.Text);
        Assert.Equal(2, Ui.AssertMapIsTerrainMap());
        Ui.Press(new Key('l'));
        Assert.Contains("x -9.6..16 y -3.2..3.2", Ui.Text);
        Ui.Press(Key.CursorUp.WithShift);
        Assert.Contains("x -9.6..16 y -2.4..4", Ui.Text);
        Ui.Press(new Key('-'));
        Ui.Press(new Key('0'));
        Assert.Contains("x -16..16 y -4..4", Ui.Text);
        Assert.Equal(PlaneBounds.Default, Ui.Screen.Map.Bounds);
    }

    [Fact]
    public void The_mouse_wheel_zooms_around_the_pointer()
    {
        var grid = Ui.Screen.Map.Grid;
        float x = grid.X(10), y = grid.Y(5);
        Ui.Mouse(10, 5, MouseFlags.WheeledUp);
        Ui.Settle();
        var bounds = Ui.Screen.Map.Bounds;
        Assert.Equal(25.6f, bounds.Width, 3);
        // The point under the pointer stays where it was on the plane.
        Assert.Equal((x - bounds.XMin) / bounds.Width, (x + 16f) / 32f, 4);
        Assert.Equal((y - bounds.YMin) / bounds.Height, (y + 4f) / 8f, 4);
    }

    [Fact]
    public void A_cursor_on_the_board_appears_at_its_cell_and_leaves_the_terrain_behind_when_lifted()
    {
        var grid = Ui.Screen.Map.Grid;
        int column = 20, row = 7;
        Ui.Instrument.Cursors.Move(5, grid.X(column), grid.Y(row), 1f);
        Ui.Screen.Tick();
        Ui.App.LayoutAndDraw();
        Assert.Equal("●", Ui.CellAt(column, row).Grapheme);
        Assert.Equal("5", Ui.CellAt(column + 1, row).Grapheme);

        Ui.Instrument.Cursors.Move(5, grid.X(column + 10), grid.Y(row + 3), 0.3f);
        Ui.Screen.Tick();
        Ui.App.LayoutAndDraw();
        Assert.Equal("●", Ui.CellAt(column + 10, row + 3).Grapheme);
        Assert.Equal("▀", Ui.CellAt(column, row).Grapheme);

        Ui.Instrument.Cursors.Release(5);
        Ui.Screen.Tick();
        Ui.App.LayoutAndDraw();
        Assert.Equal(2, Ui.AssertMapIsTerrainMap());
    }

    [Fact]
    public void A_mouse_drag_on_the_map_touches_at_the_plane_coordinates_of_its_cells_and_lifts_on_release()
    {
        var grid = Ui.Screen.Map.Grid;
        Ui.Drag((3, 2), (10, 5));

        // A cell's x is its pixel column's centre, its y the centre between its two pixel rows.
        float X(int column) => -16f + (column + 0.5f) * 32f / grid.Columns;
        float Y(int row) => 4f - (2 * row + 1) * 8f / (2 * grid.Rows);
        Assert.Equal(2, Ui.Performer.Touches.Count);
        Assert.Equal(IPerformer.MouseFinger, Ui.Performer.Touches[0].Finger);
        Assert.Equal(X(3), Ui.Performer.Touches[0].X, 4);
        Assert.Equal(Y(2), Ui.Performer.Touches[0].Y, 4);
        Assert.Equal(X(10), Ui.Performer.Touches[1].X, 4);
        Assert.Equal(Y(5), Ui.Performer.Touches[1].Y, 4);
        Assert.Equal([IPerformer.MouseFinger], Ui.Performer.Lifts);
    }

    [Fact]
    public void Space_sounds_the_keyboard_finger_and_arrows_move_it()
    {
        Ui.Press(Key.Space);
        Ui.Press(Key.CursorRight);
        Ui.Press(Key.CursorUp);
        Ui.Press(Key.Space);
        Assert.Equal([(1, 0f, 0f, 1f), (1, 2f, 0f, 1f), (1, 2f, 0.5f, 1f)], Ui.Performer.Touches);
        Assert.Equal([IPerformer.KeyboardFinger], Ui.Performer.Lifts);
    }

    [Fact]
    public void The_command_line_performs_its_text_and_shows_the_answer()
    {
        Ui.Press(new Key(':'));
        Ui.Type("model drums");
        Ui.Press(Key.Enter);
        Assert.Equal(["model drums"], Ui.Actions());
        Assert.Contains("done: model drums", Ui.Text);

        Ui.Press(new Key(':'));
        Ui.Type("nothing");
        Ui.Press(Key.Esc);
        Assert.Single(Ui.Performer.Actions);
        Assert.False(Ui.Screen.QuitRequested);
    }

    [Fact]
    public void A_question_mark_lists_every_key_and_Esc_closes_the_list()
    {
        Ui.Press(new Key('?'));
        Assert.Contains("keys (Esc closes", Ui.Text);
        Assert.Contains("mouse drag on the map", Ui.Text);
        Assert.DoesNotContain("Ctrl+Q", Ui.Text);
        // The list is longer than the screen: page down shows its end.
        Ui.Press(Key.PageDown);
        Ui.Press(Key.PageDown);
        Assert.Contains("Ctrl+Q", Ui.Text);
        Assert.DoesNotContain("mouse drag on the map", Ui.Text);
        Ui.Press(Key.Esc);
        Assert.DoesNotContain("keys (Esc closes", Ui.Text);
        Assert.Equal(2, Ui.AssertMapIsTerrainMap());
    }

    [Fact]
    public void Esc_never_quits_and_Ctrl_Q_does()
    {
        Ui.Press(Key.Esc);
        Ui.Press(Key.Esc);
        Assert.False(Ui.Screen.QuitRequested);
        Ui.Press(Key.Q.WithCtrl);
        Assert.True(Ui.Screen.QuitRequested);
    }

    [Fact]
    public void A_terminal_too_small_is_told_its_size_and_a_larger_one_gets_the_map_again()
    {
        Ui.App.Driver!.SetScreenSize(70, 20);
        Ui.App.LayoutAndDraw();
        Ui.Screen.Tick();
        Ui.App.LayoutAndDraw();
        Assert.Contains("the terminal is 70 x 20: make it at least 80 x 24", Ui.Text);
        Assert.DoesNotContain("map ·", Ui.Text);

        Ui.App.Driver.SetScreenSize(120, 40);
        Ui.Settle();
        Assert.DoesNotContain("make it at least", Ui.Text);
        Assert.Equal(Ui.Screen.Map.Viewport.Width, Ui.Screen.Map.Grid.Columns);
        Assert.True(Ui.Screen.Map.Grid.Rows > 30);
        Assert.Equal(2, Ui.AssertMapIsTerrainMap());
    }

    [Fact]
    public void Without_an_audio_device_the_audio_panel_says_so()
    {
        Ui.Instrument.Status = Ui.Instrument.Status with { Device = null, AudioProblem = "no audio output device: none found" };
        Ui.Screen.Tick();
        Ui.App.LayoutAndDraw();
        Assert.Contains("NO AUDIO DEVICE", Ui.Text);
        Assert.Contains("no audio output device", Ui.Text);
    }

    [Fact]
    public void The_panels_show_the_model_the_controllers_the_training_and_the_newest_event()
    {
        Ui.Instrument.Training = new Engine.Terrain.TrainingProgress(Engine.Terrain.TrainingState.Training, 100, 12, 100, 0.0031f, 5100f, 1, null);
        Ui.Instrument.Taught = new TaughtShapes([new TaughtPath(1, [(-8f, 0f), (8f, 0f)], Complete: true)], [(4f, 2f)]);
        Ui.Instrument.Events = ["Launchpad X plugged"];
        Ui.Instrument.Teaching = new TeachingStatus { LearningRate = 0.001f };
        Ui.Screen.Tick();
        Ui.App.LayoutAndDraw();
        foreach (string text in new[] { "test model · z8 · 1 ch", "ratio 2048 · 44.1k → 48k", "LPX launchpad", "training · epoch 12/100", "loss 0.0031 · recovered ×1",
                     "fragments · 1 point", "Launchpad X plugged", "voices 1/16", "lr 0.001" })
            Assert.Contains(text, Ui.Text);

        var grid = Ui.Screen.Map.Grid;
        Assert.Equal("✚", Ui.CellAt(grid.Column(4f), grid.Row(2f)).Grapheme);
        Assert.Equal("1", Ui.CellAt(grid.Column(-8f), grid.Row(0f)).Grapheme);
        Assert.Equal("→", Ui.CellAt(grid.Column(8f), grid.Row(0f)).Grapheme);
    }

    [Fact]
    public void With_256_colours_only_the_grey_map_keeps_to_the_xterm_grey_ramp()
    {
        using var limited = new InterfaceHarness(only256Colours: true);
        var ramp = Enumerable.Range(0, 24).Select(i => 8 + 10 * i).Concat([0, 95, 135, 175, 215, 255]).ToHashSet();
        var cell = limited.CellAt(3, 3);
        Assert.Equal("▀", cell.Grapheme);
        Assert.Contains((int)cell.Attribute!.Value.Foreground.R, ramp);
        Assert.Contains((int)cell.Attribute!.Value.Background.R, ramp);
    }
}
