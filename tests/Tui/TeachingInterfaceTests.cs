using System.Globalization;
using LatentTerrain.Engine.Terrain;
using LatentTerrain.Tests.Support;
using LatentTerrain.Tui;
using Terminal.Gui.Drawing;
using Terminal.Gui.Input;
using Terminal.Gui.Testing;

namespace LatentTerrain.Tests.Tui;

/// <summary>
/// Teaching the terrain through the interface, headless: drawing paths and placing points with the
/// mouse, the teaching keys, the file picker, the fragments panel, and what they cost a frame. Every
/// action is checked as the line the performer gets (docs/actions.md).
/// </summary>
[Collection(TuiCollection.Name)]
public sealed class TeachingInterfaceTests : InterfaceTests
{
    /// <summary>A fragment of <paramref name="frames"/> latent frames (RAVE's 21.5 a second).</summary>
    private static FragmentRow Fragment(int number, int frames, PathState path = PathState.None, string? warning = null, bool encoding = false) =>
        new(number, $"fragment {number}", frames / 21.5, frames, encoding, path, warning);

    private static readonly FragmentRow[] FourFragments =
    [
        new(1, "kick loop", 2.0, 43, false, PathState.Complete, null),
        new(2, "voice take", 3.5, 75, false, PathState.Incomplete, "short of breath"),
        new(3, "recording 3", 0, 0, true, PathState.None, null),
        new(4, "hum", 0.3, 7, false, PathState.None, "0.3 s is shorter than the model's receptive field"),
    ];

    /// <summary>The plane coordinates of a map cell.</summary>
    private (float X, float Y) At(int column, int row) => (Ui.Screen.Map.Grid.X(column), Ui.Screen.Map.Grid.Y(row));

    private void Teach(TeachingStatus teaching, TaughtShapes? taught = null)
    {
        Ui.Instrument.Teaching = teaching;
        if (taught != null) Ui.Instrument.Taught = taught;
        Ui.Settle();
    }

    private static float Number(string text) => float.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>The anchors of a <c>path N X,Y ...</c> line for fragment <paramref name="fragment"/>.</summary>
    private static List<(float X, float Y)> Anchors(string line, int fragment)
    {
        string[] words = line.Split(' ');
        Assert.Equal(["path", $"{fragment}"], words[..2]);
        return [.. words[2..].Select(pair => pair.Split(',')).Select(xy => (Number(xy[0]), Number(xy[1])))];
    }

    private static void AssertNear((float X, float Y) expected, (float X, float Y) actual, string what)
    {
        // Lines carry four decimals.
        Assert.True(Math.Abs(expected.X - actual.X) < 1e-3 && Math.Abs(expected.Y - actual.Y) < 1e-3, $"{what}: expected {expected}, got {actual}");
    }

    /// <summary>A line "WORDS X Y REST" whose X Y are the plane coordinates of (column, row).</summary>
    private void AssertAt(string line, string words, int column, int row, string rest)
    {
        Assert.StartsWith(words + " ", line);
        string[] tail = line[(words.Length + 1)..].Split(' ', 3);
        AssertNear(At(column, row), (Number(tail[0]), Number(tail[1])), line);
        Assert.Equal(rest, tail.Length > 2 ? tail[2] : "");
    }

    /// <summary>The screen's cell at the start of <paramref name="text"/> (every character here is one cell wide).</summary>
    private Cell CellOf(string text)
    {
        string[] lines = Ui.Text.Split('\n');
        for (int y = 0; y < lines.Length; y++)
            if (lines[y].IndexOf(text, StringComparison.Ordinal) is >= 0 and var x) return Ui.App.Driver!.Contents![y, x];
        throw new Xunit.Sdk.XunitException($"'{text}' is not on the screen:\n{Ui.Text}");
    }

    private static Color Foreground(Cell cell) => cell.Attribute!.Value.Foreground;

    private static void AssertColour(Color expected, Color actual, string what) =>
        Assert.True(expected.R == actual.R && expected.G == actual.G && expected.B == actual.B, $"{what}: expected {expected}, got {actual}");

    // Drawing paths.

