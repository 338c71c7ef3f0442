using LatentTerrain.Engine.Synthesis;

namespace LatentTerrain.Engine.Rendering;

/// <summary>One moment of a performance: cursor <see cref="Cursor"/> at (x, y) with a pressure; pressure 0 lifts it.</summary>
public readonly record struct GestureEvent(double Time, int Cursor, float X, float Y, float Pressure);

/// <summary>
/// A performance as a list of cursor events in time order: what <c>terrain render</c> plays, and
/// what the instrument records while it is played.
/// </summary>
public sealed class Gesture
{
    public IReadOnlyList<GestureEvent> Events { get; }

    /// <summary>Checks every event: times finite, not negative and in order; cursors 0..15; numbers finite; pressure 0..1.</summary>
    public Gesture(IReadOnlyList<GestureEvent> events)
    {
        for (int i = 0; i < events.Count; i++)
        {
            var e = events[i];
            if (!double.IsFinite(e.Time) || e.Time < 0) throw new ArgumentException($"event {i + 1}: time {e.Time} is not a time in seconds");
            if (i > 0 && e.Time < events[i - 1].Time) throw new ArgumentException($"event {i + 1}: time {e.Time} s comes before the previous event's {events[i - 1].Time} s");
            if ((uint)e.Cursor >= CursorBoard.Capacity) throw new ArgumentException($"event {i + 1}: cursor {e.Cursor} does not exist (cursors are 0..{CursorBoard.Capacity - 1})");
            if (!float.IsFinite(e.X) || !float.IsFinite(e.Y)) throw new ArgumentException($"event {i + 1}: position ({e.X}, {e.Y}) is not finite");
            if (!(e.Pressure is >= 0f and <= 1f)) throw new ArgumentException($"event {i + 1}: pressure {e.Pressure} is outside 0..1");
        }
        Events = events;
    }

    /// <summary>The time of the last event, 0 for an empty gesture.</summary>
    public double Duration => Events.Count == 0 ? 0 : Events[^1].Time;

    /// <summary>Writes event <paramref name="index"/> to the board.</summary>
    public void Apply(int index, CursorBoard board)
    {
        var e = Events[index];
        if (e.Pressure > 0f) board.Move(e.Cursor, e.X, e.Y, e.Pressure);
        else board.Release(e.Cursor);
    }
}
