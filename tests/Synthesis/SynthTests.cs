using LatentTerrain.Models;
using LatentTerrain.Engine.Rendering;
using LatentTerrain.Engine.Synthesis;
using LatentTerrain.Engine.Terrain;
using LatentTerrain.Tests.Support;
using LatentTerrain.Tests.Audio;

namespace LatentTerrain.Tests.Synthesis;

public class SynthTests
{
    private const int Rate = 48000;
    private static readonly float Gain = new SynthSettings().VoiceGain;

    private static Synth NewSynth(TerrainNetwork? terrain = null, SynthSettings? settings = null, int ratio = 64) =>
        new(new SineAutoencoder(ratio), new TerrainSnapshots(terrain ?? LinearTerrain.PitchAlongX()), settings);

    private static float[] Render(Synth synth, double seconds)
    {
        var audio = new float[(int)(seconds * Rate) * synth.OutputChannels];
        for (int start = 0; start < audio.Length; start += 128) synth.Render(audio.AsSpan(start, Math.Min(128, audio.Length - start)));
        return audio;
    }

    [Fact]
    public void TwoCursorsAreBothAudible()
    {
        using var synth = NewSynth();
        synth.Cursors.Move(0, 0f, 0f, 1f);     // 220 Hz
        synth.Cursors.Move(5, 0.5f, 0f, 1f);   // 311 Hz
        var audio = Render(synth, 0.5).AsSpan(Rate / 10);

        double low = Spectrum.Magnitude(audio, 220, Rate), high = Spectrum.Magnitude(audio, 311.13, Rate), between = Spectrum.Magnitude(audio, 265, Rate);
        Assert.True(low > 0.8 * Gain && high > 0.8 * Gain, $"220 Hz: {low}, 311 Hz: {high}");
        Assert.True(between < 0.01, $"265 Hz: {between}");
        Assert.Equal(2, synth.SoundingVoices);
    }

    [Fact]
    public void SameGestureSameSamples()
    {
        var gesture = new Gesture([new(0, 0, -1f, 0f, 1f), new(0.1, 1, 1f, 0f, 0.5f), new(0.2, 0, 0.5f, 0f, 0.8f), new(0.3, 0, 0f, 0f, 0f)]);
        float[] Once()
        {
            using var synth = NewSynth();
            return OfflineRenderer.Render(synth, gesture, tailSeconds: 0.5);
        }
        var first = Once();
        Assert.Equal(first, Once());
        Assert.True(Spectrum.Peak(first) > 0.1f);
    }

    [Fact]
    public void RenderingAllocatesNothingAfterWarmUp()
    {
        using var synth = NewSynth();
        var block = new float[128];
        for (int i = 0; i < 16; i++) synth.Cursors.Move(i, i * 0.1f, 0f, 0.5f);
        for (int i = 0; i < 50; i++) synth.Render(block);

        Assert.Equal(0, Allocations.Of(() =>
        {
            for (int i = 0; i < 200; i++)
            {
                synth.Cursors.Move(i % 16, i * 0.01f, 0f, 0.7f);
                if (i % 50 == 0) synth.Cursors.Release((i / 50) % 16);
                synth.Render(block);
            }
        }));
    }

    [Fact]
    public void AJumpAcrossThePlaneGlidesInsteadOfClicking()
    {
        using var synth = NewSynth();
        synth.Cursors.Move(0, -1f, 0f, 1f);
        var before = Render(synth, 0.2);
        synth.Cursors.Move(0, 2f, 0f, 1f); // 110 Hz -> 880 Hz at once
        var after = Render(synth, 0.3);

        // A sine of amplitude a at f Hz moves at most 2π·f·a/rate per sample.
        float bound = 2 * MathF.PI * 880 * Gain / Rate * 1.1f;
        Assert.True(Spectrum.LargestStep([.. before, .. after]) <= bound, $"largest step {Spectrum.LargestStep([.. before, .. after])}, bound {bound}");
        Assert.True(Spectrum.Magnitude(after.AsSpan(Rate / 5), 880, Rate) > 0.8 * Gain, "the voice did not arrive at 880 Hz");
    }

