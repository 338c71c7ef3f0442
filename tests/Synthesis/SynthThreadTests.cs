using System.Diagnostics;
using LatentTerrain.Engine.Audio;
using LatentTerrain.Engine.Synthesis;
using LatentTerrain.Models;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Synthesis;

/// <summary>
/// The synth thread tells why an underrun happened: the synth needed more processor time than the
/// queue gave it (too slow), or the thread waited for a processor (held up). A decoder that now and
/// then works 8 ms, longer than the two queued periods (5.3 ms), is too slow; one that sleeps as
/// long is held up, as a machine that takes the processor away holds it up.
/// </summary>
[Collection(JackServer.Collection)]
public sealed class SynthThreadTests
{
    private const int Rate = 48000, Frames = 128;

    [JackFact]
    public void A_block_late_for_its_work_is_too_slow()
    {
        var (slow, heldUp, underruns) = Play(new StallingAutoencoder(spin: true));

        Assert.True(slow == underruns && underruns > 0, $"{slow} too slow, {heldUp} held up, {underruns} underruns");
    }

    [JackFact]
    public void A_block_late_for_want_of_a_processor_is_held_up()
    {
        var (slow, heldUp, underruns) = Play(new StallingAutoencoder(spin: false));

        Assert.True(heldUp == underruns && underruns > 0, $"{slow} too slow, {heldUp} held up, {underruns} underruns");
    }

    private static (long Slow, long HeldUp, long Underruns) Play(IAutoencoder model)
    {
        using var server = JackServer.Start();
        using var synth = new Synth(model, new Engine.Terrain.TerrainSnapshots(LinearTerrain.PitchAlongX()), new SynthSettings { OutputChannels = 2 });
        using var ring = new AudioRing(8 * Frames, 2);
        using var thread = new SynthThread(synth, ring, Frames, aheadFrames: 2 * Frames);
        using var output = AudioOutput.Open(ring, Rate, framesPerBuffer: Frames);
        synth.Cursors.Move(0, 0f, 0f, 1f);
        thread.Start();
        while (ring.Count < thread.AheadFrames) Thread.Sleep(1);
        output.Start();
        Thread.Sleep(1500);
        output.Stop();
        // The thread finishes and accounts for the block it is on.
        thread.Dispose();
        return (thread.SlowUnderruns, thread.HeldUpUnderruns, output.Underruns);
    }

    /// <summary>The sine model, whose every 50th frame takes 8 ms more: working (spinning) or sleeping.</summary>
    private sealed class StallingAutoencoder(bool spin) : IAutoencoder
    {
        private readonly SineAutoencoder _inner = new(ratio: Frames, sampleRate: Rate);
        public string Name => "stalling";
        public int LatentSize => _inner.LatentSize;
        public int Ratio => _inner.Ratio;
        public int SampleRate => _inner.SampleRate;
        public int Channels => _inner.Channels;
        public float[] Encode(ReadOnlySpan<float> audio) => _inner.Encode(audio);
        public IStreamingDecoder CreateDecoder() => new Decoder(_inner.CreateDecoder(), spin);
        public void Dispose() => _inner.Dispose();

        private sealed class Decoder(IStreamingDecoder inner, bool spin) : IStreamingDecoder
        {
            private int _frames;

            public void Decode(ReadOnlySpan<float> latent, Span<float> audio)
            {
                inner.Decode(latent, audio);
                if (++_frames % 50 != 0) return;
                if (!spin) Thread.Sleep(8);
                else for (var clock = Stopwatch.StartNew(); clock.Elapsed.TotalMilliseconds < 8;) { }
            }

            public void Reset() => inner.Reset();
            public void Dispose() => inner.Dispose();
        }
    }
}
