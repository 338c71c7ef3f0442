using System.Diagnostics;
using LatentTerrain.Engine.Audio;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Audio;

/// <summary>
/// The input's drain thread and history fed by a simulated device: the test pushes blocks into the
/// capture ring through the C core every input callback calls (<c>terrain_ring_push</c>), waiting
/// for room as a device never would, so nothing is dropped whatever the machine's pace.
/// </summary>
public sealed unsafe class AudioInputTests
{
    private const int Rate = 48000, Period = 128;
    private static readonly AudioDevice Simulated = new(-1, "simulated", "test", 0, Rate, 0, 0, false) { MaxInputChannels = 2 };

    /// <summary>
    /// Three seconds of a stereo sweep pushed a period at a time arrive in the history whole and in
    /// order, sample for sample; its level is the sweep's; and once warmed up, the drain thread
    /// allocates nothing while it moves them.
    /// </summary>
    [Fact]
    public void What_the_device_records_is_what_the_history_holds_and_draining_allocates_nothing()
    {
        var sound = Sweep(3 * Rate);
        var capture = new AudioRing(Rate / 2, 2);
        using var input = new AudioInput(capture, Simulated, Rate, Period, seconds: 4);

        Push(capture, sound.AsSpan(0, sound.Length / 2));
        // The drain thread's warm-up is over after a hundred drains (two seconds).
        Await(() => input.Drains > AudioInput.WarmUpDrains + 5, "the drain thread to warm up");
        Push(capture, sound.AsSpan(sound.Length / 2));
        Await(() => input.History.FramesWritten == sound.Length / 2, "the history to hold the sound");
        long drains = input.Drains;
        Await(() => input.Drains > drains + 5, "a few drains more");

        Assert.Equal(sound, Interleaved(input.History.Since(0)));
        Assert.Equal((0L, 0L), (input.Overruns, input.AllocatedBytes));
        Assert.Equal(Spectrum.Peak(sound.AsSpan(sound.Length - 2 * Rate / 10)), input.Peak);
        Assert.Equal(("simulated", 2, Rate, false, false), (input.Name, input.Channels, input.SampleRate, input.IsOnJack, input.Lost));
    }

    /// <summary>A logarithmic sweep from 50 Hz to 12 kHz on the left, the same falling on the right, interleaved.</summary>
    internal static float[] Sweep(int frames, double amplitude = 0.5)
    {
        var samples = new float[2 * frames];
        double rising = 0, falling = 0;
        for (int i = 0; i < frames; i++)
        {
            double position = (double)i / frames;
            rising += 2 * Math.PI * 50 * Math.Pow(240, position) / Rate;
            falling += 2 * Math.PI * 12000 * Math.Pow(240, -position) / Rate;
            (samples[2 * i], samples[2 * i + 1]) = ((float)(amplitude * Math.Sin(rising)), (float)(amplitude * Math.Sin(falling)));
        }
        return samples;
    }

    internal static float[] Interleaved(AudioBuffer audio) => audio.ToInterleaved();

    // A period at a time, each once the ring has room for it.
    private static void Push(AudioRing capture, ReadOnlySpan<float> interleaved)
    {
        for (int offset = 0; offset < interleaved.Length; offset += 2 * Period)
        {
            var block = interleaved.Slice(offset, Math.Min(2 * Period, interleaved.Length - offset));
            Await(() => capture.Free >= Period, "room in the capture ring");
            fixed (float* samples = block) NativeAudio.terrain_ring_push(capture.Native, samples, block.Length / 2, 0);
        }
    }

    private static void Await(Func<bool> condition, string what)
    {
        var patience = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(patience.Elapsed < TimeSpan.FromSeconds(60), $"waited a minute for {what}");
            Thread.Sleep(1);
        }
    }
}
