using LatentTerrain.Engine.Audio;
using LatentTerrain.Engine.Rendering;
using LatentTerrain.Engine.Synthesis;
using LatentTerrain.Engine.Terrain;
using LatentTerrain.Instrument;
using LatentTerrain.Instrument.Live;
using LatentTerrain.Models;
using LatentTerrain.Models.BuiltIn;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Synthesis;

/// <summary>
/// The synth as the live instrument runs it (instrument/Live/LiveInstrument.cs: a real-time synth at
/// the device's rate, its synth thread writing blocks into a ring) played by a simulated device
/// (Support/SimulatedDevice) through the C core every real device's callback calls. Simulated time
/// makes every comparison exact, whatever else the machine is doing; the real JACK server's tests
/// (Instrument/LivePlayTests) only check that sound gets through.
/// </summary>
public sealed class LiveSynthTests
{
    private const int Rate = 48000, Frames = 128, Ahead = 2 * Frames;

    /// <summary>
    /// A gesture played live is, sample for sample and bit for bit, what the offline renderer writes
    /// for it: the gesture is played on the audio clock and the synth thread renders the blocks the
    /// renderer does, so once a patient device rules out underruns nothing is left to differ. It
    /// holds from whichever block the gesture starts at, after LiveInstrument's warm-up (a chord of
    /// every voice, played out), which leaves the synth as a fresh one.
    /// </summary>
    [Fact]
    public void A_gesture_played_live_is_its_render_sample_for_sample() =>
        PlaysAsItsRender(() => new BuiltInCodec(new BuiltInCodecOptions { SampleRate = Rate, Ratio = 128 }), startEvery: Frames, warmUp: true);

    /// <summary>
    /// A model at another rate than the device's (the built-in codec at 44.1 kHz on a 48 kHz device,
    /// as a 44.1 kHz RAVE model on a 48 kHz interface) is resampled live exactly as in its render,
    /// bit for bit, when the gesture starts where the resampler's phase is as at the render's start:
    /// every 160 frames at 48 kHz (147 at 44.1 kHz), so every fifth block. Started at another
    /// block, it is the render resampled a fraction of a sample later (tried: differences up to 0.045).
    /// Without the warm-up, whose length (and so the resampler's phase after it) depends on the machine.
    /// </summary>
    [Fact]
    public void A_model_at_another_rate_is_resampled_live_as_in_its_render() =>
        PlaysAsItsRender(() => new BuiltInCodec(new BuiltInCodecOptions { SampleRate = 44100, Ratio = 128 }), startEvery: 5 * Frames, warmUp: false);

    /// <summary>
    /// Plays a gesture live, after LiveInstrument's warm-up or none, from the first block after 20
    /// blocks of silence whose frame is a multiple of <paramref name="startEvery"/>.
    /// </summary>
    private static void PlaysAsItsRender(Func<IAutoencoder> open, int startEvery, bool warmUp)
    {
        var gesture = Staggered(Performances.Circling(voices: 2, seconds: 3));
        float[] render;
        using (var model = open())
        using (var synth = new Synth(model, new TerrainSnapshots(DefaultTerrain.Load()), new SynthSettings { OutputChannels = 2, SampleRate = Rate }))
            render = OfflineRenderer.Render(synth, gesture);
        int renderFrames = render.Length / 2;

        using var liveModel = open();
        using var live = new LiveSynth(liveModel, new TerrainSnapshots(DefaultTerrain.Load()), seconds: renderFrames / (double)Rate + 1);
        live.Thread.Start(warmUp ? () => LiveInstrument.WarmUp(live.Synth, Frames) : null);
        live.Device.Play(20);
        // As LiveInstrument.Play, but for the block it starts at: the gesture's time 0 is the first block the player sees.
        var player = new GesturePlayer(gesture, live.Synth.Cursors, Rate);
        long origin = -1;
        live.Thread.BeforeBlock = frame =>
        {
            if (origin < 0 && frame % startEvery == 0) origin = frame;
            if (origin >= 0) player.Advance(frame);
        };
        live.Device.Play((Ahead + startEvery + renderFrames) / Frames + 1);
        live.Thread.Dispose();

        Assert.InRange(origin, 20 * Frames, 20 * Frames + Ahead + startEvery);
        var played = live.Device.Played;
        Assert.Equal(-1, played[..(int)(2 * origin)].IndexOfAnyExcept(0f));
        AssertSame(render, played.Slice((int)(2 * origin), render.Length));
    }

