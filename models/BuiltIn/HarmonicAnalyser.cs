using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace LatentTerrain.Models.BuiltIn;

/// <summary>What <see cref="HarmonicAnalyser"/> measured around one instant.</summary>
/// <param name="Harmonics">How many harmonics were measured (those below the decoder's band-limit fade).</param>
/// <param name="MeanSquare">The windowed mean square of the signal.</param>
internal readonly record struct HarmonicMeasurement(int Harmonics, float MeanSquare);

/// <summary>
/// Measures the harmonics and the noise between them around an instant, given the fundamental and
/// its glide. The window is a Hann over four periods of the gliding phase, so in the warped time every
/// harmonic and every half harmonic falls on a zero of every other's window transform: harmonics do
/// not leak into each other nor into the half-harmonic noise readings.
/// </summary>
internal sealed class HarmonicAnalyser
{
    public const int MaxHarmonics = 32;
    private readonly float[] _audio;
    private readonly int _pad, _sampleRate;
    private readonly float _fadeStart;
    private readonly float[] _weighted, _window, _theta, _cos, _sin, _twoCos;
    private readonly Vector<float>[] _real = new Vector<float>[2 * MaxHarmonics + 2], _imaginary = new Vector<float>[2 * MaxHarmonics + 2];
    private readonly float[] _projection = new float[2 * MaxHarmonics + 2];

    /// <param name="audio">The recording, zero-padded by <paramref name="pad"/> samples on both sides.</param>
    public HarmonicAnalyser(float[] audio, int pad, int sampleRate, float fadeStart)
    {
        _audio = audio;
        _pad = pad;
        _sampleRate = sampleRate;
        _fadeStart = fadeStart;
        int longest = MaxSpan(sampleRate) + Vector<float>.Count;
        _weighted = new float[longest];
        _window = new float[longest];
        _theta = new float[longest];
        _cos = new float[longest];
        _sin = new float[longest];
        _twoCos = new float[longest];
    }

    /// <summary>Half the longest window, in samples: four periods of the lowest pitch the analyser is asked for, with room for a glide.</summary>
    public static int MaxHalfSpan(int sampleRate) => (int)(2.5f * sampleRate / BuiltInEncoder.LowestF0) + 2;
    private static int MaxSpan(int sampleRate) => 2 * MaxHalfSpan(sampleRate) + 1;

    /// <summary>
    /// Whole periods under the window: four, the fewest that put every half harmonic on a zero of every
    /// harmonic's window transform. Short windows read the noise in wide bands, so the readings of
    /// neighbouring instants are nearly independent and pooling them steadies the noise estimate.
    /// </summary>
    public const int Periods = 4;

    /// <summary>
    /// Measures around sample <paramref name="centre"/> with the fundamental <paramref name="f0"/> there,
    /// changing by <paramref name="glide"/> Hz per sample. Writes the reading (the power a sinusoid there
    /// would have) at each harmonic k = 1..n and at each half harmonic k − ½.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public HarmonicMeasurement Measure(int centre, float f0, float glide, Span<float> harmonics, Span<float> halfHarmonics)
    {
        f0 = Math.Clamp(f0, BuiltInEncoder.LowestF0, BuiltInEncoder.HighestF0);
        int count = Math.Min(MaxHarmonics, (int)(_fadeStart / f0));
        int half = Math.Min(MaxHalfSpan(_sampleRate), (int)(0.5f * Periods * _sampleRate / f0 * 1.25f) + 2);
        glide = Math.Clamp(glide, -0.2f * f0 / half, 0.2f * f0 / half);
        int span = 2 * half + 1;
        int padded = (span + Vector<float>.Count - 1) / Vector<float>.Count * Vector<float>.Count;
        WindowAndPhase(f0, glide, half, padded);
        var segment = _audio.AsSpan(centre + _pad - half, span);
        TensorPrimitives.Multiply(segment, _window.AsSpan(0, span), _weighted.AsSpan(0, span));
        _weighted.AsSpan(span, padded - span).Clear();
        float windowSum = TensorPrimitives.Sum(_window.AsSpan(0, span));
        float meanSquare = TensorPrimitives.SumOfSquares(_weighted.AsSpan(0, span)) / TensorPrimitives.SumOfSquares(_window.AsSpan(0, span));
        Trig.SinCos(_theta.AsSpan(0, padded), _sin.AsSpan(0, padded), _cos.AsSpan(0, padded));
        TensorPrimitives.Multiply(_cos.AsSpan(0, padded), 2f, _twoCos.AsSpan(0, padded));

        Project(2 * count, padded);
        float scale = 2f / (windowSum * windowSum);
        for (int k = 1; k <= count; k++)
        {
            harmonics[k - 1] = scale * _projection[2 * k];
            halfHarmonics[k - 1] = scale * _projection[2 * k - 1];
        }
        return new HarmonicMeasurement(count, meanSquare);
    }

