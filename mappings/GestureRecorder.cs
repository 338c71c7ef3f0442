using LatentTerrain.Engine.Rendering;

namespace LatentTerrain.Mappings;

/// <summary>
/// Keeps what a mapping writes as a <see cref="Gesture"/>, for offline rendering. In a gesture a
/// pressure of 0 lifts the cursor, so a cursor held down at gain 0 is kept at
/// <see cref="SilentPressure"/> instead (inaudible, but still down).
/// </summary>
public sealed class GestureRecorder : ICursorOutput
{
    public const float SilentPressure = 1e-4f;

    private readonly List<GestureEvent> _events = [];
    private readonly (float X, float Y)[] _last = new (float, float)[Engine.Synthesis.CursorBoard.Capacity];

    public void Move(int cursor, float x, float y, float gain, double time)
    {
        _last[cursor] = (x, y);
        _events.Add(new GestureEvent(Math.Max(0, time), cursor, x, y, Math.Clamp(gain, SilentPressure, 1f)));
    }

    public void Release(int cursor, double time) => _events.Add(new GestureEvent(Math.Max(0, time), cursor, _last[cursor].X, _last[cursor].Y, 0f));

    public Gesture ToGesture() => new(_events.ToArray());
}
