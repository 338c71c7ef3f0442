using LatentTerrain.Models.BuiltIn;
using static LatentTerrain.Tests.Codec.CodecSignals;

namespace LatentTerrain.Tests.Codec;

/// <summary>
/// No partial at or above Nyquist: aliases would land between the harmonics (at 880 Hz every alias
/// of a harmonic falls halfway between two), so every bin away from the harmonics must stay far
/// below the strongest. The flattest spectrum and the least noise make aliases as loud as they get.
/// </summary>
public class BandLimitTests
{
    /// <summary>How far below the strongest partial everything between the harmonics must stay; the noise floor there is about 50 dB down.</summary>
    private const double MarginDb = 40, SweepMarginDb = 30;

    [Theory]
    [InlineData(48000)]
    [InlineData(44100)]
    public void TheTopPitchRendersNothingBetweenItsHarmonics(int sampleRate)
    {
        using var codec = new BuiltInCodec(new BuiltInCodecOptions { SampleRate = sampleRate });
        var audio = Render(codec, Steady(sampleRate / codec.Ratio, Top()));
        const int length = 16384;
        var spectrum = SpectrumDb(audio, audio.Length - length, length);
        double binHz = (double)sampleRate / length, f0 = 880;
        double peak = spectrum.Max();
        for (int bin = (int)(20 / binHz); bin < spectrum.Length; bin++)
        {
            double harmonic = bin * binHz / f0;
            if (Math.Abs(harmonic - Math.Round(harmonic)) * f0 < 8 * binHz && Math.Round(harmonic) >= 1) continue;
            Assert.True(spectrum[bin] < peak - MarginDb, $"{bin * binHz:F0} Hz is only {peak - spectrum[bin]:F1} dB below the peak");
        }
    }

    /// <summary>
    /// A rising sweep over the whole pitch range: an alias of a rising partial falls, so it crosses the
    /// gaps between the harmonics. Each short window checks the bins between the bands its harmonics
    /// sweep through, against a looser margin: in windows this short the breath noise between the
    /// harmonics reads about 40 dB below the peak, where an alias of a flat spectrum would be within 10.
    /// </summary>
    [Fact]
    public void ASweepFromLowToHighPitchHasNoAliases()
    {
        using var codec = new BuiltInCodec();
        int frames = 3 * codec.SampleRate / codec.Ratio;
        var latents = new float[frames * Latents];
        for (int i = 0; i < frames; i++)
        {
            Top().CopyTo(latents, i * Latents);
            latents[i * Latents + Pitch] = -2f + 4f * i / (frames - 1);
        }
        var audio = Render(codec, latents);
        const int length = 2048;
        double binHz = (double)codec.SampleRate / length;
        int checkedBins = 0;
        for (int start = codec.Ratio * 8; start + length <= audio.Length; start += length / 2)
        {
            // The fundamental over the window, from the latents (frame i reaches its pitch on its last sample).
            double F0At(int sample) => 220 * Math.Pow(2, -2 + 4.0 * Math.Clamp((double)sample / codec.Ratio - 1, 0, frames - 1) / (frames - 1));
            double low = F0At(start), high = F0At(start + length);
            var spectrum = SpectrumDb(audio, start, length);
            double peak = spectrum.Max();
            for (int bin = (int)(20 / binHz); bin < spectrum.Length; bin++)
            {
                double f = bin * binHz;
                bool nearHarmonic = false;
                for (int k = 1; k * low < codec.SampleRate / 2 && !nearHarmonic; k++)
                    nearHarmonic = f > k * low - 6 * binHz && f < k * high + 6 * binHz;
                if (nearHarmonic) continue;
                checkedBins++;
                Assert.True(spectrum[bin] < peak - SweepMarginDb, $"at {start / (double)codec.SampleRate:F2} s, {f:F0} Hz is only {peak - spectrum[bin]:F1} dB below the peak");
            }
        }
        Assert.True(checkedBins > 1000, "the sweep should leave gaps to check");
    }

    /// <summary>The fade that takes a partial out before Nyquist is continuous, so a rising pitch never switches one off with a step.</summary>
    [Theory]
    [InlineData(48000)]
    [InlineData(44100)]
    public void PartialsFadeSmoothlyToSilenceBelowNyquist(int sampleRate)
    {
        var bank = new HarmonicOscillatorBank(sampleRate, 256);
        float nyquist = sampleRate / 2f;
        Assert.Equal(1f, bank.Gain(0.75f * nyquist));
        Assert.Equal(0f, bank.Gain(0.999f * nyquist));
        float previous = 1f;
        for (float f = 0.75f * nyquist; f <= nyquist; f += 1f)
        {
            float gain = bank.Gain(f);
            Assert.InRange(previous - gain, 0f, 1e-3f);
            previous = gain;
        }
    }

    /// <summary>The brightest, cleanest, loudest voice at the top pitch.</summary>
    private static float[] Top() => [2f, 2f, 2f, 0f, 0f, 0f, -2f, -2f];
}