    /// <summary>
    /// New weights (the whole terrain an octave up) and then another model arrive while a note
    /// sounds: what is played never jumps further from one sample to the next than the highest steady
    /// tone does, so neither a click nor a gap; and it is what a render with the same changes at the
    /// same frames writes. The changes come on the synth thread before a given block (where live they
    /// come from other threads between two blocks), so that they fall on the same frame in both.
    /// </summary>
    [Fact]
    public void New_weights_and_another_model_while_a_note_sounds_make_no_jump()
    {
        const int Seconds = 4;
        static Action<long> Score(Synth synth, TerrainSnapshots terrain) => frame =>
        {
            if (frame == 0) synth.Cursors.Move(0, 0f, 0f, 1f);                                             // 220 Hz
            if (frame == Rate) terrain.Publish(LinearTerrain.PitchAlongX(offset: 1f));                     // 440 Hz
            if (frame == 2 * Rate) synth.Load(new SineAutoencoder(ratio: 256, octaveOffset: 0.5f), terrain); // 622 Hz
        };
        var render = new float[2 * Seconds * Rate];
        var offlineTerrain = new TerrainSnapshots(LinearTerrain.PitchAlongX());
        using (var synth = new Synth(new SineAutoencoder(ratio: 128), offlineTerrain, new SynthSettings { OutputChannels = 2, SampleRate = Rate }))
        {
            var score = Score(synth, offlineTerrain);
            for (int frame = 0; frame < Seconds * Rate; frame += Frames)
            {
                score(frame);
                synth.Render(render.AsSpan(2 * frame, 2 * Frames));
            }
        }

        var terrain = new TerrainSnapshots(LinearTerrain.PitchAlongX());
        using var live = new LiveSynth(new SineAutoencoder(ratio: 128), terrain, Seconds);
        live.Thread.BeforeBlock = Score(live.Synth, terrain);
        live.Thread.Start();
        live.Device.Play(Seconds * Rate / Frames);
        live.Thread.Dispose();

        AssertSame(render, live.Device.Played);
        var recording = live.Device.PlayedChannel(0);
        var note = recording.AsSpan(Alignment.Onset(recording), Rate * 3);
        float largest = Spectrum.LargestStep(note), steady = Spectrum.LargestStep(note[^(Rate / 4)..]);
        Assert.True(Spectrum.Magnitude(note[^(Rate / 4)..], 622.25, Rate) > 0.1, "the last model does not sound");
        Assert.True(largest <= 1.1f * steady, $"largest step {largest}, steady {steady}");
    }

    /// <summary>
    /// The real-time contract: once warmed up, neither the synth thread (rendering a gesture of two
    /// voices into the ring and the played history) nor the callback allocates.
    /// </summary>
    [Fact]
    public void The_synth_thread_and_the_callback_allocate_nothing_while_playing()
    {
        using var model = new BuiltInCodec(new BuiltInCodecOptions { SampleRate = Rate, Ratio = 128 });
        using var live = new LiveSynth(model, new TerrainSnapshots(DefaultTerrain.Load()), seconds: 6);
        live.Thread.BeforeBlock = new GesturePlayer(Performances.Circling(voices: 2, seconds: 6), live.Synth.Cursors, Rate).Advance;
        live.Thread.Start();
        live.Device.Play(2 * SynthThread.WarmUpBlocks);

        // Allocations.Of plays up to five windows of 100 blocks, repeating those a collection touched.
        long callback = Allocations.Of(() => live.Device.Play(100));
        live.Thread.Dispose();

        Assert.Equal(0, callback);
        Assert.Equal(0, live.Thread.AllocatedBytes);
        Assert.Equal(live.Thread.RenderedFrames, live.Played.FramesWritten);
        Assert.True(Spectrum.Rms(live.Device.Played) > 0.01, "the synth thread did not play the gesture");
    }

    /// <summary>
    /// The played history holds every block the synth thread rendered, the queue ahead of what the
    /// device has played: what the device played is in it sample for sample; a history of a second and
    /// a half, shorter than the take of three, holds the take's last second and none of its start.
    /// </summary>
    [Fact]
    public void The_played_history_holds_what_the_device_played()
    {
        using var model = new BuiltInCodec(new BuiltInCodecOptions { SampleRate = Rate, Ratio = 128 });
        using var live = new LiveSynth(model, new TerrainSnapshots(DefaultTerrain.Load()), seconds: 3, playedSeconds: 1.5);
        live.Thread.BeforeBlock = new GesturePlayer(Performances.Circling(voices: 2, seconds: 3), live.Synth.Cursors, Rate).Advance;
        live.Thread.Start();
        live.Device.Play(3 * Rate / Frames);
        live.Thread.Dispose();

        int played = live.Device.FramesPlayed;
        Assert.InRange(live.Played.FramesWritten, played, played + 8 * Ahead);
        var lastSecond = new float[2 * Rate];
        Assert.True(live.Played.TryRead(played - Rate, lastSecond));
        AssertSame(live.Device.Played[^(2 * Rate)..], lastSecond);
        Assert.True(Spectrum.Rms(lastSecond) > 0.01, "the gesture did not sound");
        Assert.False(live.Played.TryRead(live.Played.OldestFrame - 1, new float[2]));
        Assert.Equal(live.Played.FramesWritten - 3 * Rate / 2, live.Played.OldestFrame);
    }

