using System.Text;
using LatentTerrain.Engine.Maps;
using LatentTerrain.Engine.Synthesis;
using Terminal.Gui.Drawing;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Attribute = Terminal.Gui.Drawing.Attribute;

namespace LatentTerrain.Tui;

/// <summary>
/// The playing terrain over the view's bounds, two pixels a cell ('▀': foreground the upper pixel,
/// background the lower), with what was taught (paths, points), stored positions, the Launchpad's
/// window and every cursor on top. The mouse plays it (finger <see cref="IPerformer.MouseFinger"/>),
/// draws paths or places points (<see cref="Tool"/>, MapView.Tools.cs), and its wheel zooms.
/// </summary>
/// <remarks>
/// Terminal.Gui allocates for every cell drawn, so this view draws the whole map only when the
/// picture, the size or the overlay changed; a moving cursor redraws the cells it left and the
/// cells it reached. The view keeps its own content between draws (it never lets the framework
/// clear it), so cells not drawn again stay as they were.
/// </remarks>
internal sealed partial class MapView : View
{
    private const string HalfBlockText = "▀", PressedText = "●", SilentText = "○", PointText = "✚", AnchorText = "•", PlayingText = "▶";
    // Every glyph the overlay draws, as the strings the buffer holds, so building it allocates nothing.
    private static readonly string[] FingerTexts = Texts("0123456789abcdef"), Digits = Texts("0123456789"), Subscripts = Texts("₀₁₂₃₄₅₆₇₈₉"),
        Arrows = Texts("→↗↑↖←↙↓↘"), Lines = Texts("─╱│╲─╱│╲"), Box = Texts("─│┌┐└┘");
    private static readonly Color Black = new(0, 0, 0), White = new(240, 240, 240), Grey = new(128, 128, 128),
        PointColour = new(90, 220, 255), LaunchpadColour = new(255, 170, 40), PositionColour = new(240, 130, 240),
        SelectedColour = new(120, 190, 255), SelectedIncompleteColour = new(100, 130, 165), PlayingColour = new(120, 230, 120);
    private const float ZoomStep = 1.25f, PanStep = 0.125f;

    private readonly IInstrumentView _instrument;
    private readonly IPerformer _performer;
    private readonly MapRenderer _renderer;
    private readonly TerrainInterfaceOptions _options;
    private readonly ChannelRange _fixedRange;
    // The terminal, when the map writes its cells itself (the running interface); null draws through Terminal.Gui (tests).
    private readonly TerminalCells? _terminal;

    private MapStyle _style;
    private MapRequest? _requested;
    private RenderedMap? _shown;
    private MapGrid _grid;

    /// <summary>What is drawn over the picture, cell by cell (row-major; null is none): Launchpad window, paths, points, stored positions.</summary>
    private string?[] _glyphs = [];
    private Color[] _glyphColours = [];
    // Where this frame's cells go: the driver's buffer, and the view's top-left cell on the screen.
    private Terminal.Gui.Drivers.IOutputBuffer? _buffer;
    private System.Drawing.Point _origin;
    // The cells Terminal.Gui lets this frame draw: it leaves out a dialog drawn over the map.
    private Region? _clip;
    private TaughtShapes? _taught;
    private PlaneBounds? _launchpad;
    private IReadOnlyList<StoredPosition> _positions = [];
    private int? _playingPath, _selected;

    /// <summary>Each cursor's mark as drawn now; the cells of marks that moved wait in <see cref="_dirty"/> for the next draw.</summary>
    private readonly Mark[] _marks = new Mark[CursorBoard.Capacity];
    private readonly int[] _dirty = new int[4 * CursorBoard.Capacity];
    private int _dirtyCount;
    private bool _wholeMapPending = true, _cursorsPending;

    // Which cursors were down at the last tick, and when each went down, for the newest one (point mode's `cursor C`).
    private readonly bool[] _down = new bool[CursorBoard.Capacity];
    private readonly long[] _downAt = new long[CursorBoard.Capacity];
    private long _downs;

