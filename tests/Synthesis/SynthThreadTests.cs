using LatentTerrain.Engine.Audio;
using LatentTerrain.Engine.Synthesis;
using LatentTerrain.Models;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Synthesis;

/// <summary>
/// The synth thread tells why an underrun happened: the synth needed more processor time than the
/// queue gave it (too slow), or the thread waited for a processor (held up). A decoder that now and
/// then works 8 ms, longer than the two queued periods (5.3 ms), is too slow; one that sleeps as
/// long is held up, as a machine that takes the processor away holds it up. (Underruns of a device
/// that comes early are the device's: Synthesis/LiveSynthTests, on a simulated device.)
/// </summary>
[Collection(JackServer.Collection)]
public sealed class SynthThreadTests
{
    private const int Rate = 48000, Frames = 128;

    // What a busy machine may add (a late server cycle, the thread held off the processor) is an
    // underrun of another cause: the assertions below hold whatever it adds.

    /// <summary>
    /// Too slow: 8 ms of processor time cannot fit two queued periods (5.3 ms), so the queue grows by
    /// a block after each such underrun until the work fits (four periods, 10.7 ms), well short of
    /// the fourfold most it may grow to.
    /// </summary>
    [JackFact]
    public void A_block_late_for_its_work_is_too_slow_and_lengthens_the_queue()
    {
        var run = Play(new StallingAutoencoder(every: 50, milliseconds: 8, spin: true), seconds: 3);

        Assert.True(run.Slow > 0 && run.AheadFrames >= 4 * Frames && run.AheadFrames < run.MaxAheadFrames, $"{run}");
    }

    /// <summary>Held up: a decoder that sleeps uses no processor, so it is never too slow, and the queue stays as it was (a machine's stalls are not the synth's pace).</summary>
    [JackFact]
    public void A_block_late_for_want_of_a_processor_is_held_up()
    {
        var run = Play(new StallingAutoencoder(every: 50, milliseconds: 8, spin: false), seconds: 1.5);

        Assert.True(run.HeldUp > 0 && run.Slow == 0, $"{run}");
        Assert.Equal(2 * Frames, run.AheadFrames);
    }

    private sealed record Run(long Slow, long HeldUp, long Early, long Underruns, int AheadFrames, int MaxAheadFrames);

    private static Run Play(IAutoencoder model, double seconds)
    {
        using var server = JackServer.Start();
        using var synth = new Synth(model, new Engine.Terrain.TerrainSnapshots(LinearTerrain.PitchAlongX()), new SynthSettings { OutputChannels = 2 });
        using var ring = new AudioRing(16 * Frames, 2);
        using var thread = new SynthThread(synth, ring, Frames, aheadFrames: 2 * Frames);
        using var output = AudioOutput.Open(ring, Rate, framesPerBuffer: Frames);
        synth.Cursors.Move(0, 0f, 0f, 1f);
        thread.Start();
        while (ring.Count < thread.AheadFrames) Thread.Sleep(1);
        output.Start();
        Thread.Sleep(TimeSpan.FromSeconds(seconds));
        output.Stop();
        // The thread finishes and accounts for the block it is on.
        thread.Dispose();
        return new Run(thread.SlowUnderruns, thread.HeldUpUnderruns, thread.EarlyDeviceUnderruns, output.Underruns, thread.AheadFrames, thread.MaxAheadFrames);
    }

    /// <summary>
    /// The sine model, whose every <paramref name="every"/>th frame takes <paramref name="milliseconds"/>
    /// more: of the thread's own processor time (spinning, however often the machine takes the
    /// processor away meanwhile) or asleep.
    /// </summary>
    private sealed class StallingAutoencoder(int every, double milliseconds, bool spin)
        : SpoilingAutoencoder(new SineAutoencoder(ratio: Frames, sampleRate: Rate))
    {
        private int _frames;

        protected override void After(Span<float> audio)
        {
            if (++_frames % every != 0) return;
            if (!spin) Thread.Sleep(TimeSpan.FromMilliseconds(milliseconds));
            else for (long start = Scheduling.ThreadProcessorNanoseconds(); Scheduling.ThreadProcessorNanoseconds() - start < milliseconds * 1e6;) { }
        }
    }
}