    [Fact]
    public void A_drag_in_draw_mode_sends_the_selected_fragments_path_through_the_dragged_cells_cut_at_density_times_frames_less_one()
    {
        // 11 frames at the reference's density 0.4: a path of at most 4 plane units.
        Teach(new TeachingStatus { Fragments = [Fragment(1, 11)], Density = 0.4f });
        Ui.Press(new Key('d'));
        Assert.Contains("draw path 1 · map", Ui.Text);
        Assert.Contains("drag  draw path", Ui.Text);

        // Right for 2 units (a cell is half a unit wide), then down further than the 2 units left.
        (int Column, int Row)[] right = [(5, 10), (6, 10), (7, 10), (8, 10), (9, 10)];
        (int Column, int Row)[] down = [.. Enumerable.Range(11, 12).Select(row => (9, row))];
        Ui.Mouse(5, 10, MouseFlags.LeftButtonPressed);
        foreach (var (column, row) in right[1..]) Ui.Mouse(column, row, MouseFlags.LeftButtonPressed | MouseFlags.PositionReport);
        Ui.App.LayoutAndDraw();
        // Shown while drawing, grey until long enough.
        Assert.Equal("─", Ui.CellAt(7, 10).Grapheme);
        AssertColour(new Color(100, 130, 165), Foreground(Ui.CellAt(7, 10)), "the short path");
        foreach (var (column, row) in down) Ui.Mouse(column, row, MouseFlags.LeftButtonPressed | MouseFlags.PositionReport);
        Ui.App.LayoutAndDraw();
        AssertColour(new Color(120, 190, 255), Foreground(Ui.CellAt(7, 10)), "the path long enough");
        Assert.Equal("│", Ui.CellAt(9, 12).Grapheme);
        // The pen stopped where the length ran out, about six and a half rows down.
        Assert.Equal("▀", Ui.CellAt(9, 20).Grapheme);
        Ui.Mouse(9, 22, MouseFlags.LeftButtonReleased);

        string line = Assert.Single(Ui.Actions());
        var anchors = Anchors(line, 1);
        AssertNear(At(5, 10), anchors[0], "the first anchor, where the drag began");
        AssertNear(At(9, 10), anchors[1], "the anchor where the drag turned");
        foreach (var anchor in anchors.Skip(1).SkipLast(1))
            Assert.Contains(right.Concat(down), cell => Math.Abs(At(cell.Column, cell.Row).X - anchor.X) < 1e-3 && Math.Abs(At(cell.Column, cell.Row).Y - anchor.Y) < 1e-3);
        var last = anchors[^1];
        Assert.Equal(At(9, 0).X, last.X, 3);
        Assert.InRange(last.Y, At(9, 22).Y, At(9, 11).Y);
        float length = 0;
        for (int i = 1; i < anchors.Count; i++) length += PathPen.Distance(anchors[i - 1], anchors[i]);
        Assert.Equal(4f, length, 2);

        Ui.Press(Key.Esc);
        Assert.Contains("╭┤map · channel 0", Ui.Text);
    }

    [Fact]
    public void A_drag_from_an_anchor_of_the_selected_path_moves_that_anchor_and_sends_the_whole_path_again()
    {
        var path = new TaughtPath(1, [At(5, 10), At(15, 10), At(15, 20)], Complete: true);
        Teach(new TeachingStatus { Fragments = [Fragment(1, 200, PathState.Complete)] }, new TaughtShapes([path], []));
        Ui.Press(new Key('d'));
        // The draw tool shows the selected path's inner anchors.
        Assert.Equal("•", Ui.CellAt(15, 10).Grapheme);

        // A press on an anchor that does not move it sends nothing.
        Ui.Drag((15, 10));
        Assert.Empty(Ui.Actions());
        Ui.Drag((15, 10), (18, 8), (20, 5));
        Ui.App.LayoutAndDraw();
        Assert.Equal("•", Ui.CellAt(20, 5).Grapheme);
        var anchors = Anchors(Assert.Single(Ui.Actions()), 1);
        Assert.Equal(3, anchors.Count);
        AssertNear(At(5, 10), anchors[0], "the first anchor");
        AssertNear(At(20, 5), anchors[1], "the anchor dragged");
        AssertNear(At(15, 20), anchors[2], "the last anchor");

        // Pressing a cell next to an anchor grabs it too; pressing away from them draws anew.
        Ui.Drag((6, 11), (6, 14));
        Ui.Drag((40, 3), (45, 3));
        var actions = Ui.Actions();
        AssertNear(At(6, 14), Anchors(actions[1], 1)[0], "the first anchor, dragged from the cell beside it");
        Assert.Equal(3, Anchors(actions[1], 1).Count);
        AssertNear(At(40, 3), Anchors(actions[2], 1)[0], "a new path's first anchor");
    }

