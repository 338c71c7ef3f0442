using LatentTerrain.Engine.Audio;
using LatentTerrain.Engine.Terrain;
using LatentTerrain.Models;

namespace LatentTerrain.Engine.Synthesis;

/// <summary>
/// What one sound needs: an autoencoder, the terrain that drives it, an evaluator for that
/// terrain's shape, one voice per cursor slot and, for a model at another rate than the synth's,
/// a resampler of their mix. Built off the audio thread (it allocates), then handed to the synth
/// whole, so replacing a model or a terrain's shape is one reference swap.
/// </summary>
internal sealed class VoiceBank : IDisposable
{
    public IAutoencoder Model { get; }
    public TerrainSnapshots Terrain { get; }
    public Voice[] Voices { get; }
    private readonly TerrainEvaluator _evaluator;
    private readonly float[] _coordinates, _targets;
    private readonly int[] _sounding = new int[CursorBoard.Capacity];
    private readonly DecodeCost _cost = new();
    private readonly bool _realTime;
    private int _startedByFollow;   // notes Follow started in the block whose Update comes next
    private readonly PolyphaseResampler? _resampler;
    private readonly float[] _modelRateMix = [], _resampled = [];

    /// <summary>Output frames resampled at a time, so any block size works with buffers made up front.</summary>
    private const int ResampledChunkFrames = 256;

    public VoiceBank(IAutoencoder model, TerrainSnapshots terrain, SynthSettings settings, int sampleRate, DecoderFaults faults)
    {
        TerrainConfig config;
        using (var lease = terrain.Acquire()) config = lease.Network.Config;
        if (config.LatentSize != model.LatentSize)
            throw new ArgumentException($"the terrain makes {config.LatentSize} latents but {model.Name} takes {model.LatentSize}");
        Model = model;
        Terrain = terrain;
        _evaluator = new TerrainEvaluator(config, CursorBoard.Capacity);
        _coordinates = new float[CursorBoard.Capacity * config.InputDims];
        _targets = new float[CursorBoard.Capacity * config.LatentSize];
        Voices = new Voice[CursorBoard.Capacity];
        for (int i = 0; i < Voices.Length; i++) Voices[i] = new Voice(model, settings, faults, _cost);
        _realTime = settings.RealTime;
        // The model's time a frame, known before the first chord or the notes held through a swap to it.
        if (_realTime && Voices[0].TimeOneFrame() is long ticks) _cost.Observe(ticks);
        if (model.SampleRate != sampleRate)
        {
            _resampler = new PolyphaseResampler(model.SampleRate, sampleRate, settings.OutputChannels, ResampledChunkFrames);
            _modelRateMix = new float[_resampler.MaxInputFrames * settings.OutputChannels];
            _resampled = new float[ResampledChunkFrames * settings.OutputChannels];
        }
    }

    public double ResamplingDelaySeconds => _resampler?.DelaySeconds ?? 0;

    /// <summary>
    /// Gates the voices from the cursors and gives every sounding voice the terrain's latent under its
    /// cursor, in one batch. New notes start at once; in real time (SynthSettings.RealTime) as many
    /// as their first frames' decoding fits in a block of <paramref name="blockSeconds"/>
    /// (<see cref="DecodeCost"/>), the others at the next blocks, their cursors read again there.
    /// </summary>
    public void Update(ReadOnlySpan<Cursor> cursors, double blockSeconds)
    {
        int dims = _evaluator.Config.InputDims, size = _evaluator.Config.LatentSize, count = 0;
        int starts = _realTime ? _cost.FirstFramesPerBlock(blockSeconds) - _startedByFollow : int.MaxValue;
        _startedByFollow = 0;
        for (int i = 0; i < Voices.Length; i++)
        {
            var voice = Voices[i];
            if (cursors[i].Active && !voice.Sounding && starts-- <= 0) continue;
            voice.SetGate(cursors[i].Active, cursors[i].Gain, voice.Sounding ? 0 : FirstFrameSkip());
            if (!voice.Sounding) continue;
            _sounding[count] = i;
            _coordinates[count * dims] = cursors[i].X;
            if (dims > 1) _coordinates[count * dims + 1] = cursors[i].Y;
            count++;
        }
        if (count == 0) return;
        using (var lease = Terrain.Acquire())
        {
            // Another shape published into this terrain needs a new bank (Synth.Load); until then the voices keep their targets.
            if (lease.Network.Config != _evaluator.Config) return;
            _evaluator.Evaluate(lease.Network, _coordinates.AsSpan(0, count * dims), _targets);
        }
        for (int n = 0; n < count; n++) Voices[_sounding[n]].SetTarget(_targets.AsSpan(n * size, size));
    }

