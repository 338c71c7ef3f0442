using LatentTerrain.Models.BuiltIn;

namespace LatentTerrain.Tests.Codec;

/// <summary>Latent trajectories, rendering and spectra for the codec's tests.</summary>
internal static class CodecSignals
{
    public const int Latents = 8;
    public const int Pitch = 0, Loudness = 1, Brightness = 2, Warmth = 3, Nasality = 4, Edge = 5, Noisiness = 6, Hollowness = 7;

    /// <summary>
    /// Slow random curves inside the documented ranges: each latent is a sum of three sinusoids with
    /// periods of 4 to 20 s and random phases, scaled to stay within ±1.9. Sampled at frame ends,
    /// where the decoder reaches each frame's values.
    /// </summary>
    public static float[] SlowCurves(int frames, int ratio, int sampleRate, int seed)
    {
        var random = new Random(seed);
        var latents = new float[frames * Latents];
        for (int d = 0; d < Latents; d++)
        {
            var frequency = new double[3];
            var phase = new double[3];
            var weight = new double[3];
            for (int j = 0; j < 3; j++)
            {
                frequency[j] = 0.05 + 0.2 * random.NextDouble();
                phase[j] = 2 * Math.PI * random.NextDouble();
                weight[j] = random.NextDouble();
            }
            double sum = weight.Sum();
            for (int i = 0; i < frames; i++)
            {
                double t = (i + 1.0) * ratio / sampleRate, value = 0;
                for (int j = 0; j < 3; j++) value += weight[j] / sum * Math.Sin(2 * Math.PI * frequency[j] * t + phase[j]);
                latents[i * Latents + d] = (float)(1.9 * value);
            }
        }
        return latents;
    }

    /// <summary>The same latent frame <paramref name="frames"/> times.</summary>
    public static float[] Steady(int frames, params float[] latent) =>
        Enumerable.Range(0, frames).SelectMany(_ => latent).ToArray();

    /// <summary>Decodes every frame with one fresh decoder.</summary>
    public static float[] Render(BuiltInCodec codec, float[] latents)
    {
        using var decoder = codec.CreateDecoder();
        int frames = latents.Length / Latents;
        var audio = new float[frames * codec.Ratio];
        for (int i = 0; i < frames; i++)
            decoder.Decode(latents.AsSpan(i * Latents, Latents), audio.AsSpan(i * codec.Ratio, codec.Ratio));
        return audio;
    }

    /// <summary>Power spectrum in dB of <paramref name="length"/> samples from <paramref name="start"/>, Blackman-Harris windowed (sidelobes below -92 dB).</summary>
    public static double[] SpectrumDb(float[] audio, int start, int length)
    {
        var re = new double[length];
        var im = new double[length];
        for (int t = 0; t < length; t++)
        {
            double x = 2 * Math.PI * t / length;
            double window = 0.35875 - 0.48829 * Math.Cos(x) + 0.14128 * Math.Cos(2 * x) - 0.01168 * Math.Cos(3 * x);
            re[t] = audio[start + t] * window;
        }
        Fft(re, im);
        var db = new double[length / 2];
        for (int k = 0; k < db.Length; k++) db[k] = 10 * Math.Log10(re[k] * re[k] + im[k] * im[k] + 1e-30);
        return db;
    }

    /// <summary>In-place radix-2 complex FFT; the length must be a power of two.</summary>
    private static void Fft(double[] re, double[] im)
    {
        int n = re.Length;
        for (int i = 1, j = 0; i < n; i++)
        {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) j ^= bit;
            j ^= bit;
            if (i < j)
            {
                (re[i], re[j]) = (re[j], re[i]);
                (im[i], im[j]) = (im[j], im[i]);
            }
        }
        for (int size = 2; size <= n; size <<= 1)
        {
            double angle = -2 * Math.PI / size;
            for (int start = 0; start < n; start += size)
            {
                for (int k = 0; k < size / 2; k++)
                {
                    double wr = Math.Cos(angle * k), wi = Math.Sin(angle * k);
                    int a = start + k, b = a + size / 2;
                    double tr = re[b] * wr - im[b] * wi, ti = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - tr;
                    im[b] = im[a] - ti;
                    re[a] += tr;
                    im[a] += ti;
                }
            }
        }
    }

    public static double Rms(IEnumerable<double> errors)
    {
        var list = errors.ToList();
        return Math.Sqrt(list.Sum(e => e * e) / list.Count);
    }
}