    [Fact]
    public void X_or_Delete_in_draw_mode_deletes_the_selected_fragments_path()
    {
        Teach(new TeachingStatus { Fragments = [Fragment(1, 40), Fragment(2, 40)] });
        Ui.Press(new Key('x'));
        Assert.Empty(Ui.Actions());
        Ui.Press(new Key('d'));
        Ui.Press(new Key('x'));
        Ui.Press(Key.Tab.WithShift);
        Assert.Contains("draw path 1 ·", Ui.Text);
        Ui.Press(Key.Delete);
        Assert.Equal(["delete path 2", "delete path 1"], Ui.Actions());
    }

    [Fact]
    public void Drawing_for_a_fragment_still_encoding_sends_nothing_and_says_why()
    {
        Teach(new TeachingStatus { Fragments = [Fragment(1, 0, encoding: true)] });
        Ui.Press(new Key('d'));
        Ui.Drag((5, 5), (9, 5));
        Ui.App.LayoutAndDraw();
        Assert.Empty(Ui.Actions());
        Assert.Contains("fragment 1 is still encoding", Ui.Text);
    }

    // Points.

    [Fact]
    public void A_click_in_point_mode_places_a_point_whose_latent_comes_from_the_source_s_chooses()
    {
        Teach(new TeachingStatus { Fragments = [Fragment(1, 43)] });
        Ui.Press(new Key('p'));
        Assert.Contains("s  from cursor 0", Ui.Text);
        Ui.Drag((10, 5));

        // The newest cursor down, when the keyboard's finger is silent.
        Ui.Instrument.Cursors.Move(5, 0f, 0f, 1f);
        Ui.Settle();
        Assert.Contains("from cursor 5", Ui.Text);
        Ui.Drag((11, 5));
        Ui.Instrument.Cursors.Release(5);

        // The keyboard finger sounding: its cursor, the board's slot at its place (the allocator's choice).
        Ui.Press(Key.Space);
        var (x, y) = Ui.Screen.Map.KeyboardPosition;
        Ui.Instrument.Cursors.Move(3, x, y, 1f);
        Ui.Settle();
        Assert.Contains("from cursor 3", Ui.Text);
        Ui.Press(Key.Space);
        Ui.Instrument.Cursors.Release(3);

        // No input open: s goes to the selected fragment, whose moment , and . step by a tenth.
        Ui.Press(new Key('s'));
        Assert.Contains("from fragment 1 0.0", Ui.Text);
        Ui.Press(new Key('.'));
        Ui.Press(new Key('.'));
        Ui.Press(new Key('.'));
        Ui.Press(new Key(','));
        Assert.Contains("from fragment 1 0.2", Ui.Text);
        Ui.Drag((12, 5));

        Teach(Ui.Instrument.Teaching with { Input = "system:capture_1" });
        Ui.Press(new Key('s'));
        Ui.Press(new Key('s'));
        Assert.Contains("from input", Ui.Text);
        Ui.Drag((13, 5));

        var actions = Ui.Actions();
        Assert.Equal(4, actions.Count);
        AssertAt(actions[0], "point", 10, 5, "cursor 0");
        AssertAt(actions[1], "point", 11, 5, "cursor 5");
        AssertAt(actions[2], "point", 12, 5, "fragment 1 0.2");
        AssertAt(actions[3], "point", 13, 5, "input");
    }

