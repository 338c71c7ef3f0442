using LatentTerrain.Controllers.Touches;

namespace LatentTerrain.Mappings;

/// <summary>A cursor's gain: the <see cref="Source"/>'s value 0..1, shaped by the power <see cref="Curve"/>, onto the gain range <see cref="To"/>.</summary>
public sealed record GainMapping(GainSource Source, ValueRange To, float Curve = 1f)
{
    /// <param name="pressureSeen">Whether this touch has reported a pressure above 0 (for <see cref="GainSource.VelocityThenPressure"/>).</param>
    public float Gain(in Touch touch, bool pressureSeen)
    {
        float value = Source switch
        {
            GainSource.Pressure => touch.Pressure,
            GainSource.Velocity => touch.Velocity,
            GainSource.VelocityThenPressure => pressureSeen ? touch.Pressure : touch.Velocity,
            _ => 1f,
        };
        return To.At(MathF.Pow(Math.Clamp(value, 0f, 1f), Curve));
    }
}