    public MapView(IInstrumentView instrument, IPerformer performer, MapRenderer renderer, TerrainInterfaceOptions options, TerminalCells? terminal = null)
    {
        _instrument = instrument;
        _terminal = terminal;
        _performer = performer;
        _renderer = renderer;
        _options = options;
        _fixedRange = options.Range.IsAutomatic ? ChannelRange.Reference : options.Range;
        Bounds = options.Bounds;
        _style = new MapStyle { Channel = options.Channel, Format = options.Colour ? PixelFormat.Rgb8 : PixelFormat.Grey8, Range = options.Range };
        _style = MapStyles.Fit(_style, LatentSize());
        KeyboardPosition = (Centre(Bounds.XMin, Bounds.XMax), Centre(Bounds.YMin, Bounds.YMax));
        Array.Fill(_marks, Mark.None);
        MousePositionTracking = true;
        CanFocus = false;
    }

    /// <summary>The rectangle of the plane shown.</summary>
    public PlaneBounds Bounds { get; private set; }
    public MapStyle Style => _style;
    /// <summary>The picture on screen now (null until the first render arrives).</summary>
    public RenderedMap? Shown => _shown;
    public MapGrid Grid => _grid;

    /// <summary>Where the keyboard's finger is, sounding or not; it is shown hollow while silent.</summary>
    public (float X, float Y) KeyboardPosition { get; set; }
    public bool KeyboardSounding { get; set; }

    /// <summary>The fragment the draw tool draws for, highlighted on the map (its number), or null.</summary>
    public int? SelectedFragment
    {
        get => _selected;
        set
        {
            if (value == _selected) return;
            _selected = value;
            CancelDrag();
            RebuildOverlay();
        }
    }

    /// <summary>The cursor that went down most recently, other than the keyboard's finger, or -1 when none is down.</summary>
    public int NewestCursor { get; private set; } = -1;

    /// <summary>
    /// A dialog covers part of the map: cells go through Terminal.Gui's drawing, whose clip keeps
    /// them off the dialog, instead of straight to the terminal.
    /// </summary>
    public bool Covered { get; set; }

    /// <summary>Raised on the UI thread when the bounds, the style or the tool changed (the title follows).</summary>
    public event Action? ViewChanged;

    public string Caption()
    {
        string view = $"map · {MapStyles.Describe(_style)} · x {Bounds.XMin:0.###}..{Bounds.XMax:0.###} y {Bounds.YMin:0.###}..{Bounds.YMax:0.###}";
        return _tool switch
        {
            MapTool.Draw => $"draw {(_selected is { } n ? $"path {n}" : "(no fragment)")} · {view}",
            MapTool.Point => $"point · {view}",
            _ => view,
        };
    }

    // The view, as keys and the wheel change it.

    public void Zoom(bool closer) => ZoomAround(Centre(Bounds.XMin, Bounds.XMax), Centre(Bounds.YMin, Bounds.YMax), closer ? 1 / ZoomStep : ZoomStep);

    /// <summary>Pans by an eighth of the view; +1 is right or up.</summary>
    public void Pan(int right, int up)
    {
        float dx = right * PanStep * Bounds.Width, dy = up * PanStep * Bounds.Height;
        SetBounds(new PlaneBounds(Bounds.XMin + dx, Bounds.XMax + dx, Bounds.YMin + dy, Bounds.YMax + dy));
    }

    public void Reset()
    {
        SetBounds(_options.Bounds);
    }

    public void NextChannel(int step) => SetStyle(_style with { Channel = _style.Channel + step });

    public void ToggleColour() => SetStyle(_style with { Format = _style.Format == PixelFormat.Rgb8 ? PixelFormat.Grey8 : PixelFormat.Rgb8 });

    public void ToggleAutomaticRange() => SetStyle(_style with { Range = _style.Range.IsAutomatic ? _fixedRange : ChannelRange.Automatic });