    [Fact]
    public void Dragging_a_point_moves_it_and_x_deletes_the_point_under_the_pointer_or_else_the_newest()
    {
        Teach(TeachingStatus.None, new TaughtShapes([], [At(10, 5), At(30, 15)]));
        Ui.Press(new Key('p'));
        // Numbered, small.
        Assert.Equal("✚", Ui.CellAt(10, 5).Grapheme);
        Assert.Equal("₁", Ui.CellAt(11, 5).Grapheme);
        Assert.Equal("₂", Ui.CellAt(31, 15).Grapheme);

        Ui.Drag((10, 5));
        Ui.Drag((10, 5), (11, 6), (12, 7));
        Ui.App.LayoutAndDraw();
        // Shown where it was dropped until the instrument answers.
        Assert.Equal("✚", Ui.CellAt(12, 7).Grapheme);
        var moved = Assert.Single(Ui.Actions());
        AssertAt(moved, "move point 1", 12, 7, "");

        // The arrows nudge the point under the pointer in the channel the map shows.
        Ui.Mouse(31, 15, MouseFlags.PositionReport);
        Ui.Press(new Key(']'));
        Ui.Press(Key.CursorUp);
        Ui.Press(Key.CursorDown);

        Ui.Mouse(11, 5, MouseFlags.PositionReport);
        Ui.Press(new Key('x'));
        Ui.Mouse(50, 20, MouseFlags.PositionReport);
        Ui.Press(Key.Delete);
        Assert.Equal([moved, "nudge point 2 1 0.1", "nudge point 2 1 -0.1", "delete point 1", "delete point 2"], Ui.Actions());
    }

    // The teaching keys.

    [Fact]
    public void Ctrl_S_saves_the_session_and_the_map_frame_names_it()
    {
        Teach(TeachingStatus.None with { Session = "my-set · saved 21:04:09" });
        Assert.Contains("my-set · saved 21:04:09", Ui.Text);
        Ui.Press(Key.S.WithCtrl);
        Assert.Equal(["save"], Ui.Actions());
    }

    [Fact]
    public void Each_teaching_key_sends_its_line()
    {
        Teach(new TeachingStatus { Fragments = [Fragment(1, 40), Fragment(2, 40)], Positions = [new StoredPosition(3, 1f, 2f)] });
        // The newest fragment is the one selected.
        Assert.Contains("▸ 2", Ui.Text);
        foreach (var key in new[] { new Key('r'), new Key('t'), new Key('u'), new Key('U'), Key.Z.WithCtrl, Key.Y.WithCtrl, new Key('P'), new Key('b'), new Key('B') })
            Ui.Press(key);
        Teach(Ui.Instrument.Teaching with { RecordingSeconds = 1.5, PlayingPath = 2 });
        Ui.Instrument.Training = new TrainingProgress(TrainingState.Training, 10, 1, 10, 0.1f, 1000f, 0, null);
        Ui.Press(new Key('r'));
        Ui.Press(new Key('t'));
        Ui.Press(new Key('P'));
        // m then a digit stores the keyboard finger's place (the view's centre); a digit recalls, again lifts, space lifts.
        Ui.Press(Key.CursorRight);
        Ui.Press(new Key('m'));
        Ui.Press(new Key('3'));
        Ui.Press(new Key('3'));
        Ui.Press(new Key('3'));
        Ui.Press(new Key('3'));
        Ui.Press(Key.Space);
        // A position never stored is not recalled (said once the answers so far are shown).
        Ui.Actions();
        Ui.Press(new Key('5'));
        Assert.Contains("no position 5", Ui.Text);
        Ui.Press(Key.Tab);
        Ui.Press(new Key('b'));

        Assert.Equal(
        [
            "fragment record", "train", "undo", "redo", "undo", "redo", "play path 2 loop", "play fragment 2", "play stop",
            "fragment stop", "stop", "play stop",
            "store 3 2 0", "recall 3", "recall 3 0", "recall 3", "recall 3 0",
            "play fragment 1",
        ], Ui.Actions());
        // The keyboard finger never sounded: space lifted the recalled position instead.
        Assert.Empty(Ui.Performer.Touches);
    }

