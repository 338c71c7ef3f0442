namespace LatentTerrain.Tests.Support;

/// <summary>Small measurements on rendered audio.</summary>
public static class Spectrum
{
    /// <summary>Amplitude of the <paramref name="frequency"/> component of a mono signal (Goertzel, Hann window), about 1 for a unit sine.</summary>
    public static double Magnitude(ReadOnlySpan<float> signal, double frequency, int sampleRate)
    {
        double w = 2 * Math.PI * frequency / sampleRate, coefficient = 2 * Math.Cos(w);
        double s1 = 0, s2 = 0, windowSum = 0;
        for (int n = 0; n < signal.Length; n++)
        {
            double window = 0.5 - 0.5 * Math.Cos(2 * Math.PI * n / (signal.Length - 1));
            windowSum += window;
            double s0 = signal[n] * window + coefficient * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        double power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
        return 2 * Math.Sqrt(Math.Max(power, 0)) / windowSum;
    }

    /// <summary>The largest difference between neighbouring samples: what a click looks like.</summary>
    public static float LargestStep(ReadOnlySpan<float> signal)
    {
        float largest = 0f;
        for (int n = 1; n < signal.Length; n++) largest = MathF.Max(largest, MathF.Abs(signal[n] - signal[n - 1]));
        return largest;
    }

    public static float Peak(ReadOnlySpan<float> signal)
    {
        float peak = 0f;
        foreach (float v in signal) peak = MathF.Max(peak, MathF.Abs(v));
        return peak;
    }

    public static double Rms(ReadOnlySpan<float> signal)
    {
        double sum = 0;
        foreach (float v in signal) sum += v * v;
        return Math.Sqrt(sum / Math.Max(1, signal.Length));
    }
}
