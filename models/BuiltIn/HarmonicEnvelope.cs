using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace LatentTerrain.Models.BuiltIn;

/// <summary>
/// The spectral envelope of the harmonics, in dB, over harmonic number rather than frequency: a
/// timbre that transposes with the pitch, like an oscillator's waveform. The level of harmonic k is
/// <c>tilt · log2 k + warmth · b₁ + nasality · b₂ + edge · b₃ + (k even ? even : 0)</c>, where the
/// b are Gaussian bumps over log2 k. Linear in its five coefficients, so the encoder recovers them
/// with one weighted least-squares fit.
/// </summary>
internal static class HarmonicEnvelope
{
    /// <summary>Columns of <see cref="Basis"/>: a constant (overall level), the tilt, the three bumps, the even harmonics.</summary>
    public const int Columns = 6;
    public const int Constant = 0, Tilt = 1, Warmth = 2, Nasality = 3, Edge = 4, Even = 5;

    /// <summary>Row k-1 holds harmonic k's basis values.</summary>
    public static readonly float[,] Basis = BuildBasis();

    /// <summary>The basis by column, for the decoder's vectorised sums.</summary>
    private static readonly float[][] ByColumn = Enumerable.Range(0, Columns)
        .Select(c => Enumerable.Range(0, HarmonicOscillatorBank.MaxHarmonics).Select(i => Basis[i, c]).ToArray()).ToArray();

    /// <summary>Writes the amplitude (linear, unnormalised) of harmonics 1..128.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Amplitudes(in SynthesisFrame frame, Span<float> amplitudes)
    {
        const float decibelsToNepers = 0.11512925f; // ln 10 / 20
        TensorPrimitives.Multiply(ByColumn[Tilt], frame.TiltDbPerOctave * decibelsToNepers, amplitudes);
        TensorPrimitives.MultiplyAdd(ByColumn[Warmth], frame.WarmthDb * decibelsToNepers, amplitudes, amplitudes);
        TensorPrimitives.MultiplyAdd(ByColumn[Nasality], frame.NasalityDb * decibelsToNepers, amplitudes, amplitudes);
        TensorPrimitives.MultiplyAdd(ByColumn[Edge], frame.EdgeDb * decibelsToNepers, amplitudes, amplitudes);
        TensorPrimitives.MultiplyAdd(ByColumn[Even], frame.EvenDb * decibelsToNepers, amplitudes, amplitudes);
        Trig.Exp(amplitudes);
    }

    private static float[,] BuildBasis()
    {
        var basis = new float[HarmonicOscillatorBank.MaxHarmonics, Columns];
        for (int i = 0; i < HarmonicOscillatorBank.MaxHarmonics; i++)
        {
            int k = i + 1;
            float u = MathF.Log2(k);
            basis[i, Constant] = 1f;
            basis[i, Tilt] = u;
            for (int j = 0; j < 3; j++)
            {
                float d = (u - CodecLatents.ShapeCentres[j]) / CodecLatents.ShapeWidth;
                basis[i, Warmth + j] = MathF.Exp(-0.5f * d * d);
            }
            basis[i, Even] = k % 2 == 0 ? 1f : 0f;
        }
        return basis;
    }
}