    [Fact]
    public void NewWeightsWhilePlayingGlideInWithoutAJump()
    {
        var snapshots = new TerrainSnapshots(LinearTerrain.PitchAlongX());
        using var synth = new Synth(new SineAutoencoder(), snapshots);
        synth.Cursors.Move(0, 0f, 0f, 1f);
        var before = Render(synth, 0.2);
        snapshots.Publish(LinearTerrain.PitchAlongX(offset: 1f)); // the whole terrain an octave up
        var after = Render(synth, 0.3);

        float bound = 2 * MathF.PI * 440 * Gain / Rate * 1.1f;
        Assert.True(Spectrum.LargestStep([.. before, .. after]) <= bound);
        Assert.True(Spectrum.Magnitude(after.AsSpan(Rate / 5), 440, Rate) > 0.8 * Gain);
    }

    /// <summary>Another model, also one at another rate (resampled from then on), comes in without a click.</summary>
    [Theory]
    [InlineData(Rate)]
    [InlineData(44100)]
    public void AnotherModelCrossfadesInWithoutAJump(int incomingRate)
    {
        using var synth = NewSynth();
        synth.Cursors.Move(0, 0f, 0f, 1f);
        var before = new List<float>(Render(synth, 0.2));
        // Swap near a crest of the old voice, where cutting it would jump the furthest.
        var one = new float[1];
        do
        {
            synth.Render(one);
            before.Add(one[0]);
        } while (MathF.Abs(one[0]) < 0.2f);
        synth.Load(new SineAutoencoder(ratio: 256, sampleRate: incomingRate, octaveOffset: 0.5f), new TerrainSnapshots(LinearTerrain.PitchAlongX()));
        var after = Render(synth, 0.3);

        Assert.Equal((256, incomingRate), (synth.Model.Ratio, synth.Model.SampleRate));
        float bound = 2 * MathF.PI * 311 * Gain / Rate * 1.5f;
        float step = Spectrum.LargestStep([.. before, .. after]);
        Assert.True(step <= bound, $"largest step {step}, bound {bound}");
        var settled = after.AsSpan(Rate / 10);
        Assert.True(Spectrum.Magnitude(settled, 311.13, Rate) > 0.8 * Gain && Spectrum.Magnitude(settled, 220, Rate) < 0.01);
    }

    [Theory]
    [InlineData(44100)]
    [InlineData(96000)]
    public void A_model_at_another_rate_plays_at_its_own_pitch_at_the_synths_rate(int modelRate)
    {
        // 220 Hz at the model's rate: played without resampling it would come out at 220 * 48000 / modelRate.
        using var synth = new Synth(new SineAutoencoder(sampleRate: modelRate), new TerrainSnapshots(LinearTerrain.PitchAlongX()), new SynthSettings { SampleRate = Rate });
        synth.Cursors.Move(0, 0f, 0f, 1f);
        var settled = Render(synth, 0.5).AsSpan(Rate / 10);

        Assert.Equal(Rate, synth.SampleRate);
        Assert.Equal(220, Signals.Frequency(settled, Rate), 0.05);
        Assert.Equal(Gain, Spectrum.Magnitude(settled, 220, Rate), 0.01);
        Assert.InRange(synth.ResamplingDelaySeconds, 0.0005, 0.001);
    }

