namespace LatentTerrain.Models.BuiltIn;

/// <summary>The envelope coefficients the encoder recovers from measured harmonics, in the decoder's dB units.</summary>
internal readonly record struct EnvelopeCoefficients(float TiltDbPerOctave, float WarmthDb, float NasalityDb, float EdgeDb, float EvenDb);

/// <summary>
/// The normal equations of a weighted least-squares fit of <see cref="HarmonicEnvelope"/> to harmonic
/// levels in dB. Each harmonic counts by its share of signal, SNR / (1 + SNR), so harmonics buried in
/// noise count for little or nothing.
/// </summary>
internal sealed class EnvelopeFit
{
    /// <summary>Harmonics more than this far below the strongest read as this far: float rounding lives below.</summary>
    private const float FloorDb = 120f;
    private const int Columns = HarmonicEnvelope.Columns;
    private readonly double[] _normal = new double[Columns * Columns], _right = new double[Columns];

    /// <summary>How many harmonics stand clear of the noise (SNR above 1).</summary>
    public double Support { get; private set; }

    public void Clear()
    {
        Array.Clear(_normal);
        Array.Clear(_right);
        Support = 0;
    }

    /// <param name="harmonicPower">Each harmonic's power, cleared of the noise under it.</param>
    /// <param name="noisePower">The noise power under each harmonic, as the same reading would see it.</param>
    public void Add(ReadOnlySpan<float> harmonicPower, ReadOnlySpan<float> noisePower)
    {
        float strongest = 0;
        foreach (float power in harmonicPower) strongest = MathF.Max(strongest, power);
        if (!(strongest > 0)) return;
        float floor = strongest * MathF.Pow(10f, -FloorDb / 10f);
        Span<double> row = stackalloc double[Columns];
        for (int k = 0; k < harmonicPower.Length; k++)
        {
            // A harmonic under the floor reads as the floor: absent even harmonics (a square wave) say "hollow", not nothing.
            float signal = MathF.Max(harmonicPower[k], floor);
            double snr = signal / MathF.Max(noisePower[k], float.Epsilon);
            double share = snr / (1 + snr);
            double level = 10 * Math.Log10(signal);
            for (int i = 0; i < Columns; i++) row[i] = HarmonicEnvelope.Basis[k, i];
            for (int i = 0; i < Columns; i++)
            {
                double weighted = share * row[i];
                _right[i] += weighted * level;
                for (int j = i; j < Columns; j++) _normal[i * Columns + j] += weighted * row[j];
            }
            if (snr > 1) Support++;
        }
    }

    /// <summary>Solves the equations; false when fewer than two harmonics per coefficient stand clear of the noise.</summary>
    public bool TrySolve(out EnvelopeCoefficients coefficients)
    {
        coefficients = default;
        if (Support < 2 * Columns) return false;
        var a = (double[])_normal.Clone();
        var b = (double[])_right.Clone();
        // Only the upper triangle was accumulated; the matrix is symmetric.
        for (int i = 0; i < Columns; i++)
            for (int j = 0; j < i; j++) a[i * Columns + j] = a[j * Columns + i];
        // A whisper of ridge keeps the system solvable when a bump has no harmonic under it.
        double trace = 0;
        for (int i = 0; i < Columns; i++) trace += a[i * Columns + i];
        for (int i = 0; i < Columns; i++) a[i * Columns + i] += 1e-9 * trace;
        var x = Solve(a, b);
        coefficients = new EnvelopeCoefficients(
            (float)x[HarmonicEnvelope.Tilt], (float)x[HarmonicEnvelope.Warmth], (float)x[HarmonicEnvelope.Nasality],
            (float)x[HarmonicEnvelope.Edge], (float)x[HarmonicEnvelope.Even]);
        return true;
    }

    /// <summary>Gaussian elimination with partial pivoting; the system is small and symmetric positive definite.</summary>
    private static double[] Solve(double[] a, double[] b)
    {
        int n = b.Length;
        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int row = col + 1; row < n; row++) if (Math.Abs(a[row * n + col]) > Math.Abs(a[pivot * n + col])) pivot = row;
            for (int j = 0; j < n; j++) (a[col * n + j], a[pivot * n + j]) = (a[pivot * n + j], a[col * n + j]);
            (b[col], b[pivot]) = (b[pivot], b[col]);
            for (int row = col + 1; row < n; row++)
            {
                double factor = a[row * n + col] / a[col * n + col];
                for (int j = col; j < n; j++) a[row * n + j] -= factor * a[col * n + j];
                b[row] -= factor * b[col];
            }
        }
        var x = new double[n];
        for (int row = n - 1; row >= 0; row--)
        {
            double sum = b[row];
            for (int j = row + 1; j < n; j++) sum -= a[row * n + j] * x[j];
            x[row] = sum / a[row * n + row];
        }
        return x;
    }
}
