using Terminal.Gui.Input;

namespace LatentTerrain.Tui;

/// <summary>What the mouse does on the map: plays it, draws the selected fragment's path, or places points.</summary>
internal enum MapTool { Play, Draw, Point }

/// <summary>
/// The map's mouse: the wheel zooms around the pointer in every tool; a press, drag and release
/// plays (finger <see cref="IPerformer.MouseFinger"/>), draws or edits the selected fragment's path
/// (<see cref="PathPen"/>), or places and moves points. What the mouse drew or moved stays on the
/// map until the instrument's shapes change or its action is answered, so it never flickers back.
/// </summary>
internal sealed partial class MapView
{
    private MapTool _tool;
    // The tool of the press in progress (null: the button is up), and the cell the drag was last at.
    private MapTool? _dragTool;
    private int _dragCell = -1;
    private readonly PathPen _penInHand = new();
    // The path drawn or edited, while shown (the pen in hand), else null; whether an edit moved its anchor.
    private PathPen? _pen;
    private bool _penMoved;
    // The point dragged (index, -1 for none), where to, and whether it moved; a press on empty space places one.
    private int _movingPoint = -1;
    private (float X, float Y) _movedTo;
    private bool _pointMoved, _placing;
    // The cell under the pointer, -1 when it is off the map (point mode's x deletes the point there).
    private int _pointer = -1;

    public MapTool Tool
    {
        get => _tool;
        set
        {
            if (value == _tool) return;
            CancelDrag();
            _tool = value;
            RebuildOverlay();
            ViewChanged?.Invoke();
        }
    }

    /// <summary>Where the point tool's next point takes its latent from.</summary>
    public PointSource Source { get; set; }

    /// <summary>A mouse button is down on the map.</summary>
    public bool Dragging => _dragTool != null;

    /// <summary>An action line the mouse made (<c>path N ...</c>, <c>point X Y ...</c>, <c>move point N X Y</c>), for the performer.</summary>
    public event Action<string>? Acted;

    /// <summary>Something for the player to read (why a press did nothing).</summary>
    public event Action<string>? Said;

    protected override bool OnMouseEvent(Mouse mouse)
    {
        if (mouse.Position is not { } at) return false;
        var flags = mouse.Flags;
        _pointer = _grid.Contains(at.X, at.Y) ? at.Y * _grid.Columns + at.X : -1;
        int column = Math.Clamp(at.X, 0, _grid.Columns - 1), row = Math.Clamp(at.Y, 0, _grid.Rows - 1);
        if (flags.HasFlag(MouseFlags.WheeledUp) || flags.HasFlag(MouseFlags.WheeledDown))
        {
            ZoomAround(_grid.X(column), _grid.Y(row), flags.HasFlag(MouseFlags.WheeledUp) ? 1 / ZoomStep : ZoomStep);
            return true;
        }
        int cell = row * _grid.Columns + column;
        if (flags.HasFlag(MouseFlags.LeftButtonPressed))
        {
            if (_dragTool == null)
            {
                _dragTool = _tool;
                _dragCell = cell;
                App?.Mouse.GrabMouse(this);
                Press(column, row);
            }
            else if (cell != _dragCell)
            {
                _dragCell = cell;
                Drag(column, row);
            }
            return true;
        }
        if (flags.HasFlag(MouseFlags.LeftButtonReleased) && _dragTool is { } tool)
        {
            _dragTool = null;
            _dragCell = -1;
            App?.Mouse.UngrabMouse();
            Release(tool, column, row);
            return true;
        }
        return false;
    }

    protected override void OnMouseLeave() => _pointer = -1;

    private void Press(int column, int row)
    {
        switch (_tool)
        {
            case MapTool.Draw: PenDown(column, row); break;
            case MapTool.Point:
                _movingPoint = _taught is { } taught ? Nearest(taught.Points, column, row) : -1;
                _pointMoved = false;
                _placing = _movingPoint < 0;
                break;
            default: _performer.Touch(IPerformer.MouseFinger, _grid.X(column), _grid.Y(row), 1f); break;
        }
    }

    private void Drag(int column, int row)
    {
        switch (_dragTool)
        {
            case MapTool.Draw:
                if (_pen is not { } pen || !pen.Reach(column, row, _grid.X(column), _grid.Y(row))) return;
                _penMoved = true;
                RebuildOverlay();
                break;
            case MapTool.Point:
                if (_movingPoint < 0) return;
                (_movedTo, _pointMoved) = ((_grid.X(column), _grid.Y(row)), true);
                RebuildOverlay();
                break;
            default: _performer.Touch(IPerformer.MouseFinger, _grid.X(column), _grid.Y(row), 1f); break;
        }
    }

