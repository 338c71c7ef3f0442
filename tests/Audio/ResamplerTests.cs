using LatentTerrain.Engine.Audio;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Audio;

public sealed class ResamplerTests
{
    // The middle of a resampled signal, away from the filter's run-in and run-out at the edges.
    private const int Edge = 2000;

    [Theory]
    [InlineData(ResampleQuality.High)]
    [InlineData(ResampleQuality.VeryHigh)]
    public void A_tone_keeps_its_pitch_level_and_timing(ResampleQuality quality)
    {
        var tone = Signals.Planar(44100, Signals.Sine(1000, 44100, 44100));

        var resampled = Resampler.Resample(tone, 48000, quality);

        Assert.Equal((48000, 1, 48000), (resampled.SampleRate, resampled.Channels, resampled.Frames));
        var middle = resampled.Samples.AsSpan(Edge, 48000 - 2 * Edge);
        Assert.InRange(Signals.Frequency(middle, 48000), 999.9, 1000.1);
        double gain = Signals.Decibels(Signals.Rms(middle) / Signals.Rms(tone.Samples.AsSpan(Edge, 44100 - 2 * Edge)));
        Assert.InRange(gain, -0.1, 0.1);
        // Sample for sample the tone as if it had been made at 48 kHz: no delay, no phase shift. An
        // error of 1e-5 at this slope would be a shift of 0.0002 samples.
        var ideal = Signals.Sine(1000, 48000, 48000).AsSpan(Edge, 48000 - 2 * Edge);
        Assert.True(Signals.MaxDifference(middle, ideal) < 1e-5, $"max difference {Signals.MaxDifference(middle, ideal)}");
    }

    [Fact]
    public void An_impulse_lands_where_its_time_says()
    {
        var impulse = new AudioBuffer(44100, 1, 4410);
        impulse.Samples[1000] = 1;

        var resampled = Resampler.Resample(impulse, 48000);

        // 1000 / 44100 s is sample 1088.4 at 48 kHz.
        int peak = Array.IndexOf(resampled.Samples, resampled.Samples.Max());
        Assert.Equal(1088, peak);
    }

    [Fact]
    public void A_tone_above_the_new_nyquist_frequency_is_filtered_out_not_folded_back()
    {
        var tone = Signals.Planar(48000, Signals.Sine(23000, 48000, 48000));

        var resampled = Resampler.Resample(tone, 44100);

        double level = Signals.Decibels(Signals.Rms(resampled.Samples.AsSpan(Edge, 44100 - 2 * Edge)) / Signals.Rms(tone.Samples));
        Assert.True(level < -60, $"the 23 kHz tone comes out at {level:F1} dB");
    }

    [Theory]
    [InlineData(44100, 44100, 48000)]
    [InlineData(44101, 44100, 48000)]
    [InlineData(400, 48000, 44100)]  // 367.5 frames: rounds up
    [InlineData(12345, 48000, 22050)]
    [InlineData(1, 8000, 96000)]
    [InlineData(7, 96000, 8000)]
    public void The_length_is_the_duration_at_the_new_rate_rounded(int frames, int source, int target)
    {
        var audio = new AudioBuffer(source, 2, Signals.Noise(2 * frames, 3, 0.5));
        int expected = (int)Math.Round((double)frames * target / source, MidpointRounding.AwayFromZero);

        Assert.Equal(expected, Resampler.OutputFrames(frames, source, target));
        Assert.Equal(expected, Resampler.Resample(audio, target).Frames);
    }

    [Fact]
    public void Channels_are_resampled_each_on_its_own()
    {
        var audio = Signals.Planar(44100, Signals.Sine(1000, 44100, 44100), Signals.Sine(3000, 44100, 44100, 0.1));

        var resampled = Resampler.Resample(audio, 32000);

        Assert.InRange(Signals.Frequency(resampled.Channel(0)[Edge..^Edge], 32000), 999.9, 1000.1);
        Assert.InRange(Signals.Frequency(resampled.Channel(1)[Edge..^Edge], 32000), 2999.9, 3000.1);
        Assert.InRange(Signals.Rms(resampled.Channel(1)[Edge..^Edge]) / Signals.Rms(resampled.Channel(0)[Edge..^Edge]), 0.199, 0.201);
    }

    [Fact]
    public void The_same_rate_gives_a_copy()
    {
        var audio = Signals.Planar(48000, Signals.Noise(100, 4));

        var same = Resampler.Resample(audio, 48000);

        Assert.NotSame(audio.Samples, same.Samples);
        Assert.Equal(audio.Samples, same.Samples);
    }

    [Fact]
    public void Streaming_in_small_blocks_gives_the_one_shot_result()
    {
        const int frames = 44100, block = 64, room = 4096;
        var audio = Signals.Planar(44100, Signals.Noise(frames, 5, 0.5), Signals.Sine(440, 44100, frames));
        var oneShot = Resampler.Resample(audio, 48000);
        using var resampler = new StreamingResampler(44100, 48000, 2);
        var streamed = new[] { new List<float>(), new List<float>() };
        float[] input = new float[2 * block], output = new float[2 * room];

        void Keep(int produced)
        {
            for (int c = 0; c < 2; c++) streamed[c].AddRange(output.AsSpan(c * room, produced));
        }
        for (int start = 0; start < frames; start += block)
        {
            int count = Math.Min(block, frames - start);
            audio.Channel(0).Slice(start, count).CopyTo(input);
            audio.Channel(1).Slice(start, count).CopyTo(input.AsSpan(count));
            Keep(resampler.Process(input.AsSpan(0, 2 * count), output));
        }
        for (int produced; (produced = resampler.Drain(output)) > 0;) Keep(produced);

        for (int c = 0; c < 2; c++)
        {
            Assert.Equal(oneShot.Frames, streamed[c].Count);
            Assert.True(Signals.MaxDifference(oneShot.Channel(c), streamed[c].ToArray()) < 1e-6, $"channel {c}");
        }
    }

    [Fact]
    public void A_reset_resampler_starts_again_from_silence()
    {
        var audio = Signals.Planar(48000, Signals.Noise(4800, 6, 0.5));
        using var resampler = new StreamingResampler(48000, 44100, 1);
        float[] output = new float[8192];

        float[] Run()
        {
            int produced = resampler.Process(audio.Samples, output);
            produced += resampler.Drain(output.AsSpan(produced));
            return output[..produced];
        }
        float[] first = Run();
        resampler.Reset();

        Assert.Equal(first, Run());
    }

    [Fact]
    public void Streaming_allocates_nothing_per_block()
    {
        const int block = 128;
        using var resampler = new StreamingResampler(44100, 48000, 2, ResampleQuality.VeryHigh);
        float[] input = Signals.Noise(2 * block, 7, 0.5), output = new float[2 * 1024];
        for (int i = 0; i < 100; i++) resampler.Process(input, output);

        Assert.Equal(0, Allocations.Of(() =>
        {
            for (int i = 0; i < 1000; i++) resampler.Process(input, output);
        }));
        Assert.True(resampler.Delay > 0);
    }

    [Fact]
    public void Blocks_that_are_not_whole_frames_are_refused()
    {
        using var resampler = new StreamingResampler(44100, 48000, 2);
        Assert.Throws<ArgumentException>(() => resampler.Process(new float[3], new float[100]));
        Assert.Throws<ArgumentException>(() => resampler.Process(new float[4], new float[101]));
    }
}