    /// <summary>
    /// The window (a Hann over <see cref="Periods"/> periods of the gliding phase, zero beyond) and half
    /// the phase, wrapped to [-π, π], at every sample of the span: the phase is
    /// 2π (f0·t + glide·t²/2) / sample rate at t samples from the centre.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WindowAndPhase(float f0, float glide, int half, int padded)
    {
        int width = Vector<float>.Count;
        var linear = new Vector<float>(2 * MathF.PI * f0 / _sampleRate);
        var quadratic = new Vector<float>(MathF.PI * glide / _sampleRate);
        var limit = new Vector<float>(MathF.PI * Periods);
        var perPeriods = new Vector<float>(1f / Periods);
        var halfVector = new Vector<float>(0.5f);
        var turn = new Vector<float>(2 * MathF.PI);
        var toTurns = new Vector<float>(1 / (2 * MathF.PI));
        for (int i = 0; i < padded; i += width)
        {
            var t = Lanes + new Vector<float>(i - half);
            var phase = t * Vector.FusedMultiplyAdd(quadratic, t, linear);
            var (_, cos) = Trig.SinCos(phase * perPeriods);
            var inside = Vector.LessThan(Vector.Abs(phase), limit);
            Vector.ConditionalSelect(inside, Vector.FusedMultiplyAdd(halfVector, cos, halfVector), Vector<float>.Zero).CopyTo(_window, i);
            // The recursion runs on half the phase, to reach the half harmonics.
            var theta = phase * halfVector;
            (theta - turn * Vector.Floor(Vector.FusedMultiplyAdd(theta, toTurns, halfVector))).CopyTo(_theta, i);
        }
        _window.AsSpan(2 * half + 1, padded - 2 * half - 1).Clear();
    }

    private static readonly Vector<float> Lanes = new(Enumerable.Range(0, Vector<float>.Count).Select(i => (float)i).ToArray());

    /// <summary>|Σ w x e^{-i j θ}|² for j = 1..count+1, θ half the phase: sines and cosines by Chebyshev recursion over j, vectorised over samples.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Project(int count, int padded)
    {
        int last = count + 1;
        Array.Clear(_real, 0, last + 1);
        Array.Clear(_imaginary, 0, last + 1);
        for (int t = 0; t < padded; t += Vector<float>.Count)
        {
            var x = new Vector<float>(_weighted, t);
            var twoCos = new Vector<float>(_twoCos, t);
            var c0 = Vector<float>.One;
            var s0 = Vector<float>.Zero;
            var c1 = new Vector<float>(_cos, t);
            var s1 = new Vector<float>(_sin, t);
            for (int j = 1; j <= last; j++)
            {
                _real[j] = Vector.FusedMultiplyAdd(x, c1, _real[j]);
                _imaginary[j] = Vector.FusedMultiplyAdd(x, s1, _imaginary[j]);
                var c2 = Vector.FusedMultiplyAdd(twoCos, c1, -c0);
                var s2 = Vector.FusedMultiplyAdd(twoCos, s1, -s0);
                c0 = c1; c1 = c2;
                s0 = s1; s1 = s2;
            }
        }
        for (int j = 1; j <= last; j++)
        {
            float re = Vector.Sum(_real[j]), im = Vector.Sum(_imaginary[j]);
            _projection[j] = re * re + im * im;
        }
    }
}