    [Fact]
    public void O_opens_a_file_picker_the_map_never_draws_over_and_the_file_chosen_is_added_as_a_fragment()
    {
        string file = Path.Combine(Path.GetTempPath(), $"latent-terrain-{Guid.NewGuid():N}.wav");
        File.WriteAllBytes(file, [0]);
        try
        {
            Ui.Press(new Key('o'));
            var picker = Ui.Screen.Picker;
            Assert.NotNull(picker);
            Assert.Contains("add a fragment", Ui.Text);

            // Cursors move under the picker and the picture changes: the map draws around it, the picker stays as it was.
            var area = picker.Frame;
            var contents = Ui.App.Driver!.Contents!;
            Cell[] Covered() => [.. Enumerable.Range(area.Top, area.Height).SelectMany(y => Enumerable.Range(area.Left, area.Width).Select(x => contents[y, x]))];
            var before = Covered();
            var grid = Ui.Screen.Map.Grid;
            for (int i = 0; i < grid.Columns; i += 3)
            {
                Ui.Instrument.Cursors.Move(5, grid.X(i), grid.Y(i % grid.Rows), 1f);
                Ui.Screen.Tick();
                Ui.App.LayoutAndDraw();
            }
            Ui.Screen.Map.ToggleColour();
            Ui.Settle();
            var after = Covered();
            for (int i = 0; i < before.Length; i++)
                Assert.True(before[i].Grapheme == after[i].Grapheme && before[i].Attribute == after[i].Attribute,
                    $"the map drew at {area.Left + i % area.Width},{area.Top + i / area.Width}, inside the picker at {area}:\n{Ui.Text}");
            Assert.Contains("colour", Ui.Screen.Map.Caption());
            Assert.Contains("add a fragment", Ui.Text);

            picker.Path = file;
            Ui.App.InjectKey(Key.Enter);
            Ui.Settle();
            Assert.Null(Ui.Screen.Picker);
            Assert.Equal([$"fragment add {file}"], Ui.Actions());
            Assert.DoesNotContain("add a fragment", Ui.Text);
            Ui.Instrument.Cursors.Release(5);
            Ui.Settle();
            Assert.Equal(2, Ui.AssertMapIsTerrainMap());

            // Esc closes it with nothing added.
            Ui.Press(new Key('o'));
            Assert.NotNull(Ui.Screen.Picker);
            Ui.Press(Key.Esc);
            Ui.Settle();
            Assert.Null(Ui.Screen.Picker);

            // Quitting while it is open closes it first, adding nothing.
            Ui.Press(new Key('o'));
            Ui.Screen.RequestQuit();
            Assert.Null(Ui.Screen.Picker);
            Assert.True(Ui.Screen.QuitRequested);
            Assert.Single(Ui.Actions());
        }
        finally
        {
            File.Delete(file);
        }
    }

    // What is shown.

    [Fact]
    public void The_fragments_panel_shows_each_fragments_row_its_path_mark_encoding_warnings_and_the_recording_meter()
    {
        Teach(new TeachingStatus { Fragments = FourFragments, RecordingSeconds = 3.2, InputLevel = 0.5f, Input = "system:capture_1" });
        string text = Ui.Text;
        foreach (string row in new[] { "● rec 3.2 s ███", "  1 ● kick loop", "2.0s  43f", "  2 ◐ voice take", "3.5s  75f!", "  3 ○ recording 3", "encoding…",
                     "▸ 4 ○ hum", "0.3s   7f", "   ! 0.3 s is shorter than" })
            Assert.Contains(row, text);

        AssertColour(new Color(120, 120, 120), Foreground(CellOf("◐ voice take")), "an incomplete path's mark");
        AssertColour(new Color(110, 170, 255), Foreground(CellOf("● kick loop")), "a complete path's mark");
        AssertColour(new Color(30, 50, 90), CellOf("▸ 4").Attribute!.Value.Background, "the selected row");
        AssertColour(new Color(150, 120, 60), Foreground(CellOf("! 0.3 s")), "the selected fragment's warning");
        AssertColour(new Color(230, 60, 60), Foreground(CellOf("● rec")), "the recording");

        // The recording ends: the meter goes, the rows stay.
        Teach(Ui.Instrument.Teaching with { RecordingSeconds = null });
        Assert.DoesNotContain("● rec", Ui.Text);
        Assert.Contains("▸ 4 ○ hum", Ui.Text);
    }

