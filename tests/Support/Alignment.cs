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

    /// <summary>
    /// Where a recording departs from its reference: the quarter seconds of the reference whose
    /// correlation at <paramref name="lag"/> is below <paramref name="threshold"/>, each with that
    /// correlation and the best one within a period of 128 frames either side (a period lost or
    /// repeated shows as a good correlation a period away), for a failure message.
    /// </summary>
    public static string Departures(float[] reference, float[] recording, int lag, double threshold = 0.99, int sampleRate = 48000)
    {
        int segment = sampleRate / 4;
        var departures = new List<string>();
        for (int start = 0; start + segment <= reference.Length; start += segment)
        {
            var piece = reference[start..(start + segment)];
            double here = Correlation(piece, recording, lag + start);
            if (here >= threshold) continue;
            var (shift, best) = Enumerable.Range(-128, 257).Select(d => (d, Correlation(piece, recording, lag + start + d))).MaxBy(c => c.Item2);
            departures.Add($"{(double)start / sampleRate:F2} s: {here:F3} (best {best:F3} at {shift:+0;-0;0} frames)");
        }
        return departures.Count == 0 ? "none" : string.Join(", ", departures);
    }
}