    /// <summary>Moves the keyboard's finger by a sixteenth of the view.</summary>
    public void MoveKeyboardFinger(int right, int up)
    {
        var (x, y) = KeyboardPosition;
        x = Math.Clamp(x + right * Bounds.Width / 16, Bounds.XMin, Bounds.XMax);
        y = Math.Clamp(y + up * Bounds.Height / 16, Bounds.YMin, Bounds.YMax);
        KeyboardPosition = (x, y);
    }

    private void ZoomAround(float x, float y, float factor)
    {
        // Far enough in to see a terrain's finest detail, far enough out to see beyond any trained shape.
        float width = Bounds.Width * factor, height = Bounds.Height * factor;
        if (width < 1e-3f || height < 1e-3f || width > 1e5f || height > 1e5f) return;
        SetBounds(new PlaneBounds(x + (Bounds.XMin - x) * factor, x + (Bounds.XMax - x) * factor, y + (Bounds.YMin - y) * factor, y + (Bounds.YMax - y) * factor));
    }

    private void SetBounds(PlaneBounds bounds)
    {
        Bounds = bounds;
        Invalidate();
        ViewChanged?.Invoke();
    }

    private void SetStyle(MapStyle style)
    {
        _style = MapStyles.Fit(style, LatentSize());
        ViewChanged?.Invoke();
    }

    private int LatentSize()
    {
        using var lease = _instrument.Terrain.Acquire();
        return lease.Network.Config.LatentSize;
    }

    private static float Centre(float a, float b) => (float)((a + (double)b) / 2);

    // Once a tick (25 a second): the picture, the overlay, the cursors.

    /// <summary>Asks for a new picture when the terrain or the view changed, takes a finished one, follows the cursors.</summary>
    public void Tick()
    {
        var size = Viewport.Size;
        if (size.Width < 1 || size.Height < 1) return;
        if (_grid.Columns != size.Width || _grid.Rows != size.Height || !ReferenceEquals(_grid.Bounds, Bounds)) Invalidate();

        long version = _instrument.Terrain.Version;
        if (_requested == null || _requested.Version != version || !ReferenceEquals(_requested.Bounds, Bounds)
            || !ReferenceEquals(_requested.Style, _style) || _requested.Columns != size.Width || _requested.Rows != size.Height)
        {
            _requested = new MapRequest(Bounds, _style, size.Width, size.Height, version);
            _renderer.Request(_requested);
        }
        if (_renderer.Take(_shown) is { } fresh)
        {
            _shown = fresh;
            DrawWholeMap();
        }

        var taught = _instrument.Taught;
        var launchpad = _instrument.Status.LaunchpadWindow;
        var teaching = _instrument.Teaching;
        if (!ReferenceEquals(taught, _taught) || !Equals(launchpad, _launchpad) || teaching.PlayingPath != _playingPath || !SamePositions(teaching.Positions))
        {
            // What the mouse just drew or moved was shown until the instrument's shapes caught up.
            if (!ReferenceEquals(taught, _taught)) ForgetEdit();
            (_taught, _launchpad, _playingPath, _positions) = (taught, launchpad, teaching.PlayingPath, teaching.Positions);
            RebuildOverlay();
        }
        FollowCursors();
        if (_terminal == null || !(_wholeMapPending || _cursorsPending)) return;
        // Written to the terminal now, without a Terminal.Gui frame (see TerminalCells); under a
        // dialog, by Terminal.Gui's next frame, whose clip leaves the dialog alone.
        if (Covered) SetNeedsDraw();
        else Draw(direct: true);
    }

    /// <summary>The stored positions compared by value: an instrument may publish equal ones anew with each level of the input.</summary>
    private bool SamePositions(IReadOnlyList<StoredPosition> positions)
    {
        if (ReferenceEquals(positions, _positions)) return true;
        if (positions.Count != _positions.Count) return false;
        for (int i = 0; i < positions.Count; i++)
            if (positions[i] != _positions[i]) return false;
        return true;
    }

    /// <summary>The overlay built again and the whole map drawn with it.</summary>
    private void RebuildOverlay()
    {
        BuildOverlay();
        DrawWholeMap();
    }

