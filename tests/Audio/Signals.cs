using LatentTerrain.Engine.Audio;

namespace LatentTerrain.Tests.Audio;

/// <summary>Test signals and the measurements the audio tests make on them.</summary>
internal static class Signals
{
    public static float[] Sine(double frequency, int sampleRate, int frames, double amplitude = 0.5)
    {
        var samples = new float[frames];
        for (int i = 0; i < frames; i++) samples[i] = (float)(amplitude * Math.Sin(2 * Math.PI * frequency * i / sampleRate));
        return samples;
    }

    /// <summary>Uniform noise in [-amplitude, amplitude], the same for the same seed.</summary>
    public static float[] Noise(int frames, int seed, double amplitude = 1)
    {
        var random = new Random(seed);
        var samples = new float[frames];
        for (int i = 0; i < frames; i++) samples[i] = (float)(amplitude * (2 * random.NextDouble() - 1));
        return samples;
    }

    /// <summary>A planar buffer from one array per channel.</summary>
    public static AudioBuffer Planar(int sampleRate, params float[][] channels) =>
        new(sampleRate, channels.Length, channels.SelectMany(channel => channel).ToArray());

    public static double Rms(ReadOnlySpan<float> samples)
    {
        double sum = 0;
        foreach (float x in samples) sum += (double)x * x;
        return Math.Sqrt(sum / samples.Length);
    }

    public static double Decibels(double ratio) => 20 * Math.Log10(ratio);

    /// <summary>
    /// The frequency of a clean tone from its rising zero crossings, each placed between two
    /// samples by linear interpolation: whole periods between the first and the last.
    /// </summary>
    public static double Frequency(ReadOnlySpan<float> samples, int sampleRate)
    {
        double first = double.NaN, last = double.NaN;
        int crossings = 0;
        for (int i = 0; i + 1 < samples.Length; i++)
        {
            if (!(samples[i] < 0 && samples[i + 1] >= 0)) continue;
            double at = i + samples[i] / (samples[i] - samples[i + 1]);
            if (crossings++ == 0) first = at;
            last = at;
        }
        return (crossings - 1) * sampleRate / (last - first);
    }

    /// <summary>Pearson correlation of two equally long signals.</summary>
    public static double Correlation(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double meanA = 0, meanB = 0;
        for (int i = 0; i < a.Length; i++) { meanA += a[i]; meanB += b[i]; }
        meanA /= a.Length;
        meanB /= b.Length;
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double x = a[i] - meanA, y = b[i] - meanB;
            ab += x * y;
            aa += x * x;
            bb += y * y;
        }
        return ab / Math.Sqrt(aa * bb);
    }

    public static double MaxDifference(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double max = 0;
        for (int i = 0; i < a.Length; i++) max = Math.Max(max, Math.Abs(a[i] - b[i]));
        return max;
    }
}