    /// <summary>
    /// A device that ran late and then asks for blocks back to back (as JACK's dummy driver catches
    /// up) runs the queue dry although the synth was never late: those underruns are the device's.
    /// Here the synth thread is held before its next block while the device catches up, so exactly
    /// the two queued blocks are there for five callbacks: three underruns, all early, all the
    /// device's, and the queue stays as it was (a device's stalls are not the synth's pace).
    /// </summary>
    [Fact]
    public void Underruns_of_a_device_catching_up_are_the_devices()
    {
        var terrain = new TerrainSnapshots(LinearTerrain.PitchAlongX());
        using var live = new LiveSynth(new SineAutoencoder(ratio: Frames), terrain, seconds: 2);
        live.Synth.Cursors.Move(0, 0f, 0f, 1f);
        live.Thread.Start();
        live.Device.Play(200);
        AwaitCount(live.Ring, Ahead);

        // The queue is full, so the synth thread waits for the device; it will stop before its next block.
        using var go = new ManualResetEventSlim();
        live.Thread.BeforeBlock = _ => go.Wait();
        live.Device.Stall(4);
        live.Device.CatchUp(5);
        go.Set();
        live.Device.Play(100);
        live.Thread.Dispose();

        Assert.Equal((3L, 3L), (live.Ring.UnderrunCount, live.Ring.EarlyUnderrunCount));
        Assert.Equal((3L, 0L, 0L), (live.Thread.EarlyDeviceUnderruns, live.Thread.SlowUnderruns, live.Thread.HeldUpUnderruns));
        Assert.Equal(Ahead, live.Thread.AheadFrames);
        // The third to fifth blocks of the burst are silence, and only they.
        var played = live.Device.PlayedChannel(0);
        var silent = Enumerable.Range(0, played.Length / Frames).Where(block => block > 10 && played.AsSpan(block * Frames, Frames).IndexOfAnyExcept(0f) < 0);
        Assert.Equal(new[] { 202, 203, 204 }, silent);
    }

    /// <summary>The live instrument's synth, synth thread and ring (as LiveInstrument makes them), and a patient simulated device.</summary>
    private sealed class LiveSynth : IDisposable
    {
        public LiveSynth(IAutoencoder model, TerrainSnapshots terrain, double seconds, double? playedSeconds = null)
        {
            Synth = new Synth(model, terrain, new SynthSettings { OutputChannels = 2, SampleRate = Rate, RealTime = true });
            Ring = new AudioRing(8 * Ahead, 2);
            Played = new AudioHistory(2, Rate, playedSeconds ?? seconds + 1);
            Thread = new SynthThread(Synth, Ring, Frames, Ahead, played: Played);
            Device = new SimulatedDevice(Ring, Rate, Frames, seconds, patient: true);
        }

        public Synth Synth { get; }
        public AudioRing Ring { get; }
        public AudioHistory Played { get; }
        public SynthThread Thread { get; }
        public SimulatedDevice Device { get; }

        public void Dispose()
        {
            Thread.Dispose();
            Ring.Dispose();
            Synth.Dispose();
        }
    }

    /// <summary>
    /// The gesture with each cursor's entry a tenth of a second after the one before. A chord's
    /// notes start live as the model's measured decoding time allows (SynthSettings.RealTime), which
    /// depends on the machine; a note starting in a block of its own starts at once, live as offline.
    /// </summary>
    private static Gesture Staggered(Gesture gesture) =>
        new(gesture.Events.Where(e => e.Time >= 0.1 * e.Cursor).ToList());

    /// <summary>Waits until the ring holds <paramref name="frames"/>: the synth thread has filled its queue.</summary>
    private static void AwaitCount(AudioRing ring, int frames)
    {
        var patience = System.Diagnostics.Stopwatch.StartNew();
        while (ring.Count < frames)
        {
            Assert.True(patience.Elapsed < TimeSpan.FromSeconds(30), $"the synth thread queued {ring.Count} of {frames} frames in 30 s");
            System.Threading.Thread.Yield();
        }
    }

    /// <summary>Bit for bit, or the first sample that differs and the largest difference.</summary>
    private static void AssertSame(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        if (expected.SequenceEqual(actual)) return;
        int first = -1;
        float largest = 0f;
        for (int i = 0; i < expected.Length; i++)
        {
            if (first < 0 && expected[i] != actual[i]) first = i;
            largest = MathF.Max(largest, MathF.Abs(expected[i] - actual[i]));
        }
        Assert.Fail($"sample {first} (interleaved) is {actual[first]}, not {expected[first]}; the largest difference is {largest}");
    }
}
