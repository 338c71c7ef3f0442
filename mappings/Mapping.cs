using LatentTerrain.Controllers.Touches;
using LatentTerrain.Engine.Maps;
using LatentTerrain.Engine.Synthesis;

namespace LatentTerrain.Mappings;

/// <summary>
/// Turns one controller's touches into cursors through a <see cref="MappingProfile"/>: a touch's
/// start claims a cursor slot (<see cref="CursorAllocator"/>, shared by all mappings of a board),
/// each move writes the cursor's position on the terrain's <see cref="Bounds"/> (smoothed when the
/// profile says so) and its gain, the end lifts it. The sink of a controller, on the controller's
/// thread; allocation-free per touch.
/// </summary>
public sealed class Mapping : ITouchSink
{
    private static int _mappings;

    private readonly ICursorOutput _output;
    private readonly CursorAllocator _allocator;
    private readonly long _ownerBase;
    /// <summary>Per cursor slot: the id of this mapping's touch in it, or -1.</summary>
    private readonly int[] _touchIn = new int[CursorBoard.Capacity];
    private readonly bool[] _pressureSeen = new bool[CursorBoard.Capacity];
    private readonly OneEuroFilter[] _xFilters = new OneEuroFilter[CursorBoard.Capacity];
    private readonly OneEuroFilter[] _yFilters = new OneEuroFilter[CursorBoard.Capacity];

    public Mapping(MappingProfile profile, PlaneBounds bounds, ICursorOutput output, CursorAllocator allocator)
    {
        (Profile, Bounds, _output, _allocator) = (profile, bounds, output, allocator);
        _ownerBase = (long)Interlocked.Increment(ref _mappings) << 32;
        Array.Fill(_touchIn, -1);
        if (profile.Smoothing is Smoothing smoothing)
            for (int i = 0; i < CursorBoard.Capacity; i++) (_xFilters[i], _yFilters[i]) = (new OneEuroFilter(smoothing), new OneEuroFilter(smoothing));
    }

    /// <summary>Writes straight into a cursor board.</summary>
    public Mapping(MappingProfile profile, PlaneBounds bounds, CursorBoard board, CursorAllocator allocator)
        : this(profile, bounds, new CursorBoardOutput(board), allocator) { }

    public MappingProfile Profile { get; }
    public PlaneBounds Bounds { get; }

    public void Touch(in Touch touch)
    {
        int cursor = CursorOf(touch.Id);
        switch (touch.Phase)
        {
            case TouchPhase.Start:
                if (cursor >= 0) Lift(cursor, touch.Time);
                cursor = _allocator.Claim(Owner(touch.Id));
                _touchIn[cursor] = touch.Id;
                _pressureSeen[cursor] = false;
                _xFilters[cursor].Reset();
                _yFilters[cursor].Reset();
                Write(cursor, touch);
                break;
            case TouchPhase.Move when cursor >= 0:
                Write(cursor, touch);
                break;
            case TouchPhase.End when cursor >= 0:
                Lift(cursor, touch.Time);
                break;
        }
    }

    /// <summary>The terrain position a touch maps to, before smoothing.</summary>
    public (float X, float Y) Position(in Touch touch) =>
        (Bounds.XMin + Profile.X.Fraction(touch) * Bounds.Width, Bounds.YMin + Profile.Y.Fraction(touch) * Bounds.Height);

    private void Write(int cursor, in Touch touch)
    {
        var (x, y) = Position(touch);
        if (Profile.Smoothing is not null)
        {
            x = _xFilters[cursor].Filter(x, touch.Time);
            y = _yFilters[cursor].Filter(y, touch.Time);
        }
        if (touch.Pressure > 0) _pressureSeen[cursor] = true;
        _output.Move(cursor, x, y, Profile.Gain.Gain(touch, _pressureSeen[cursor]), touch.Time);
    }

    private void Lift(int cursor, double time)
    {
        _output.Release(cursor, time);
        _allocator.Free(cursor, Owner(_touchIn[cursor]));
        _touchIn[cursor] = -1;
    }

    /// <summary>The slot of a touch of this mapping, or -1 (also when another touch has stolen it, which this notices and forgets).</summary>
    private int CursorOf(int touchId)
    {
        for (int cursor = 0; cursor < _touchIn.Length; cursor++)
        {
            if (_touchIn[cursor] != touchId) continue;
            if (_allocator.Owns(cursor, Owner(touchId))) return cursor;
            _touchIn[cursor] = -1;
        }
        return -1;
    }

    private long Owner(int touchId) => _ownerBase | (uint)touchId;
}