    [Fact]
    public void The_map_shows_numbered_points_stored_positions_and_the_selected_and_playing_paths()
    {
        var one = new TaughtPath(1, [At(5, 5), At(20, 5)], Complete: true);
        var two = new TaughtPath(2, [At(5, 15), At(20, 15)], Complete: false);
        Teach(new TeachingStatus { Fragments = [Fragment(1, 40, PathState.Complete), Fragment(2, 40, PathState.Incomplete)], Positions = [new StoredPosition(3, At(40, 8).X, At(40, 8).Y)] },
            new TaughtShapes([one, two], [At(30, 20)]));
        Assert.Equal("3", Ui.CellAt(40, 8).Grapheme);
        AssertColour(new Color(240, 130, 240), Foreground(Ui.CellAt(40, 8)), "a stored position");
        Assert.Equal("✚", Ui.CellAt(30, 20).Grapheme);
        Assert.Equal("₁", Ui.CellAt(31, 20).Grapheme);
        // Fragment 2, the newest, is selected: its path in blue, grey-blue while incomplete.
        Assert.Equal("2", Ui.CellAt(5, 15).Grapheme);
        AssertColour(new Color(100, 130, 165), Foreground(Ui.CellAt(5, 15)), "the selected path, incomplete");
        AssertColour(new Color(240, 240, 240), Foreground(Ui.CellAt(5, 5)), "another path, complete");

        Teach(Ui.Instrument.Teaching with { PlayingPath = 1 });
        Assert.Equal("▶", Ui.CellAt(4, 5).Grapheme);
        AssertColour(new Color(120, 230, 120), Foreground(Ui.CellAt(10, 5)), "the path playing");
        Teach(Ui.Instrument.Teaching with { PlayingPath = null, Positions = [] });
        Assert.Equal("▀", Ui.CellAt(4, 5).Grapheme);
        Assert.Equal("▀", Ui.CellAt(40, 8).Grapheme);
    }

    [Fact]
    public void At_80_by_24_the_map_and_every_panel_fit_without_overlapping()
    {
        using var small = new InterfaceHarness(80, 24);
        small.Instrument.Teaching = new TeachingStatus { Fragments = FourFragments, RecordingSeconds = 1.0, InputLevel = 0.2f };
        small.Instrument.Training = new TrainingProgress(TrainingState.Training, 100, 12, 100, 0.0031f, 5100f, 0, null);
        small.Settle();
        var shown = small.Screen.SubViews.Where(view => view.Visible).ToList();
        var screen = new System.Drawing.Rectangle(0, 0, 80, 24);
        foreach (var view in shown) Assert.True(screen.Contains(view.Frame), $"{view.GetType().Name} at {view.Frame} leaves the screen");
        for (int i = 0; i < shown.Count; i++)
            for (int j = i + 1; j < shown.Count; j++)
                Assert.False(shown[i].Frame.IntersectsWith(shown[j].Frame), $"{shown[i].GetType().Name} at {shown[i].Frame} overlaps {shown[j].GetType().Name} at {shown[j].Frame}");
        Assert.True(small.Screen.Map.Grid.Columns >= 40 && small.Screen.Map.Grid.Rows >= 18, $"the map is only {small.Screen.Map.Grid}");
        foreach (string text in new[] { "voices 1/16", "training · epoch 12/100", "● rec 1.0 s", "▸ 4 ○ hum", "LPX launchpad", "? keys", "d draw", "r record" })
            Assert.Contains(text.Replace(" draw", "  draw").Replace(" keys", "  keys").Replace(" record", "  record"), small.Text);
    }

    /// <summary>
    /// A frame where nothing changes allocates no more with four fragments on the screen than with
    /// none (docs/interface.md: every collection pauses the synth thread too).
    /// </summary>
    [Fact]
    public void An_idle_frame_with_four_fragments_allocates_no_more_than_one_without()
    {
        void Frames()
        {
            for (int i = 0; i < 10; i++)
            {
                Ui.Screen.Tick();
                Ui.App.LayoutAndDraw();
            }
        }
        Frames();
        long without = Allocations.Of(Frames);
        Teach(new TeachingStatus { Fragments = FourFragments, Positions = [new StoredPosition(1, 0f, 0f)] }, new TaughtShapes([], [At(3, 3)]));
        Frames();
        long with = Allocations.Of(Frames);
        Assert.True(with <= without, $"ten idle frames allocated {with} bytes with four fragments, {without} without");
    }
}
