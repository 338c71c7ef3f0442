namespace LatentTerrain.Models.BuiltIn;

/// <summary>
/// Splits the analyser's readings into harmonic power and noise. The decoder's noise is a band around
/// every harmonic with the harmonic's own power times the noise-to-harmonic ratio (see
/// <see cref="NoiseSource"/>), so the readings follow a model with one unknown besides the harmonic
/// powers P: a half-harmonic reading is <c>ratio · Σ P_j D(offset)</c> and a harmonic reading is
/// <c>P_k + ratio · Σ P_j D(offset)</c>, with D the band's shape seen through the analysis window.
/// A few fixed-point rounds solve it. The model also holds where one harmonic is much weaker than its
/// neighbours (hollow spectra), which a single noise-to-reading ratio does not.
/// </summary>
internal static class NoiseSeparation
{
    /// <summary>D at offsets 0, ½, 1, 1½, 2 and 2½ fundamentals; beyond that it is below 10⁻⁶.</summary>
    private static readonly double[] Kernel = Enumerable.Range(0, 6).Select(i => Reading(i * 0.5)).ToArray();
    private const double MaxRatio = 1e4;
    /// <summary>
    /// The ratio is read on the harmonics that have a noise channel of their own (1..12): where several
    /// harmonics share one, their bands are not independent, and a pitch a few cents off moves a high
    /// harmonic far enough from its reading to leak into the half-harmonic ones.
    /// </summary>
    private const int RatioHarmonics = 12;

    /// <summary>
    /// Solves for harmonic powers (written to <paramref name="power"/>), the noise under each harmonic
    /// (<paramref name="noise"/>) and the noise-to-harmonic power ratio (returned).
    /// </summary>
    /// <param name="harmonics">Readings at harmonics 1..n.</param>
    /// <param name="halves">Readings at half harmonics ½ .. n − ½.</param>
    public static double Separate(ReadOnlySpan<float> harmonics, ReadOnlySpan<float> halves, Span<float> power, Span<float> noise)
    {
        int n = harmonics.Length;
        Span<double> p = stackalloc double[n];
        for (int k = 0; k < n; k++) p[k] = harmonics[k];
        int used = Math.Min(n, RatioHarmonics);
        double ratio = 0, read = 0;
        foreach (float half in halves[..used]) read += half;
        for (int round = 0; round < 6; round++)
        {
            double expected = 0;
            for (int k = 0; k < used; k++) expected += AroundHalf(p, k);
            ratio = expected > read / MaxRatio ? read / expected : MaxRatio;
            for (int k = 0; k < n; k++)
            {
                double neighbours = AroundHarmonic(p, k) - Kernel[0] * p[k];
                p[k] = Math.Max(0, (harmonics[k] - ratio * neighbours) / (1 + ratio * Kernel[0]));
            }
        }
        for (int k = 0; k < n; k++)
        {
            power[k] = (float)p[k];
            noise[k] = (float)(ratio * AroundHarmonic(p, k));
        }
        return ratio;
    }

    /// <summary>Σ P_j D(|k − j|) over the harmonics within two of harmonic index k (p[k] is harmonic k + 1's power).</summary>
    private static double AroundHarmonic(ReadOnlySpan<double> p, int k) =>
        Kernel[0] * p[k] + Kernel[2] * (At(p, k - 1) + At(p, k + 1)) + Kernel[4] * (At(p, k - 2) + At(p, k + 2));

    /// <summary>Σ P_j D(offset) over the harmonics within 2½ of the half harmonic below harmonic index k.</summary>
    private static double AroundHalf(ReadOnlySpan<double> p, int k) =>
        Kernel[1] * (At(p, k - 1) + At(p, k)) + Kernel[3] * (At(p, k - 2) + At(p, k + 1)) + Kernel[5] * (At(p, k - 3) + At(p, k + 2));

    private static double At(ReadOnlySpan<double> p, int k) => (uint)k < (uint)p.Length ? p[k] : 0;

    /// <summary>
    /// The reading, at <paramref name="offset"/> fundamentals from a harmonic, of that harmonic's noise
    /// band per unit of its power: the band's shape (ν's spectrum, the cubic B-spline's sinc⁸ at twice
    /// the pitch) seen through the analysis window's power response (a Hann over four periods).
    /// </summary>
    private static double Reading(double offset)
    {
        const double step = 1e-3;
        double seen = 0, total = 0;
        for (double v = -8 + step / 2; v < 8; v += step)
        {
            double band = Math.Pow(Sinc(v / 2), 8);
            double u = HarmonicAnalyser.Periods * (offset - v);
            double window = Sinc(u) / (1 - u * u);
            seen += band * window * window;
            total += band;
        }
        return seen / total;
    }

    private static double Sinc(double x) => x == 0 ? 1 : Math.Sin(Math.PI * x) / (Math.PI * x);
}