    /// <summary>The size or the bounds changed: a new grid, its overlay, a whole redraw.</summary>
    private void Invalidate()
    {
        var size = Viewport.Size;
        _grid = new MapGrid(Bounds, Math.Max(1, size.Width), Math.Max(1, size.Height));
        int cells = _grid.Columns * _grid.Rows;
        if (_glyphs.Length != cells)
        {
            _glyphs = new string?[cells];
            _glyphColours = new Color[cells];
        }
        Array.Fill(_marks, Mark.None);
        _dirtyCount = 0;
        RebuildOverlay();
    }

    /// <summary>The next draw repaints every cell (a new picture, a resize, or the map shown again after the help).</summary>
    public void DrawWholeMap()
    {
        _wholeMapPending = true;
        if (_terminal == null) SetNeedsDraw();
    }

    private void FollowCursors()
    {
        var board = _instrument.Cursors;
        bool moved = false;
        for (int i = 0; i < CursorBoard.Capacity; i++)
        {
            var cursor = board.Read(i);
            NoteDown(i, cursor.Active);
            var mark = cursor.Active ? Place(cursor.X, cursor.Y, PressureLevel(cursor.Gain))
                : i == IPerformer.KeyboardFinger && !KeyboardSounding ? Place(KeyboardPosition.X, KeyboardPosition.Y, 0)
                : Mark.None;
            if (mark == _marks[i]) continue;
            AddDirty(_marks[i]);
            AddDirty(mark);
            _marks[i] = mark;
            moved = true;
        }
        if (moved)
        {
            _cursorsPending = true;
            if (_terminal == null) SetNeedsDraw();
        }
    }

    /// <summary>Keeps <see cref="NewestCursor"/>: a cursor going down is the newest; when the newest lifts, the one down longest after it.</summary>
    private void NoteDown(int cursor, bool active)
    {
        if (active == _down[cursor]) return;
        _down[cursor] = active;
        if (active) _downAt[cursor] = ++_downs;
        if (!active && cursor != NewestCursor) return;
        int newest = -1;
        for (int i = 0; i < _down.Length; i++)
            if (_down[i] && (newest < 0 || _downAt[i] > _downAt[newest])) newest = i;
        NewestCursor = newest;
    }

    /// <summary>The board's cursor (its slot, as the map numbers it) the keyboard finger sounds, or -1: the slot is the allocator's, found by its place.</summary>
    public int KeyboardCursor()
    {
        if (!KeyboardSounding) return -1;
        var board = _instrument.Cursors;
        for (int i = 0; i < CursorBoard.Capacity; i++)
            if (board.Read(i) is { Active: true } cursor && cursor.X == KeyboardPosition.X && cursor.Y == KeyboardPosition.Y) return i;
        return -1;
    }

    /// <summary>Pressure in four steps (1..4), so a trembling finger does not redraw its cell every frame.</summary>
    private static byte PressureLevel(float gain) => (byte)(1 + Math.Clamp((int)(gain * 4), 0, 3));

    private Mark Place(float x, float y, byte level)
    {
        int column = _grid.Column(x), row = _grid.Row(y);
        return _grid.Contains(column, row) ? new Mark(row * _grid.Columns + column, level) : Mark.None;
    }

    private void AddDirty(Mark mark)
    {
        if (mark.Cell < 0 || _dirtyCount + 2 > _dirty.Length) return;
        _dirty[_dirtyCount++] = mark.Cell;
        _dirty[_dirtyCount++] = LabelCell(mark.Cell);
    }

    /// <summary>A cursor's number sits right of its dot, or left of it at the right edge.</summary>
    private int LabelCell(int cell) => cell % _grid.Columns + 1 < _grid.Columns ? cell + 1 : Math.Max(cell - 1, 0);

    // Drawing.

    protected override bool OnClearingViewport() => true;

    protected override bool OnDrawingContent(DrawContext? context)
    {
        Draw(direct: false);
        return true;
    }

