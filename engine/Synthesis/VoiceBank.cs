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
        for (int i = 0; i < Voices.Length; i++) Voices[i] = new Voice(model, settings, faults);
        if (model.SampleRate != sampleRate)
        {
            _resampler = new PolyphaseResampler(model.SampleRate, sampleRate, settings.OutputChannels, ResampledChunkFrames);
            _modelRateMix = new float[_resampler.MaxInputFrames * settings.OutputChannels];
            _resampled = new float[ResampledChunkFrames * settings.OutputChannels];
        }
    }

    public double ResamplingDelaySeconds => _resampler?.DelaySeconds ?? 0;

    /// <summary>Gates the voices from the cursors and gives every sounding voice the terrain's latent under its cursor, in one batch.</summary>
    public void Update(ReadOnlySpan<Cursor> cursors)
    {
        int dims = _evaluator.Config.InputDims, size = _evaluator.Config.LatentSize, count = 0;
        for (int i = 0; i < Voices.Length; i++)
        {
            var voice = Voices[i];
            voice.SetGate(cursors[i].Active, cursors[i].Gain);
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
