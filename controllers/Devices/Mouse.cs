using LatentTerrain.Controllers.Touches;

namespace LatentTerrain.Controllers.Devices;

/// <summary>
/// The mouse as one touch, id 0: a button press starts it, moves while pressed move it, the release
/// ends it. Positions are 0..1 across the area played on (the terminal's map), y upward; the caller
/// converts from its own cells or pixels. Pressure and velocity are 1.
/// </summary>
public sealed class Mouse(ITouchSink touches)
{
    private bool _down;
    private float _x, _y;

    public void Down(float x, float y, double time)
    {
        if (_down) Emit(TouchPhase.End, time);
        (_down, _x, _y) = (true, Clamp(x), Clamp(y));
        Emit(TouchPhase.Start, time);
    }

    /// <summary>A move with the button up does nothing (hovering plays no sound).</summary>
    public void Move(float x, float y, double time)
    {
        if (!_down) return;
        (_x, _y) = (Clamp(x), Clamp(y));
        Emit(TouchPhase.Move, time);
    }

    public void Up(double time)
    {
        if (!_down) return;
        _down = false;
        Emit(TouchPhase.End, time);
    }

    private static float Clamp(float value) => float.IsFinite(value) ? Math.Clamp(value, 0f, 1f) : 0.5f;

    private void Emit(TouchPhase phase, double time) => touches.Touch(new Touch(0, phase, _x, _y, 1f, 1f, time));
}