    /// <summary>
    /// Draws what changed: the cells cursors left and reached, or the whole map (a new picture, or
    /// Terminal.Gui asking, when nothing but cursors is pending). Direct: from <see cref="Tick"/>,
    /// outside Terminal.Gui's drawing, straight to the terminal.
    /// </summary>
    private void Draw(bool direct)
    {
        if (_grid.Columns != Viewport.Width || _grid.Rows != Viewport.Height) Invalidate();
        _buffer = App?.Driver?.GetOutputBuffer();
        _clip = App?.Driver?.Clip;
        _origin = ViewportToScreen(System.Drawing.Point.Empty);
        if (direct && _buffer == null) return;
        bool onlyCursors = _cursorsPending && !_wholeMapPending;
        _cursorsPending = _wholeMapPending = false;
        if (onlyCursors)
        {
            for (int i = 0; i < _dirtyCount; i++) DrawCell(_dirty[i]);
        }
        else
        {
            int cells = _grid.Columns * _grid.Rows;
            for (int cell = 0; cell < cells; cell++) DrawCell(cell);
        }
        _dirtyCount = 0;
        for (int i = 0; i < _marks.Length; i++) DrawMark(i, _marks[i]);
        _terminal?.Flush();
    }

    private void DrawCell(int cell)
    {
        int column = cell % _grid.Columns, row = cell / _grid.Columns;
        var (upper, lower) = Pixels(column, row);
        if (_glyphs[cell] is { } glyph) Write(column, row, glyph, new Attribute(_glyphColours[cell], Shade(upper, lower)));
        else Write(column, row, HalfBlockText, new Attribute(upper, lower));
    }

    private void DrawMark(int finger, Mark mark)
    {
        if (mark.Cell < 0) return;
        // Brighter with more pressure; a silent keyboard finger is a grey ring.
        var colour = mark.Level == 0 ? Grey : Amber(0.25f + 0.1875f * mark.Level);
        Write(mark.Cell % _grid.Columns, mark.Cell / _grid.Columns, mark.Level == 0 ? SilentText : PressedText, new Attribute(colour, Black));
        int label = LabelCell(mark.Cell);
        Write(label % _grid.Columns, label / _grid.Columns, FingerTexts[finger], new Attribute(mark.Level == 0 ? Grey : White, Black));
    }

    /// <summary>
    /// Writes one cell straight into the driver's buffer and marks its row for output, as Terminal.Gui's
    /// IOutputBuffer documents for code that writes Contents itself: its AddRune splits the text into
    /// graphemes at every call (docs/interface.md), and every collection pauses the synth thread too.
    /// Cells outside the view or the screen are left alone.
    /// </summary>
    private void Write(int column, int row, string grapheme, Attribute attribute)
    {
        if (_buffer is not { } buffer || column >= Viewport.Width || row >= Viewport.Height) return;
        int x = _origin.X + column, y = _origin.Y + row;
        var contents = buffer.Contents;
        if (contents == null || y < 0 || x < 0 || y >= contents.GetLength(0) || x >= contents.GetLength(1)) return;
        if (_clip != null && !_clip.Contains(x, y)) return;
        // A cell that already shows this is left alone, so a new picture costs only the cells it changed.
        ref var shown = ref contents[y, x];
        if (shown.Attribute == attribute && shown.Grapheme == grapheme && !(_terminal != null && shown.IsDirty)) return;
        if (_terminal != null)
        {
            // Ours to write: clean in Terminal.Gui's buffer (even where it meant to write something else), queued for the terminal.
            shown = new Cell(attribute, false, grapheme);
            _terminal.Cell(y, x, attribute, grapheme);
            return;
        }
        shown = new Cell(attribute, true, grapheme);
        buffer.DirtyLines[y] = true;
    }

    private static Color Amber(float level) => new((int)(255 * level), (int)(190 * level), (int)(60 * level));