    [Fact]
    public void A_resampled_voice_is_the_voice_at_its_own_rate_resampled()
    {
        var gesture = new Gesture([new(0, 0, -1f, 0f, 1f), new(0.1, 1, 1f, 0f, 0.5f), new(0.2, 0, 0.5f, 0f, 0.8f), new(0.3, 0, 0f, 0f, 0f)]);
        using var own = new Synth(new SineAutoencoder(sampleRate: 44100), new TerrainSnapshots(LinearTerrain.PitchAlongX()), new SynthSettings { ReleaseSeconds = 0.05f });
        using var live = new Synth(new SineAutoencoder(sampleRate: 44100), new TerrainSnapshots(LinearTerrain.PitchAlongX()), new SynthSettings { ReleaseSeconds = 0.05f, SampleRate = Rate });
        // Events land on the first block after them, so both synths read cursors on a grid they share: 147 and 160 frames.
        float[] atOwnRate = OfflineRenderer.Render(own, gesture, 0.5, blockFrames: 147);
        float[] resampled = OfflineRenderer.Render(live, gesture, 0.5, blockFrames: 160);

        var expected = new float[resampled.Length];
        var resampler = new LatentTerrain.Engine.Audio.PolyphaseResampler(44100, Rate, 1, 160);
        for (int read = 0, written = 0; written < expected.Length; written += 160)
        {
            int needed = resampler.InputFramesFor(160);
            resampler.Process(atOwnRate.AsSpan(read, needed), expected.AsSpan(written, 160));
            read += needed;
        }
        Assert.True(Signals.MaxDifference(expected, resampled) < 1e-5, $"largest difference {Signals.MaxDifference(expected, resampled)}");
        Assert.True(Spectrum.Peak(resampled) > 0.1f);
    }

    [Fact]
    public void Rendering_a_resampled_model_allocates_nothing()
    {
        using var synth = new Synth(new SineAutoencoder(sampleRate: 44100), new TerrainSnapshots(LinearTerrain.PitchAlongX()), new SynthSettings { OutputChannels = 2, SampleRate = Rate });
        var block = new float[2 * 128];
        for (int i = 0; i < 16; i++) synth.Cursors.Move(i, i * 0.1f, 0f, 0.5f);
        for (int i = 0; i < 50; i++) synth.Render(block);

        Assert.Equal(0, Allocations.Of(() =>
        {
            for (int i = 0; i < 200; i++)
            {
                synth.Cursors.Move(i % 16, i * 0.01f, 0f, 0.7f);
                synth.Render(block);
            }
        }));
    }

    [Fact]
    public void SixteenVoicesInPhaseNeverClip()
    {
        using var synth = NewSynth();
        for (int i = 0; i < CursorBoard.Capacity; i++) synth.Cursors.Move(i, 0f, 0f, 1f);
        var audio = Render(synth, 0.5);
        float peak = Spectrum.Peak(audio);
        Assert.True(peak <= Limiter.Ceiling + 1e-6f, $"peak {peak}");
        Assert.True(peak > 0.9f, $"peak {peak}: the limiter should hold the mix at its ceiling, not mute it");
        Assert.True(Spectrum.LargestStep(audio) < 0.1f);
    }

    /// <summary>Once the mix is quiet again, the limiter lets it through untouched, not a hair's breadth below: a live take matches its render.</summary>
    [Fact]
    public void After_limiting_the_mix_comes_back_to_exactly_unity()
    {
        var limiter = new Limiter(Rate);
        limiter.Process(Enumerable.Repeat(2f, 480).ToArray(), 1);
        Assert.Equal(Limiter.Ceiling / 2f, limiter.Gain, 1e-6f);

        limiter.Process(Enumerable.Repeat(0.1f, 2 * Rate).ToArray(), 1);   // 20 release time constants
        var after = Enumerable.Repeat(0.1f, 100).ToArray();
        limiter.Process(after, 1);

        Assert.Equal(1f, limiter.Gain);
        Assert.All(after, sample => Assert.Equal(0.1f, sample));
    }

    [Fact]
    public void ALiftedCursorReleasesToSilence()
    {
        using var synth = NewSynth(settings: new SynthSettings { ReleaseSeconds = 0.1f });
        synth.Cursors.Move(3, 0f, 0f, 1f);
        Render(synth, 0.1);
        synth.Cursors.Release(3);
        var release = Render(synth, 0.2);

        Assert.True(Spectrum.Peak(release.AsSpan(0, Rate / 50)) > 0.1f);
        Assert.Equal(0f, Spectrum.Peak(release.AsSpan((int)(0.11 * Rate))));
        Assert.Equal(0, synth.SoundingVoices);
    }

