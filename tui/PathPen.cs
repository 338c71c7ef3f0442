namespace LatentTerrain.Tui;

/// <summary>
/// A fragment's path as the mouse draws or edits it, in plane coordinates. Drawing samples the
/// drag's cells into anchors: the newest cell is a provisional tip that becomes an anchor where
/// the drag turns or every <see cref="Every"/> cells, so a straight stroke stays a few anchors.
/// Drawing stops at <see cref="MaxLength"/> (density x (frames - 1)), as the reference clamps its
/// pen; editing an anchor moves it freely (the instrument cuts a path that grew too long).
/// </summary>
internal sealed class PathPen
{
    /// <summary>A straight run keeps an anchor every this many cells, so later edits have something to grab.</summary>
    private const int Every = 4;
    /// <summary>A turn sharper than this (between the run so far and the newest step, on screen) keeps an anchor.</summary>
    private const double TurnRadians = Math.PI / 6;

    private readonly List<(float X, float Y)> _anchors = [];
    // The drawing's state in cells: where the last kept anchor and the tip are, and how many cells the run has.
    private (int Column, int Row) _kept, _tip;
    private int _run;
    private int _editing = -1;

    /// <summary>The fragment whose path this is.</summary>
    public int Fragment { get; private set; }
    public float MaxLength { get; private set; }
    public IReadOnlyList<(float X, float Y)> Anchors => _anchors;
    /// <summary>Drawing reached <see cref="MaxLength"/>: the drag extends it no further.</summary>
    public bool Full { get; private set; }
    public bool Editing => _editing >= 0;

    /// <summary>Long enough for its fragment (drawn grey until then).</summary>
    public bool Complete => Length() >= MaxLength * 0.999f;

    /// <summary>A new path from one cell.</summary>
    public void Start(int fragment, float maxLength, int column, int row, float x, float y)
    {
        (Fragment, MaxLength, Full, _editing, _run) = (fragment, maxLength, false, -1, 0);
        _anchors.Clear();
        _anchors.Add((x, y));
        _kept = _tip = (column, row);
    }

    /// <summary>An existing path, its anchor <paramref name="anchor"/> to be dragged.</summary>
    public void Edit(int fragment, float maxLength, IReadOnlyList<(float X, float Y)> anchors, int anchor)
    {
        (Fragment, MaxLength, Full, _editing) = (fragment, maxLength, false, anchor);
        _anchors.Clear();
        _anchors.AddRange(anchors);
    }

    /// <summary>The drag reached a cell: draws on to it, or moves the anchor being edited. False when nothing changed.</summary>
    public bool Reach(int column, int row, float x, float y)
    {
        if (Editing)
        {
            if (_anchors[_editing] == (x, y)) return false;
            _anchors[_editing] = (x, y);
            return true;
        }
        if (Full || (column, row) == _tip) return false;
        bool hasTip = _tip != _kept;
        if (hasTip && (_run >= Every || Turns(column, row)))
        {
            // The tip becomes an anchor; the new cell is the next tip.
            _kept = _tip;
            _run = 0;
            hasTip = false;
        }
        if (hasTip) _anchors[^1] = (x, y);
        else _anchors.Add((x, y));
        _tip = (column, row);
        _run++;
        Clamp();
        return true;
    }

    /// <summary>The last segment cut back so the whole path is no longer than <see cref="MaxLength"/>.</summary>
    private void Clamp()
    {
        float before = Length(_anchors.Count - 1), room = MaxLength - before;
        var (from, to) = (_anchors[^2], _anchors[^1]);
        float last = Distance(from, to);
        if (before + last < MaxLength) return;
        float t = last > 0 ? Math.Max(room, 0) / last : 0;
        _anchors[^1] = (from.X + t * (to.X - from.X), from.Y + t * (to.Y - from.Y));
        Full = true;
    }

    /// <summary>Whether the step from the tip to (column, row) turns away from the run from the kept anchor to the tip; a cell is twice as tall as wide.</summary>
    private bool Turns(int column, int row)
    {
        double runAngle = Math.Atan2(2.0 * (_tip.Row - _kept.Row), _tip.Column - _kept.Column);
        double stepAngle = Math.Atan2(2.0 * (row - _tip.Row), column - _tip.Column);
        double turn = Math.Abs(Math.IEEERemainder(stepAngle - runAngle, 2 * Math.PI));
        return turn > TurnRadians;
    }

    /// <summary>The length of the first <paramref name="count"/> anchors' polyline (all of them by default).</summary>
    public float Length(int count = int.MaxValue)
    {
        float length = 0;
        for (int i = 1; i < Math.Min(count, _anchors.Count); i++) length += Distance(_anchors[i - 1], _anchors[i]);
        return length;
    }

    public static float Distance((float X, float Y) a, (float X, float Y) b) => MathF.Sqrt((a.X - b.X) * (a.X - b.X) + (a.Y - b.Y) * (a.Y - b.Y));
}
