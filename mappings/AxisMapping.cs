using LatentTerrain.Controllers.Touches;

namespace LatentTerrain.Mappings;

/// <summary>
/// One terrain axis from one touch dimension: the dimension's <see cref="From"/> range (in the
/// controller's unit, clamped) is shaped by the response <see cref="Curve"/> (a power: 1 linear,
/// above 1 finer control near the start, below 1 near the end) and lands on <see cref="To"/>, a
/// part of the terrain's bounds as fractions (0 = the axis's minimum, 1 its maximum).
/// </summary>
public sealed record AxisMapping(TouchDimension Dimension, ValueRange From, ValueRange To, float Curve = 1f)
{
    /// <summary>The position along the terrain's axis, 0..1 of its bounds (beyond when <see cref="To"/> reaches out).</summary>
    public float Fraction(in Touch touch) => To.At(MathF.Pow(From.Position(Read(touch, Dimension)), Curve));

    public static float Read(in Touch touch, TouchDimension dimension) => dimension switch
    {
        TouchDimension.X => touch.X,
        TouchDimension.Y => touch.Y,
        TouchDimension.Pressure => touch.Pressure,
        _ => touch.Velocity,
    };
}