    [Fact]
    public void EventsTakeEffectAtTheFirstBlockAfterThem()
    {
        using var synth = NewSynth(settings: new SynthSettings { AttackSeconds = 0f });
        var audio = OfflineRenderer.Render(synth, new Gesture([new(0.01, 0, 0f, 0f, 1f)]), seconds: 0.05);
        int firstBlockAfter = (int)Math.Ceiling(0.01 * Rate / 128) * 128; // 512
        Assert.Equal(0f, Spectrum.Peak(audio.AsSpan(0, firstBlockAfter)));
        Assert.True(Spectrum.Peak(audio.AsSpan(firstBlockAfter, 64)) > 0f);
    }

    /// <summary>
    /// A model that throws on some frames and returns NaN on others: those frames play as silence,
    /// later frames play on, the output stays finite, and the faults are told.
    /// </summary>
    [Fact]
    public void AFailingDecoderSilencesItsFramesAndTheSynthPlaysOn()
    {
        using var synth = new Synth(new FaultyAutoencoder(new SineAutoencoder()), new TerrainSnapshots(LinearTerrain.PitchAlongX()));
        synth.Cursors.Move(0, 0f, 0f, 1f);
        var audio = Render(synth, 0.5);

        Assert.All(audio, sample => Assert.True(float.IsFinite(sample)));
        // Two frames of five are silent and each failure restarts the decoder (its sine from phase 0
        // and level 0), so the tone is no longer a clean 220 Hz: its level tells that the rest sounds.
        double rms = Spectrum.Rms(audio);
        Assert.True(rms > 0.3 * Gain / Math.Sqrt(2), $"the frames that decoded should still sound: RMS {rms}, a steady tone's {Gain / Math.Sqrt(2)}");
        Assert.True(synth.Faults.Count >= 2 * (0.5 * Rate / 64 / FaultyAutoencoder.Every) - 2, $"{synth.Faults.Count} faults");
        Assert.Contains(synth.Faults.Last, new[] { FaultyAutoencoder.Message, "the decoder returned NaN or infinite samples; the frame was silenced" });
    }

    /// <summary>
    /// A model broken for good (it throws on every frame) is asked at most
    /// <see cref="Voice.MutedAfterFailures"/> times per note, not at every frame on the synth thread;
    /// the performer is told the voice is silent, and the next note tries the model again.
    /// </summary>
    [Fact]
    public void A_decoder_failing_on_every_frame_is_left_alone_until_the_next_note()
    {
        var broken = new BrokenAutoencoder(new SineAutoencoder());
        using var synth = new Synth(broken, new TerrainSnapshots(LinearTerrain.PitchAlongX()));
        synth.Cursors.Move(0, 0f, 0f, 1f);
        var audio = Render(synth, 0.5);

        Assert.Equal(Voice.MutedAfterFailures, broken.Calls);
        Assert.Equal(0f, Spectrum.Peak(audio));
        Assert.Equal($"the decoder failed on {Voice.MutedAfterFailures} frames in a row: that voice is silent until its next note", synth.Faults.Last);

        synth.Cursors.Release(0);
        Render(synth, 0.5);
        synth.Cursors.Move(0, 0f, 0f, 1f);
        Render(synth, 0.5);
        Assert.Equal(2 * Voice.MutedAfterFailures, broken.Calls);
    }

    /// <summary>
    /// A streaming model whose cached state turns NaN (as a cached convolution does once a NaN goes
    /// through it) would return NaN for ever: the failed frame resets it, and the note sounds again.
    /// </summary>
    [Fact]
    public void A_decoder_whose_state_turns_NaN_is_reset_and_sounds_again()
    {
        using var synth = new Synth(new PoisonedAutoencoder(new SineAutoencoder()), new TerrainSnapshots(LinearTerrain.PitchAlongX()));
        synth.Cursors.Move(0, 0f, 0f, 1f);
        var audio = Render(synth, 0.5);

        Assert.All(audio, sample => Assert.True(float.IsFinite(sample)));
        Assert.Equal(1, synth.Faults.Count);
        Assert.True(Spectrum.Magnitude(audio.AsSpan(audio.Length / 2), 220, Rate) > 0.8 * Gain, "the note after the reset should sound");
    }

