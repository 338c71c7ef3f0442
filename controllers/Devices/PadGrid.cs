using LatentTerrain.Controllers.Touches;

namespace LatentTerrain.Controllers.Devices;

/// <summary>
/// A grid of pads or keys played with fingers: each touch sits at the centre of a pad, X = column +
/// 0.5 and Y = row + 0.5 in pads (column 0 at the left, row 0 at the bottom).
/// </summary>
/// <remarks>
/// Glide: a pad pressed within <see cref="GlideDistance"/> pads (in both directions) of a pad a touch
/// sits on moves that touch there instead of starting a new one, so rolling a finger over
/// neighbouring pads slides one cursor; released, the touch goes back to the latest of its pads
/// still held, and ends with its last pad. Pads farther apart are separate touches. 0 turns glide off.
/// Pressure starts at the press's velocity (for pads that send no aftertouch) until aftertouch comes.
/// Allocation-free; one thread.
/// </remarks>
public sealed class PadGrid
{
    private readonly ITouchSink _sink;
    /// <summary>Per pad: the touch slot holding it (-1 when up) and when it was pressed.</summary>
    private readonly int[] _owner;
    private readonly long[] _pressed;
    private readonly TouchSlot[] _touches;
    private long _clock;
    private int _nextId;

    private struct TouchSlot
    {
        public bool Used;
        public int Id, Pad;
        public float Velocity, Pressure;
    }

    public PadGrid(int columns, int rows, int glideDistance, ITouchSink sink)
    {
        if (columns < 1 || rows < 1) throw new ArgumentOutOfRangeException(nameof(columns), $"a grid needs at least one pad, not {columns} x {rows}");
        if (glideDistance < 0) throw new ArgumentOutOfRangeException(nameof(glideDistance), $"glide distance {glideDistance} is negative");
        (Columns, Rows, GlideDistance, _sink) = (columns, rows, glideDistance, sink);
        _owner = new int[columns * rows];
        _pressed = new long[columns * rows];
        _touches = new TouchSlot[columns * rows];
        Array.Fill(_owner, -1);
    }

    public int Columns { get; }
    public int Rows { get; }
    public int GlideDistance { get; }

    /// <summary>Whether pad (<paramref name="column"/>, <paramref name="row"/>) is held.</summary>
    public bool IsDown(int column, int row) => _owner[Pad(column, row)] >= 0;

    /// <summary>The pad pressed last among those held, if any is.</summary>
    public bool TryLatestHeld(out int column, out int row)
    {
        int latest = -1;
        for (int pad = 0; pad < _owner.Length; pad++)
            if (_owner[pad] >= 0 && (latest < 0 || _pressed[pad] > _pressed[latest])) latest = pad;
        (column, row) = latest < 0 ? (-1, -1) : (latest % Columns, latest / Columns);
        return latest >= 0;
    }

    public void Press(int column, int row, float velocity, double time)
    {
        int pad = Pad(column, row);
        if (_owner[pad] >= 0) return;
        _pressed[pad] = ++_clock;
        int touch = GlidingTouch(pad);
        if (touch >= 0)
        {
            ref var gliding = ref _touches[touch];
            _owner[pad] = touch;
            gliding.Pad = pad;
            Emit(touch, TouchPhase.Move, time);
            return;
        }
        touch = Array.FindIndex(_touches, static t => !t.Used);
        _touches[touch] = new TouchSlot { Used = true, Id = _nextId, Pad = pad, Velocity = velocity, Pressure = velocity };
        _nextId = (_nextId + 1) & int.MaxValue;
        _owner[pad] = touch;
        Emit(touch, TouchPhase.Start, time);
    }

    public void Release(int column, int row, double time)
    {
        int pad = Pad(column, row), touch = _owner[pad];
        if (touch < 0) return;
        _owner[pad] = -1;
        int latest = -1;
        for (int p = 0; p < _owner.Length; p++)
            if (_owner[p] == touch && (latest < 0 || _pressed[p] > _pressed[latest])) latest = p;
        if (latest >= 0)
        {
            if (_touches[touch].Pad == latest) return;
            _touches[touch].Pad = latest;
            Emit(touch, TouchPhase.Move, time);
            return;
        }
        Emit(touch, TouchPhase.End, time);
        _touches[touch].Used = false;
    }

    /// <summary>Aftertouch on one pad: the pressure of the touch holding it.</summary>
    public void Pressure(int column, int row, float pressure, double time)
    {
        int touch = _owner[Pad(column, row)];
        if (touch < 0) return;
        _touches[touch].Pressure = pressure;
        Emit(touch, TouchPhase.Move, time);
    }

    /// <summary>Aftertouch for the whole grid (channel pressure): the pressure of every touch.</summary>
    public void PressureAll(float pressure, double time)
    {
        for (int t = 0; t < _touches.Length; t++)
        {
            if (!_touches[t].Used) continue;
            _touches[t].Pressure = pressure;
            Emit(t, TouchPhase.Move, time);
        }
    }

    public void ReleaseAll(double time)
    {
        for (int t = 0; t < _touches.Length; t++)
        {
            if (!_touches[t].Used) continue;
            Emit(t, TouchPhase.End, time);
            _touches[t].Used = false;
        }
        Array.Fill(_owner, -1);
    }

    /// <summary>The touch whose current pad is nearest within the glide distance (the latest pressed among equals), or -1.</summary>
    private int GlidingTouch(int pad)
    {
        if (GlideDistance == 0) return -1;
        int found = -1, nearest = int.MaxValue;
        for (int t = 0; t < _touches.Length; t++)
        {
            if (!_touches[t].Used) continue;
            int at = _touches[t].Pad;
            int distance = Math.Max(Math.Abs(at % Columns - pad % Columns), Math.Abs(at / Columns - pad / Columns));
            if (distance > GlideDistance) continue;
            if (distance < nearest || (distance == nearest && _pressed[at] > _pressed[_touches[found].Pad])) (found, nearest) = (t, distance);
        }
        return found;
    }

    private int Pad(int column, int row)
    {
        if ((uint)column >= Columns || (uint)row >= Rows) throw new ArgumentOutOfRangeException(nameof(column), $"pad ({column}, {row}) is outside the {Columns} x {Rows} grid");
        return row * Columns + column;
    }

    private void Emit(int touch, TouchPhase phase, double time)
    {
        ref var t = ref _touches[touch];
        _sink.Touch(new Touch(t.Id, phase, t.Pad % Columns + 0.5f, t.Pad / Columns + 0.5f, t.Pressure, t.Velocity, time));
    }
}
