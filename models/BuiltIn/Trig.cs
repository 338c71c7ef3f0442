using System.Numerics;
using System.Runtime.CompilerServices;

namespace LatentTerrain.Models.BuiltIn;

/// <summary>
/// Sine, cosine and exponential of many values at once, to single precision, vectorised: the
/// library's element-wise versions cost microseconds per frame, these a fraction of one.
/// </summary>
internal static class Trig
{
    /// <summary>e^x in place, for x in [-87, 88] (wider values are clamped); relative error below 2e-7.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Exp(Span<float> values)
    {
        int width = Vector<float>.Count, t = 0;
        for (; t <= values.Length - width; t += width) Exp(new Vector<float>(values.Slice(t))).CopyTo(values.Slice(t));
        for (; t < values.Length; t++) values[t] = MathF.Exp(values[t]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Exp(Vector<float> x)
    {
        // e^x = 2^n · e^r with n = round(x / ln 2) and |r| ≤ ln 2 / 2, where a Taylor series of degree 7 is exact to float.
        x = Vector.Min(Vector.Max(x, new Vector<float>(-87f)), new Vector<float>(88f));
        var n = Vector.Floor(Vector.FusedMultiplyAdd(x, new Vector<float>(1.442695041f), new Vector<float>(0.5f)));
        var r = Vector.FusedMultiplyAdd(n, new Vector<float>(-0.693145752f), x);
        r = Vector.FusedMultiplyAdd(n, new Vector<float>(-1.42860677e-6f), r);
        var p = Vector.FusedMultiplyAdd(r, new Vector<float>(1f / 5040f), new Vector<float>(1f / 720f));
        p = Vector.FusedMultiplyAdd(r, p, new Vector<float>(1f / 120f));
        p = Vector.FusedMultiplyAdd(r, p, new Vector<float>(1f / 24f));
        p = Vector.FusedMultiplyAdd(r, p, new Vector<float>(1f / 6f));
        p = Vector.FusedMultiplyAdd(r, p, new Vector<float>(0.5f));
        p = Vector.FusedMultiplyAdd(r, p, Vector<float>.One);
        p = Vector.FusedMultiplyAdd(r, p, Vector<float>.One);
        var scale = Vector.AsVectorSingle(Vector.ShiftLeft(Vector.ConvertToInt32(n) + new Vector<int>(127), 23));
        return p * scale;
    }

    /// <summary>Sine and cosine of angles in [-π, π] (Taylor series to the 11th and 12th power on [-π/2, π/2], errors below 1e-7).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SinCos(ReadOnlySpan<float> angles, Span<float> sin, Span<float> cos)
    {
        int width = Vector<float>.Count, t = 0;
        for (; t <= angles.Length - width; t += width)
        {
            var (s, c) = SinCos(new Vector<float>(angles.Slice(t)));
            s.CopyTo(sin.Slice(t));
            c.CopyTo(cos.Slice(t));
        }
        for (; t < angles.Length; t++)
        {
            sin[t] = MathF.Sin(angles[t]);
            cos[t] = MathF.Cos(angles[t]);
        }
    }

    /// <summary>Sine and cosine of angles in [-π, π].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector<float> Sin, Vector<float> Cos) SinCos(Vector<float> x)
    {
        // Fold into [-π/2, π/2]: sin(π − x) = sin x, cos(π − x) = −cos x.
        var halfPi = new Vector<float>(MathF.PI / 2);
        var above = Vector.GreaterThan(x, halfPi);
        var below = Vector.LessThan(x, -halfPi);
        var y = Vector.ConditionalSelect(above, new Vector<float>(MathF.PI) - x, Vector.ConditionalSelect(below, new Vector<float>(-MathF.PI) - x, x));
        var cosSign = Vector.ConditionalSelect(Vector.BitwiseOr(above, below), new Vector<float>(-1f), Vector<float>.One);
        var y2 = y * y;
        var s = Vector.FusedMultiplyAdd(y2, new Vector<float>(-1f / 39916800f), new Vector<float>(1f / 362880f));
        s = Vector.FusedMultiplyAdd(y2, s, new Vector<float>(-1f / 5040f));
        s = Vector.FusedMultiplyAdd(y2, s, new Vector<float>(1f / 120f));
        s = Vector.FusedMultiplyAdd(y2, s, new Vector<float>(-1f / 6f));
        s = Vector.FusedMultiplyAdd(y2 * y, s, y);
        var c = Vector.FusedMultiplyAdd(y2, new Vector<float>(1f / 479001600f), new Vector<float>(-1f / 3628800f));
        c = Vector.FusedMultiplyAdd(y2, c, new Vector<float>(1f / 40320f));
        c = Vector.FusedMultiplyAdd(y2, c, new Vector<float>(-1f / 720f));
        c = Vector.FusedMultiplyAdd(y2, c, new Vector<float>(1f / 24f));
        c = Vector.FusedMultiplyAdd(y2, c, new Vector<float>(-0.5f));
        c = Vector.FusedMultiplyAdd(y2, c, Vector<float>.One);
        return (s, c * cosSign);
    }
}