    /// <summary>The upper and lower pixel of a cell; black where the picture (still of another size) has none.</summary>
    private (Color Upper, Color Lower) Pixels(int column, int row)
    {
        var image = _shown?.Image;
        if (image == null || column >= image.Width || 2 * row + 1 >= image.Height) return (Black, Black);
        return (Pixel(image, column, 2 * row), Pixel(image, column, 2 * row + 1));
    }

    private static Color Pixel(MapImage image, int x, int y)
    {
        int p = y * image.Width + x;
        var pixels = image.Pixels;
        return image.Format == PixelFormat.Grey8 ? new Color(pixels[p], pixels[p], pixels[p]) : new Color(pixels[3 * p], pixels[3 * p + 1], pixels[3 * p + 2]);
    }

    /// <summary>The terrain under a glyph, darkened so the glyph reads on any part of the map.</summary>
    private static Color Shade(Color upper, Color lower) =>
        new((upper.R + lower.R) / 5, (upper.G + lower.G) / 5, (upper.B + lower.B) / 5);

    // The overlay: Launchpad window, paths, points, stored positions (later ones on top).

    private void BuildOverlay()
    {
        Array.Clear(_glyphs);
        if (_launchpad is { } window) Outline(window);
        TaughtPath? selected = null;
        if (_taught is { } taught)
        {
            foreach (var path in taught.Paths)
            {
                if (path.Number == _selected) selected = path;
                else DrawPath(path.Number, path.Points, path.Complete ? White : Grey);
            }
        }
        // The selected fragment's path on top: as the mouse draws or edits it, else as taught.
        if (_pen is { } pen) DrawPath(pen.Fragment, pen.Anchors, pen.Complete ? SelectedColour : SelectedIncompleteColour);
        else if (selected != null) DrawPath(selected.Number, selected.Points, selected.Complete ? SelectedColour : SelectedIncompleteColour);
        if (_taught is { } shapes)
        {
            for (int i = 0; i < shapes.Points.Count; i++)
            {
                var (x, y) = i == _movingPoint ? _movedTo : shapes.Points[i];
                int column = _grid.Column(x), row = _grid.Row(y);
                Put(column, row, PointText, PointColour);
                PutNumber(column + 1, row, i + 1, Subscripts, PointColour);
            }
        }
        foreach (var position in _positions)
            PutNumber(_grid.Column(position.X), _grid.Row(position.Y), position.Number, Digits, PositionColour);
    }

    private void Outline(PlaneBounds window)
    {
        int left = _grid.Column(window.XMin), right = _grid.Column(window.XMax), top = _grid.Row(window.YMax), bottom = _grid.Row(window.YMin);
        for (int column = Math.Max(left, 0); column <= Math.Min(right, _grid.Columns - 1); column++)
        {
            Put(column, top, Box[0], LaunchpadColour);
            Put(column, bottom, Box[0], LaunchpadColour);
        }
        for (int row = Math.Max(top, 0); row <= Math.Min(bottom, _grid.Rows - 1); row++)
        {
            Put(left, row, Box[1], LaunchpadColour);
            Put(right, row, Box[1], LaunchpadColour);
        }
        Put(left, top, Box[2], LaunchpadColour);
        Put(right, top, Box[3], LaunchpadColour);
        Put(left, bottom, Box[4], LaunchpadColour);
        Put(right, bottom, Box[5], LaunchpadColour);
    }