    /// <summary>
    /// Takes over the notes of the bank playing until now (another model crossfading in), their
    /// frames spread as new notes' are; in real time as many as their first frames fit in a block of
    /// <paramref name="blockSeconds"/>. Call <see cref="Update"/> next, for the same block: it starts
    /// no more in it, and the other held notes in the next blocks, a few milliseconds into the crossfade.
    /// </summary>
    public void Follow(VoiceBank playing, double blockSeconds)
    {
        int starts = _realTime ? _cost.FirstFramesPerBlock(blockSeconds) : int.MaxValue;
        for (int i = 0; i < Voices.Length && _startedByFollow < starts; i++)
        {
            if (!playing.Voices[i].Sounding) continue;
            Voices[i].Follow(playing.Voices[i], FirstFrameSkip());
            _startedByFollow++;
        }
    }

    /// <summary>
    /// Where a note starting now begins its first frame, so that its later frames are decoded as far
    /// from the other sounding voices' as can be: the middle of the widest gap between their decode
    /// phases (<see cref="Voice.DecodePhase"/>), or the whole first frame when that is as far. A note
    /// still starts at once; without this, voices started together (a chord, every held note after a
    /// model swap) decode their frames in the same block forever, and a model that takes a
    /// millisecond a frame needs eight in one 2.7 ms block for eight voices: an underrun at every frame.
    /// </summary>
    private int FirstFrameSkip()
    {
        int ratio = Model.Ratio, count = 0;
        Span<int> phases = stackalloc int[CursorBoard.Capacity];
        foreach (var voice in Voices)
            if (voice.Sounding) phases[count++] = voice.DecodePhase;
        if (count == 0) return 0;
        phases = phases[..count];
        // An insertion sort of at most 16: Span.Sort's first call makes its comparer, on this thread.
        for (int i = 1; i < count; i++)
        {
            int phase = phases[i], j = i;
            for (; j > 0 && phases[j - 1] > phase; j--) phases[j] = phases[j - 1];
            phases[j] = phase;
        }
        int gapStart = phases[^1], gap = phases[0] + ratio - phases[^1];
        for (int i = 1; i < count; i++)
        {
            if (phases[i] - phases[i - 1] > gap) (gapStart, gap) = (phases[i - 1], phases[i] - phases[i - 1]);
        }
        // Circular distance from phase 0 (a whole first frame) to the nearest voice.
        int nearestToZero = Math.Min(phases[0], ratio - phases[^1]);
        if (nearestToZero >= gap / 2) return 0;
        int middle = (gapStart + gap / 2) % ratio;
        return (ratio - middle) % ratio;
    }

    /// <summary>
    /// Adds <paramref name="frames"/> frames at the synth's rate to the interleaved mix, scaled by a
    /// fade that starts at <paramref name="fade"/> and moves by <paramref name="fadeStep"/> per frame.
    /// </summary>
    public void Render(Span<float> mix, int frames, int outputChannels, float fade = 1f, float fadeStep = 0f)
    {
        if (_resampler == null)
        {
            foreach (var voice in Voices)
                if (voice.Sounding) voice.Render(mix, frames, outputChannels, fade, fadeStep);
            return;
        }
        // The voices render at the model's rate, just as many frames as the resampler asks for; it
        // runs on silence too, so the stream keeps its clock while no voice sounds.
        for (int done = 0; done < frames;)
        {
            int chunk = Math.Min(ResampledChunkFrames, frames - done);
            var source = _modelRateMix.AsSpan(0, _resampler.InputFramesFor(chunk) * outputChannels);
            source.Clear();
            foreach (var voice in Voices)
                if (voice.Sounding) voice.Render(source, source.Length / outputChannels, outputChannels, 1f, 0f);
            var resampled = _resampled.AsSpan(0, chunk * outputChannels);
            _resampler.Process(source, resampled);
            for (int t = 0; t < chunk; t++)
            {
                float level = fade + (done + t) * fadeStep;
                int row = (done + t) * outputChannels;
                for (int c = 0; c < outputChannels; c++) mix[row + c] += level * resampled[t * outputChannels + c];
            }
            done += chunk;
        }
    }

    public int SoundingVoices
    {
        get
        {
            int count = 0;
            foreach (var voice in Voices)
                if (voice.Sounding) count++;
            return count;
        }
    }

    public void Dispose()
    {
        foreach (var voice in Voices) voice.Dispose();
    }
}
