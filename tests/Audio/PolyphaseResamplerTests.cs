using LatentTerrain.Engine.Audio;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Audio;

public class PolyphaseResamplerTests
{
    /// <summary>Runs <paramref name="input"/> (mono) through in calls of the given output sizes, in turn; returns the output.</summary>
    private static float[] Stream(PolyphaseResampler resampler, float[] input, int outputFrames, params int[] blocks)
    {
        var output = new float[outputFrames];
        int read = 0, written = 0;
        for (int b = 0; written < outputFrames; b++)
        {
            int frames = Math.Min(blocks[b % blocks.Length], outputFrames - written);
            int needed = resampler.InputFramesFor(frames);
            var source = new float[needed];
            for (int i = 0; i < needed; i++) source[i] = read + i < input.Length ? input[read + i] : 0f;
            resampler.Process(source, output.AsSpan(written, frames));
            read += needed;
            written += frames;
        }
        return output;
    }

    /// <summary>The largest difference from a sine of the frequency and amplitude put in, delayed by the resampler's delay, once the filter is full.</summary>
    private static double ErrorAgainstIdealSine(int sourceRate, int targetRate, double frequency)
    {
        var resampler = new PolyphaseResampler(sourceRate, targetRate, 1, 128);
        var output = Stream(resampler, Signals.Sine(frequency, sourceRate, sourceRate), targetRate / 2, 128);
        double delay = resampler.DelaySeconds, error = 0;
        for (int n = 2 * resampler.Taps * targetRate / sourceRate; n < output.Length; n++)
            error = Math.Max(error, Math.Abs(output[n] - 0.5 * Math.Sin(2 * Math.PI * frequency * ((double)n / targetRate - delay))));
        return error;
    }

    [Theory]
    [InlineData(44100, 48000, 1000)]
    [InlineData(44100, 48000, 17000)]
    [InlineData(48000, 44100, 1000)]
    [InlineData(48000, 44100, 17000)]
    [InlineData(22050, 48000, 8000)]
    [InlineData(48000, 96000, 18000)]
    public void A_sine_in_the_passband_comes_out_the_same_sine_later_by_the_stated_delay(int sourceRate, int targetRate, double frequency)
    {
        // 2e-4 of a 0.5 amplitude is -68 dB: the passband ends at 18 kHz with about -80 dB of error (docs/performance.md).
        Assert.InRange(ErrorAgainstIdealSine(sourceRate, targetRate, frequency), 0, 2e-4);
    }

    [Fact]
    public void What_the_lower_rate_cannot_hold_is_filtered_out_not_folded_back()
    {
        // 23 kHz at 48 kHz does not exist at 44.1 kHz; a resampler without a filter would fold it to 21.1 kHz.
        var resampler = new PolyphaseResampler(48000, 44100, 1, 128);
        var output = Stream(resampler, Signals.Sine(23000, 48000, 48000, amplitude: 1), 44100, 128);
        Assert.True(Signals.Decibels(Spectrum.Magnitude(output.AsSpan(4410), 21100, 44100)) < -70);
        // Upsampling makes no image of a tone near the old Nyquist frequency either: 21 kHz at 44.1 kHz would image at 23.1 kHz.
        var up = new PolyphaseResampler(44100, 48000, 1, 128);
        var raised = Stream(up, Signals.Sine(21000, 44100, 44100, amplitude: 1), 48000, 128);
        Assert.True(Signals.Decibels(Spectrum.Magnitude(raised.AsSpan(4800), 23100, 48000)) < -60);
    }

    [Fact]
    public void The_output_does_not_depend_on_how_it_is_asked_for()
    {
        var input = Signals.Noise(30000, seed: 3, amplitude: 0.5);
        float[] whole = Stream(new PolyphaseResampler(44100, 48000, 1, 4096), input, 30000, 4096);
        float[] pieces = Stream(new PolyphaseResampler(44100, 48000, 1, 4096), input, 30000, 1, 128, 7, 300, 0, 64, 4096);
        Assert.True(Signals.MaxDifference(whole, pieces) < 1e-6);
    }