    /// <summary>
    /// A path as a line from anchor to anchor, an arrow every few cells and at its end, its number at
    /// its start (after ▶ while a cursor travels it); the draw tool shows the selected path's anchors.
    /// </summary>
    private void DrawPath(int number, IReadOnlyList<(float X, float Y)> anchors, Color colour)
    {
        if (anchors.Count == 0) return;
        bool playing = number == _playingPath;
        if (playing) colour = PlayingColour;
        int drawn = 0, lastOctant = 0;
        for (int i = 1; i < anchors.Count; i++)
        {
            var (x0, y0) = CellCoordinates(anchors[i - 1]);
            var (x1, y1) = CellCoordinates(anchors[i]);
            int octant = Octant(x1 - x0, y1 - y0);
            if (!ClipToGrid(ref x0, ref y0, ref x1, ref y1)) continue;
            int steps = (int)Math.Ceiling(Math.Max(Math.Abs(x1 - x0), Math.Abs(y1 - y0)));
            for (int s = 0; s <= steps; s++)
            {
                double t = steps == 0 ? 0 : (double)s / steps;
                var glyph = ++drawn % 8 == 0 ? Arrows[octant] : Lines[octant];
                Put((int)Math.Floor(x0 + t * (x1 - x0)), (int)Math.Floor(y0 + t * (y1 - y0)), glyph, colour);
            }
            lastOctant = octant;
        }
        if (_tool == MapTool.Draw && number == _selected)
            for (int i = 1; i < anchors.Count - 1; i++) Put(Cell(anchors[i]).Column, Cell(anchors[i]).Row, AnchorText, colour);
        var end = Cell(anchors[^1]);
        Put(end.Column, end.Row, Arrows[lastOctant], colour);
        var start = Cell(anchors[0]);
        if (playing) Put(start.Column - 1, start.Row, PlayingText, colour);
        PutNumber(start.Column, start.Row, number, Digits, colour);
    }

    /// <summary>The cell holding a point of the plane (may be outside the grid).</summary>
    private (int Column, int Row) Cell((float X, float Y) point) => (_grid.Column(point.X), _grid.Row(point.Y));

    /// <summary>A point of the plane in continuous cell units (x right, y down).</summary>
    private (double X, double Y) CellCoordinates((float X, float Y) point) =>
        ((point.X - (double)Bounds.XMin) / Bounds.Width * _grid.Columns, (Bounds.YMax - (double)point.Y) / Bounds.Height * _grid.Rows);

    /// <summary>The direction of a step on screen, 0 = right, counter-clockwise in eighths.</summary>
    private static int Octant(double dx, double dy) =>
        ((int)Math.Round(Math.Atan2(-dy, dx) / (Math.PI / 4)) + 8) % 8;

    /// <summary>Cuts a segment to the grid (Liang-Barsky), so a path far outside a zoomed view costs nothing; false when nothing is left.</summary>
    private bool ClipToGrid(ref double x0, ref double y0, ref double x1, ref double y1)
    {
        double t0 = 0, t1 = 1, dx = x1 - x0, dy = y1 - y0;
        ReadOnlySpan<double> p = [-dx, dx, -dy, dy];
        ReadOnlySpan<double> q = [x0, _grid.Columns - x0, y0, _grid.Rows - y0];
        for (int i = 0; i < 4; i++)
        {
            if (p[i] == 0) { if (q[i] < 0) return false; continue; }
            double r = q[i] / p[i];
            if (p[i] < 0) t0 = Math.Max(t0, r);
            else t1 = Math.Min(t1, r);
            if (t0 > t1) return false;
        }
        (x0, y0, x1, y1) = (x0 + t0 * dx, y0 + t0 * dy, x0 + t1 * dx, y0 + t1 * dy);
        return true;
    }

    private void Put(int column, int row, string glyph, Color colour)
    {
        if (!_grid.Contains(column, row)) return;
        int cell = row * _grid.Columns + column;
        _glyphs[cell] = glyph;
        _glyphColours[cell] = colour;
    }

    /// <summary>A positive number's digits from (column, row) rightwards, in the given digit glyphs.</summary>
    private void PutNumber(int column, int row, int number, string[] digits, Color colour)
    {
        int width = 1;
        for (int rest = number / 10; rest > 0; rest /= 10) width++;
        for (int i = width - 1; i >= 0; i--, number /= 10) Put(column + i, row, digits[number % 10], colour);
    }

    private static string[] Texts(string glyphs) => [.. glyphs.Select(c => c.ToString())];

    /// <summary>Where a cursor's dot is drawn (a cell, -1 for none) and how hard it presses (0: the silent keyboard finger).</summary>
    private readonly record struct Mark(int Cell, byte Level)
    {
        public static Mark None { get; } = new(-1, 0);
    }
}