    /// <summary>
    /// Eight notes of a model of frame 2048 started in one 128-frame block (a chord), and the same
    /// eight held through a swap to another model: once all eight sound, no block decodes more than
    /// one frame, where without spreading every 16th
    /// block would decode all eight (a heavy model's underrun at every frame).
    /// </summary>
    [Fact]
    public void Voices_started_together_decode_their_frames_in_different_blocks()
    {
        var first = new CountingAutoencoder(new SineAutoencoder(ratio: 2048));
        using var synth = new Synth(first, new TerrainSnapshots(LinearTerrain.PitchAlongX()));
        var block = new float[128];
        // Frames decoded in each block from the one where all eight sound on (a model the synth
        // thinks slow, a first call's compilation in its timing, starts them over a few blocks).
        int[] DecodesOnceAllSound(CountingAutoencoder model)
        {
            var decodes = new List<int>();
            for (int b = 0; b < 20 && synth.SoundingVoices < 8; b++) synth.Render(block);
            Assert.Equal(8, synth.SoundingVoices);
            for (int b = 0; b < 16 * 8; b++)
            {
                int before = model.Calls;
                synth.Render(block);
                decodes.Add(model.Calls - before);
            }
            return [.. decodes];
        }

        for (int i = 0; i < 8; i++) synth.Cursors.Move(i, -1f + 0.25f * i, 0f, 0.5f);
        int[] chord = DecodesOnceAllSound(first);
        Assert.Equal(1, chord.Max());
        Assert.InRange(chord.Sum(), 8 * 7, 8 * 8);   // each voice a frame every 2048 samples: 7 or 8 in these 8 frames' time

        var second = new CountingAutoencoder(new SineAutoencoder(ratio: 2048, octaveOffset: 0.5f));
        synth.Load(second, new TerrainSnapshots(LinearTerrain.PitchAlongX()));
        synth.Render(block);   // the swap: the new model takes the held notes over
        int[] swapped = DecodesOnceAllSound(second);
        Assert.Equal(1, swapped.Max());
        var audio = Render(synth, 0.5);
        Assert.True(Spectrum.Magnitude(audio, SineAutoencoder.Frequency(-1f + 0.5f), Rate) > 0.5 * Gain / 8, "the swapped-in chord does not sound");
    }

    /// <summary>
    /// A model that takes over a millisecond a frame: a chord of eight starts over a few blocks of
    /// 2.7 ms, never more first frames in one than fit in its time, instead of eight in one block
    /// (an underrun with a queue of two blocks); each note still starts within a few milliseconds.
    /// </summary>
    [Fact]
    public void A_chord_of_a_slow_model_starts_over_a_few_blocks()
    {
        using var synth = new Synth(new SlowAutoencoder(new SineAutoencoder(ratio: 2048)), new TerrainSnapshots(LinearTerrain.PitchAlongX()), new SynthSettings { RealTime = true });
        var block = new float[128];
        // A note first: the synth learns how long the model takes.
        synth.Cursors.Move(15, 1f, 0f, 0.5f);
        for (int b = 0; b < 4; b++) synth.Render(block);

        for (int i = 0; i < 8; i++) synth.Cursors.Move(i, -1f + 0.25f * i, 0f, 0.5f);
        var sounding = new List<int> { synth.SoundingVoices };
        while (sounding[^1] < 9 && sounding.Count < 20)
        {
            synth.Render(block);
            sounding.Add(synth.SoundingVoices);
        }

        var started = sounding.Zip(sounding.Skip(1), (before, after) => after - before).ToArray();
        Assert.Equal(9, sounding[^1]);
        Assert.All(started, count => Assert.InRange(count, 1, 2));
    }