    [Theory]
    [InlineData(44100, 48000)]
    [InlineData(48000, 44100)]
    [InlineData(16000, 48000)]
    public void It_takes_exactly_the_input_the_output_covers(int sourceRate, int targetRate)
    {
        var resampler = new PolyphaseResampler(sourceRate, targetRate, 2, 256);
        long taken = 0, given = 0;
        var random = new Random(5);
        for (int i = 0; i < 1000; i++)
        {
            int frames = random.Next(0, 257), needed = resampler.InputFramesFor(frames);
            Assert.InRange(needed, 0, resampler.MaxInputFrames);
            resampler.Process(new float[2 * needed], new float[2 * frames]);
            taken += needed;
            given += frames;
        }
        // Output n stands at input time n * source / target and needs the inputs up to it.
        Assert.Equal((given - 1) * sourceRate / targetRate + 1, taken);
    }

    [Fact]
    public void Channels_are_resampled_apart()
    {
        var resampler = new PolyphaseResampler(44100, 48000, 2, 128);
        float[] left = Signals.Sine(440, 44100, 4410), right = Signals.Noise(4410, seed: 4);
        var interleaved = new float[2 * 4410];
        for (int i = 0; i < 4410; i++) (interleaved[2 * i], interleaved[2 * i + 1]) = (left[i], right[i]);
        float[] leftAlone = Stream(new PolyphaseResampler(44100, 48000, 1, 128), left, 4800, 128);
        float[] rightAlone = Stream(new PolyphaseResampler(44100, 48000, 1, 128), right, 4800, 128);

        var output = new float[2 * 4800];
        int read = 0;
        for (int written = 0; written < 4800; written += 100)
        {
            int needed = resampler.InputFramesFor(100);
            resampler.Process(interleaved.AsSpan(2 * read, 2 * needed), output.AsSpan(2 * written, 200));
            read += needed;
        }
        for (int n = 0; n < 4800; n++)
        {
            Assert.Equal(leftAlone[n], output[2 * n], 1e-6f);
            Assert.Equal(rightAlone[n], output[2 * n + 1], 1e-6f);
        }
    }

    [Fact]
    public void A_reset_resampler_starts_again_from_silence()
    {
        var input = Signals.Noise(2000, seed: 6);
        var resampler = new PolyphaseResampler(48000, 44100, 1, 128);
        float[] first = Stream(resampler, input, 1500, 128);
        resampler.Reset();
        Assert.Equal(first, Stream(resampler, input, 1500, 128));
    }

    [Fact]
    public void Resampling_allocates_nothing()
    {
        var resampler = new PolyphaseResampler(44100, 48000, 2, 128);
        float[] input = Signals.Noise(2 * resampler.MaxInputFrames, seed: 7), output = new float[256];
        void Run()
        {
            for (int i = 0; i < 1000; i++) resampler.Process(input.AsSpan(0, 2 * resampler.InputFramesFor(128)), output);
        }
        Run();
        Assert.Equal(0, Allocations.Of(Run));
    }

    [Fact]
    public void Bad_requests_are_refused_with_what_was_wrong()
    {
        var fine = Assert.Throws<ArgumentException>(() => new PolyphaseResampler(44100, 47999, 1, 128));
        Assert.Contains("44100 Hz to 47999 Hz", fine.Message);
        var resampler = new PolyphaseResampler(44100, 48000, 2, 128);
        Assert.Throws<ArgumentOutOfRangeException>(() => resampler.InputFramesFor(129));
        var wrongInput = Assert.Throws<ArgumentException>(() => resampler.Process(new float[2], new float[256]));
        Assert.Contains("128 output frames take 117 input frames", wrongInput.Message);
        Assert.Throws<ArgumentException>(() => resampler.Process(new float[236], new float[255]));
    }
}