    private void Release(MapTool tool, int column, int row)
    {
        switch (tool)
        {
            case MapTool.Draw: PenUp(); break;
            case MapTool.Point:
                if (_placing) Acted?.Invoke(ActionLines.Point(_grid.X(column), _grid.Y(row), Source.Words));
                else if (_pointMoved) Acted?.Invoke(ActionLines.MovePoint(_movingPoint + 1, _movedTo.X, _movedTo.Y));
                else _movingPoint = -1;
                _placing = false;
                break;
            default: _performer.Lift(IPerformer.MouseFinger); break;
        }
    }

    /// <summary>A press in the draw tool: on an anchor of the selected fragment's path it grabs that anchor, elsewhere it starts the path anew.</summary>
    private void PenDown(int column, int row)
    {
        var teaching = _instrument.Teaching;
        FragmentRow? fragment = null;
        foreach (var candidate in teaching.Fragments)
            if (candidate.Number == _selected) fragment = candidate;
        if (fragment == null)
        {
            Said?.Invoke("no fragment to draw for: o adds a sound file, r records one, Tab selects");
            return;
        }
        if (fragment.Encoding || fragment.Frames < 2)
        {
            Said?.Invoke($"fragment {fragment.Number} is {(fragment.Encoding ? "still encoding" : "too short for a path")}");
            return;
        }
        float length = teaching.Density * (fragment.Frames - 1);
        TaughtPath? path = null;
        foreach (var taught in _taught?.Paths ?? [])
            if (taught.Number == fragment.Number) path = taught;
        int anchor = path == null ? -1 : Nearest(path.Points, column, row);
        if (anchor >= 0) _penInHand.Edit(fragment.Number, length, path!.Points, anchor);
        else _penInHand.Start(fragment.Number, length, column, row, _grid.X(column), _grid.Y(row));
        (_pen, _penMoved) = (_penInHand, false);
        RebuildOverlay();
    }

    private void PenUp()
    {
        if (_pen is not { } pen) return;
        if (pen.Editing ? _penMoved : pen.Anchors.Count > 1)
        {
            Acted?.Invoke(ActionLines.Path(pen.Fragment, pen.Anchors));
            return;
        }
        if (!pen.Editing) Said?.Invoke($"drag to draw fragment {pen.Fragment}'s path");
        _pen = null;
        RebuildOverlay();
    }

    /// <summary>Esc, another tool or another fragment: the drag in progress ends without an action (a playing finger lifts).</summary>
    public void CancelDrag()
    {
        if (_dragTool is not { } tool) return;
        _dragTool = null;
        _dragCell = -1;
        _placing = false;
        App?.Mouse.UngrabMouse();
        if (tool == MapTool.Play) _performer.Lift(IPerformer.MouseFinger);
        ForgetEdit();
        RebuildOverlay();
    }

    /// <summary>Every action the interface sent has its answer: a drawn path or moved point no longer needs showing by itself.</summary>
    public void Answered()
    {
        if (_dragTool != null || (_pen == null && _movingPoint < 0)) return;
        ForgetEdit();
        RebuildOverlay();
    }

    private void ForgetEdit()
    {
        if (_dragTool != null) return;
        _pen = null;
        _movingPoint = -1;
    }

    /// <summary>The number of the point under the pointer (or next to it), else of the newest point; null when there is none.</summary>
    public int? PointToDelete()
    {
        var points = _taught?.Points ?? [];
        if (points.Count == 0) return null;
        int near = _pointer < 0 ? -1 : Nearest(points, _pointer % _grid.Columns, _pointer / _grid.Columns);
        return (near < 0 ? points.Count - 1 : near) + 1;
    }

    /// <summary>
    /// The index of the point nearest the cell (column, row), within a cell of it every way (a cell is
    /// about twice as tall as wide, so rows weigh double), or -1. Later points win ties: they are drawn on top.
    /// </summary>
    private int Nearest(IReadOnlyList<(float X, float Y)> points, int column, int row)
    {
        int nearest = -1, best = int.MaxValue;
        for (int i = 0; i < points.Count; i++)
        {
            var (c, r) = Cell(points[i]);
            int dc = c - column, dr = r - row;
            if (Math.Abs(dc) > 1 || Math.Abs(dr) > 1) continue;
            int distance = dc * dc + 4 * dr * dr;
            if (distance > best) continue;
            (nearest, best) = (i, distance);
        }
        return nearest;
    }
}
