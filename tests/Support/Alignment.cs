namespace LatentTerrain.Tests.Support;

/// <summary>Lines up a recording with the sound it should hold, which starts somewhere inside it.</summary>
public static class Alignment
{
    /// <summary>The first sample louder than <paramref name="threshold"/>, or the length when there is none.</summary>
    public static int Onset(ReadOnlySpan<float> signal, float threshold = 1e-6f)
    {
        for (int i = 0; i < signal.Length; i++)
            if (MathF.Abs(signal[i]) > threshold) return i;
        return signal.Length;
    }

    /// <summary>
    /// Where <paramref name="reference"/> starts in <paramref name="recording"/>: the difference of
    /// their onsets, refined to the best correlation within ten milliseconds either side.
    /// </summary>
    public static int Lag(float[] reference, float[] recording, int sampleRate = 48000)
    {
        int guess = Onset(recording) - Onset(reference);
        int best = guess;
        double bestCorrelation = double.NegativeInfinity;
        for (int lag = guess - sampleRate / 100; lag <= guess + sampleRate / 100; lag++)
        {
            double correlation = Correlation(reference, recording, lag, length: sampleRate / 2 + Onset(reference));
            if (correlation > bestCorrelation) (best, bestCorrelation) = (lag, correlation);
        }
        return best;
    }

    /// <summary>
    /// Pearson's correlation of <paramref name="reference"/>[i] with <paramref name="recording"/>[i + lag]
    /// over every i both have (or the first <paramref name="length"/>).
    /// </summary>
    public static double Correlation(float[] reference, float[] recording, int lag, int length = int.MaxValue)
    {
        int start = Math.Max(0, -lag), end = Math.Min(Math.Min(reference.Length, recording.Length - lag), length);
        double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
        int n = end - start;
        if (n < 2) return 0;
        for (int i = start; i < end; i++)
        {
            double a = reference[i], b = recording[i + lag];
            sa += a; sb += b; saa += a * a; sbb += b * b; sab += a * b;
        }
        double covariance = sab - sa * sb / n, varianceA = saa - sa * sa / n, varianceB = sbb - sb * sb / n;
        return varianceA > 0 && varianceB > 0 ? covariance / Math.Sqrt(varianceA * varianceB) : 0;
    }
}