    /// <summary>
    /// Eight notes held through a swap to a model that takes over a millisecond a frame: the new
    /// model takes them over one or two per block (its time measured where its voices were made),
    /// not eight first frames in the swap's block; all eight sound on.
    /// </summary>
    [Fact]
    public void Notes_held_through_a_swap_to_a_slow_model_are_taken_over_a_few_per_block()
    {
        using var synth = new Synth(new SineAutoencoder(ratio: 2048), new TerrainSnapshots(LinearTerrain.PitchAlongX()), new SynthSettings { RealTime = true });
        var block = new float[128];
        for (int i = 0; i < 8; i++) synth.Cursors.Move(i, -1f + 0.25f * i, 0f, 0.5f);
        for (int b = 0; b < 4; b++) synth.Render(block);

        synth.Load(new SlowAutoencoder(new SineAutoencoder(ratio: 2048, octaveOffset: 0.5f)), new TerrainSnapshots(LinearTerrain.PitchAlongX()));
        var sounding = new List<int> { 0 };
        while (sounding[^1] < 8 && sounding.Count < 20)
        {
            synth.Render(block);
            sounding.Add(synth.SoundingVoices);
        }

        var started = sounding.Zip(sounding.Skip(1), (before, after) => after - before).ToArray();
        Assert.Equal(8, sounding[^1]);
        Assert.All(started, count => Assert.InRange(count, 1, 2));
        // Each note at its pitch on the new model (half an octave up), at pressure 0.5, the limiter holding the eight.
        var settled = Render(synth, 0.3).AsSpan(Rate / 10);
        for (int i = 0; i < 8; i++)
        {
            double magnitude = Spectrum.Magnitude(settled, SineAutoencoder.Frequency(-0.5f + 0.25f * i), Rate);
            Assert.True(magnitude > 0.3 * 0.5 * Gain, $"note {i} was lost in the swap: {magnitude}");
        }
    }

    /// <summary>Takes at least a millisecond for each frame.</summary>
    private sealed class SlowAutoencoder(IAutoencoder inner) : SpoilingAutoencoder(inner)
    {
        protected override void After(Span<float> audio) => Thread.Sleep(1);
    }

    /// <summary>Counts the frames its decoders decode.</summary>
    private sealed class CountingAutoencoder(IAutoencoder inner) : SpoilingAutoencoder(inner)
    {
        public int Calls;
        protected override void After(Span<float> audio) => Calls++;
    }

    /// <summary>Throws on every frame, and counts the frames it was asked for.</summary>
    private sealed class BrokenAutoencoder(IAutoencoder inner) : SpoilingAutoencoder(inner)
    {
        public int Calls;
        protected override void After(Span<float> audio)
        {
            Calls++;
            throw new InvalidOperationException("broken for good");
        }
    }

    /// <summary>From its 10th frame on returns NaN, until it is reset: a state gone bad.</summary>
    private sealed class PoisonedAutoencoder(IAutoencoder inner) : SpoilingAutoencoder(inner)
    {
        private int _frames;
        private bool _poisoned;
        protected override void After(Span<float> audio)
        {
            if (++_frames == 10) _poisoned = true;
            if (_poisoned) audio.Fill(float.NaN);
        }
        protected override void OnReset() => _poisoned = false;
    }

    /// <summary>Wraps a model: every <see cref="Every"/>th frame throws, and the one after returns NaN.</summary>
    private sealed class FaultyAutoencoder(IAutoencoder inner) : SpoilingAutoencoder(inner)
    {
        public const int Every = 5;
        public const string Message = "the model failed on purpose";
        private int _frames;

        protected override void After(Span<float> audio)
        {
            int frame = _frames++;
            if (frame % Every == 1) throw new InvalidOperationException(Message);
            if (frame % Every == 2) audio[7] = float.NaN;
        }
    }
}
