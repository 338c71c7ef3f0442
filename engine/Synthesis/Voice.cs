using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Numerics.Tensors;
using LatentTerrain.Models;

namespace LatentTerrain.Engine.Synthesis;

/// <summary>
/// One cursor's sound: a latent that glides toward the terrain's value under the cursor, a
/// streaming decoder of its own, an envelope and a smoothed gain. It decodes a latent frame
/// whenever the previous one has been played, so the synth's block size is free of the model's ratio.
/// </summary>
internal sealed class Voice : IDisposable
{
    private readonly IStreamingDecoder _decoder;
    private readonly DecoderFaults _faults;
    private readonly DecodeCost _cost;
    private readonly int _ratio, _channels;
    private readonly float[] _latent, _target;
    private readonly float[] _frame;   // the decoded frame, planar [channel, Ratio]
    private int _position;             // next sample of _frame to play; Ratio = empty
    private int _skip;                 // samples of the next decoded frame not to play (a new note's first frame only)
    private readonly float _glide, _attackStep, _releaseStep, _gainCoefficient, _voiceGain;
    private float _envelope, _gain, _targetGain;
    private bool _gate, _hasTarget;
    private int _failures;             // frames in a row the decoder failed on

    /// <summary>
    /// Frames in a row a decoder may fail on before its voice stops asking it until the next note:
    /// a model broken for good would otherwise throw on the synth thread at every frame.
    /// </summary>
    public const int MutedAfterFailures = 8;

    public Voice(IAutoencoder model, SynthSettings settings, DecoderFaults faults, DecodeCost cost)
    {
        _decoder = model.CreateDecoder();
        _faults = faults;
        _cost = cost;
        _ratio = model.Ratio;
        _channels = model.Channels;
        _latent = new float[model.LatentSize];
        _target = new float[model.LatentSize];
        _frame = new float[_ratio * _channels];
        _position = _ratio;
        float rate = model.SampleRate;
        _glide = settings.GlideSeconds <= 0f ? 1f : 1f - MathF.Exp(-_ratio / (settings.GlideSeconds * rate));
        _attackStep = settings.AttackSeconds <= 0f ? 1f : 1f / (settings.AttackSeconds * rate);
        _releaseStep = settings.ReleaseSeconds <= 0f ? 1f : 1f / (settings.ReleaseSeconds * rate);
        _gainCoefficient = settings.GainSmoothingSeconds <= 0f ? 1f : 1f - MathF.Exp(-1f / (settings.GainSmoothingSeconds * rate));
        _voiceGain = settings.VoiceGain;
    }

    /// <summary>Whether the voice makes sound: held, or still releasing.</summary>
    public bool Sounding => _gate || _envelope > 0f;

    /// <summary>
    /// Opens or closes the gate. A voice that starts from silence starts from a fresh decoder state,
    /// at once, playing its first frame from sample <paramref name="firstFrameSkip"/> on (see
    /// <see cref="DecodePhase"/>; 0 plays it whole).
    /// </summary>
    public void SetGate(bool gate, float gain, int firstFrameSkip = 0)
    {
        if (gate && !Sounding)
        {
            _decoder.Reset();
            _position = _ratio;
            _skip = Math.Clamp(firstFrameSkip, 0, _ratio - 1);
            _hasTarget = false;
            _gain = gain;
            _failures = 0;
        }
        _gate = gate;
        if (gate) _targetGain = gain;
    }

    /// <summary>
    /// How long the decoder takes for a frame of silence, in Stopwatch ticks, leaving it as it was
    /// made; null when it fails (the voice's fault handling meets that while playing). Off the synth thread.
    /// </summary>
    public long? TimeOneFrame()
    {
        long start = Stopwatch.GetTimestamp();
        try
        {
            _decoder.Decode(new float[_latent.Length], _frame);
            return Stopwatch.GetTimestamp() - start;
        }
        catch (Exception)
        {
            return null;
        }
        finally
        {
            Array.Clear(_frame);
            _decoder.Reset();
        }
    }

    /// <summary>
    /// When this voice decodes its frames from now on, in samples from the next one rendered, modulo
    /// the model's ratio (a new note's first frame, due at once, aside).
    /// </summary>
    public int DecodePhase => (_ratio - (_position == _ratio ? _skip : _position)) % _ratio;

    /// <summary>
    /// Takes over the audible state of <paramref name="other"/> (a voice of the model being replaced),
    /// playing its first frame from sample <paramref name="firstFrameSkip"/> on, as <see cref="SetGate"/>.
    /// </summary>
    public void Follow(Voice other, int firstFrameSkip)
    {
        _skip = Math.Clamp(firstFrameSkip, 0, _ratio - 1);
        _gate = other._gate;
        _envelope = other._envelope;
        _gain = other._gain;
        _targetGain = other._targetGain;
    }

    public void SetTarget(ReadOnlySpan<float> target)
    {
        target.CopyTo(_target);
        if (!_hasTarget)
        {
            // A new note starts on its own latent instead of gliding in from wherever the voice last was.
            target.CopyTo(_latent);
            _hasTarget = true;
        }
    }

    /// <summary>
    /// Adds <paramref name="frames"/> samples of this voice to the interleaved mix, scaled by a fade
    /// that starts at <paramref name="fade"/> and moves by <paramref name="fadeStep"/> per sample.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Render(Span<float> mix, int frames, int outputChannels, float fade, float fadeStep)
    {
        for (int t = 0; t < frames; t++)
        {
            if (_position == _ratio) DecodeNextFrame();
            if (_gate) _envelope = MathF.Min(1f, _envelope + _attackStep);
            else _envelope = MathF.Max(0f, _envelope - _releaseStep);
            _gain += (_targetGain - _gain) * _gainCoefficient;
            float level = _envelope * _gain * _voiceGain * (fade + t * fadeStep);
            int row = t * outputChannels;
            for (int c = 0; c < outputChannels; c++)
                mix[row + c] += level * _frame[(c % _channels) * _ratio + _position];
            _position++;
            if (!Sounding) return;
        }
    }

    private void DecodeNextFrame()
    {
        for (int i = 0; i < _latent.Length; i++) _latent[i] += (_target[i] - _latent[i]) * _glide;
        _position = _skip;
        _skip = 0;
        if (_failures >= MutedAfterFailures) return;   // _frame stays silent until the next note
        string? failure;
        long start = Stopwatch.GetTimestamp();
        try
        {
            _decoder.Decode(_latent, _frame);
            // Sums to NaN or infinity exactly when some sample is not finite (or absurdly loud).
            failure = float.IsFinite(TensorPrimitives.Sum<float>(_frame)) ? null : NotFinite;
        }
        catch (Exception e)
        {
            failure = e.Message;
        }
        _cost.Observe(Stopwatch.GetTimestamp() - start);
        if (failure == null)
        {
            _failures = 0;
            return;
        }
        // A model that fails on one frame must not stop every voice: this frame is silence, and the
        // decoder starts afresh, since a NaN in a streaming model's cached state would poison every
        // frame after it.
        Array.Clear(_frame);
        _failures++;
        _faults.Report(_failures >= MutedAfterFailures ? MutedMessage : failure);
        try
        {
            _decoder.Reset();
        }
        catch (Exception e)
        {
            _faults.Report(e.Message);
        }
    }

    private const string NotFinite = "the decoder returned NaN or infinite samples; the frame was silenced";
    private static readonly string MutedMessage = $"the decoder failed on {MutedAfterFailures} frames in a row: that voice is silent until its next note";

    public void Dispose() => _decoder.Dispose();
}
