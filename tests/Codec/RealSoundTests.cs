using LatentTerrain.Models.BuiltIn;
using static LatentTerrain.Tests.Codec.CodecSignals;

namespace LatentTerrain.Tests.Codec;

/// <summary>Sounds the codec did not make encode to latents that describe them.</summary>
public class RealSoundTests
{
    private const int SampleRate = 48000;

    [Fact]
    public void ASawtoothAt220HzIsPitchZeroBrightFullAndClean()
    {
        var middle = MiddleFrame(Additive(220, k => 0.05 / k));
        Assert.InRange(middle[Pitch], -0.01f, 0.01f); // log2(220 / 220)
        Assert.InRange(middle[Brightness], 0.5f, 0.8f); // -6 dB per octave is (−6 + 9) / 4.5 = 0.67
        Assert.InRange(middle[Hollowness], -2f, -1.8f); // every even harmonic present
        Assert.InRange(middle[Noisiness], -2f, -1.8f);
    }

    [Fact]
    public void ASquareWaveIsHollow()
    {
        var middle = MiddleFrame(Additive(330, k => k % 2 == 1 ? 0.05 / k : 0));
        Assert.InRange(middle[Pitch], MathF.Log2(330f / 220) - 0.01f, MathF.Log2(330f / 220) + 0.01f);
        Assert.True(middle[Hollowness] > 1.8f, $"hollowness {middle[Hollowness]}");
    }

    [Fact]
    public void LoudnessFollowsTheLevel()
    {
        // A sine of amplitude a has a mean square of a² / 2: -40 dBFS, the middle of the range, at a = 0.01·√2.
        var middle = MiddleFrame(Additive(440, k => k == 1 ? 0.01 * Math.Sqrt(2) : 0));
        Assert.InRange(middle[Loudness], -0.05f, 0.05f);
        Assert.InRange(middle[Pitch], 0.99f, 1.01f);
    }

    [Fact]
    public void WhiteNoiseIsNoisy()
    {
        var random = new Random(1);
        var noise = Enumerable.Range(0, 2 * SampleRate).Select(_ => (float)(random.NextDouble() - 0.5) * 0.05f).ToArray();
        var encoded = new BuiltInCodec().Encode(noise);
        var noisiness = Enumerable.Range(0, encoded.Length / Latents).Select(i => encoded[i * Latents + Noisiness]).ToList();
        Assert.True(noisiness.Average() > 1.8f, $"mean noisiness {noisiness.Average()}");
    }

    [Fact]
    public void SilenceIsQuietestAndHoldsEverythingElseAtZero()
    {
        var encoded = new BuiltInCodec().Encode(new float[SampleRate]);
        Assert.Equal(SampleRate / 256 * Latents, encoded.Length);
        for (int i = 0; i < encoded.Length; i++)
            Assert.Equal(i % Latents == Loudness ? -2f : 0f, encoded[i]);
    }

    [Fact]
    public void APartialFrameAtTheEndIsDropped()
    {
        Assert.Equal(3 * Latents, new BuiltInCodec().Encode(new float[3 * 256 + 255]).Length);
        Assert.Empty(new BuiltInCodec().Encode(new float[255]));
    }

    /// <summary>Sounds far from any the codec makes still encode, to latents inside the ranges.</summary>
    [Fact]
    public void OddSoundsEncodeWithinTheRanges()
    {
        var random = new Random(2);
        double walk = 0;
        var sounds = new Dictionary<string, float[]>
        {
            ["2 kHz sine, above the pitch range"] = Additive(2000, k => k == 1 ? 0.1 : 0),
            ["30 Hz sine, below it"] = Additive(30, k => k == 1 ? 0.1 : 0),
            ["clicks"] = Enumerable.Range(0, SampleRate).Select(t => t % 4801 == 0 ? 0.9f : 0f).ToArray(),
            ["offset"] = Enumerable.Repeat(0.25f, SampleRate).ToArray(),
            ["brown noise"] = Enumerable.Range(0, SampleRate).Select(_ => (float)(walk = 0.999 * walk + 0.01 * (random.NextDouble() - 0.5))).ToArray(),
            ["full-scale square at 3 kHz"] = Enumerable.Range(0, SampleRate).Select(t => t / 8 % 2 == 0 ? 1f : -1f).ToArray(),
            ["one frame of a sine"] = Additive(440, k => k == 1 ? 0.1 : 0)[..256],
        };
        foreach (var (name, audio) in sounds)
        {
            var encoded = new BuiltInCodec().Encode(audio);
            Assert.True(encoded.All(z => z is >= -2f and <= 2f), name);
        }
    }

    /// <summary>Two seconds of harmonics with the given amplitudes, all below Nyquist.</summary>
    private static float[] Additive(double f0, Func<int, double> amplitude)
    {
        var audio = new float[2 * SampleRate];
        for (int k = 1; k * f0 < SampleRate / 2; k++)
        {
            double a = amplitude(k);
            if (a == 0) continue;
            for (int t = 0; t < audio.Length; t++) audio[t] += (float)(a * Math.Sin(2 * Math.PI * k * f0 * t / SampleRate));
        }
        return audio;
    }

    private static float[] MiddleFrame(float[] audio)
    {
        var encoded = new BuiltInCodec().Encode(audio);
        int middle = encoded.Length / Latents / 2;
        return encoded.AsSpan(middle * Latents, Latents).ToArray();
    }
}
