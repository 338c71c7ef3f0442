using LatentTerrain.Engine.Terrain;
using LatentTerrain.Models;

namespace LatentTerrain.Engine.Synthesis;

/// <summary>
/// Turns cursors into audio: every block it reads the cursor board, evaluates the terrain for all
/// sounding cursors in one batch, lets each voice glide toward its latent and decode, mixes the
/// voices and limits the mix. The same object serves the real-time synth thread and offline
/// rendering, so a render is what a performance sounds like.
/// </summary>
/// <remarks>
/// Real-time contract: <see cref="Render"/> allocates nothing, takes no lock and never waits.
/// <see cref="Load"/> (another thread) builds a new voice bank and hands it over by reference; the
/// synth crossfades to it at the next block and leaves the old bank for <see cref="Load"/> or
/// <see cref="Dispose"/> to free, so no native model is ever released on the audio thread.
/// </remarks>
public sealed class Synth : IDisposable
{
    private readonly SynthSettings _settings;
    private readonly Cursor[] _cursors = new Cursor[CursorBoard.Capacity];
    private readonly Limiter _limiter;
    private readonly int _crossfadeSamples;
    private VoiceBank _bank;
    private VoiceBank? _pending;   // written by Load, taken by Render
    private VoiceBank? _fading;    // the bank being crossfaded out
    private VoiceBank? _retired;   // faded out, waiting to be disposed off the audio thread
    private int _fadePosition;
    private readonly object _loadLock = new();
    private Clip? _clip;           // a sound played as it is, over the voices (a fragment heard against its path)

    /// <summary>Interleaved frames at the synth's rate and channels, and how far they have played (the synth thread's).</summary>
    private sealed class Clip(float[] frames)
    {
        public readonly float[] Frames = frames;
        public int Position;
    }

    public CursorBoard Cursors { get; }

    /// <summary>Frames the decoders failed on (played as silence), and what the newest failure said.</summary>
    public DecoderFaults Faults { get; } = new();
    public int SampleRate { get; }
    public int OutputChannels => _settings.OutputChannels;

    public Synth(IAutoencoder model, TerrainSnapshots terrain, SynthSettings? settings = null, CursorBoard? cursors = null)
    {
        _settings = settings ?? new SynthSettings();
        _settings.Validate();
        SampleRate = _settings.SampleRate ?? model.SampleRate;
        Cursors = cursors ?? new CursorBoard();
        _bank = new VoiceBank(model, terrain, _settings, SampleRate, Faults);
        _limiter = new Limiter(SampleRate);
        _crossfadeSamples = Math.Max(1, (int)(_settings.CrossfadeSeconds * SampleRate));
    }

    /// <summary>The autoencoder playing now (or fading in).</summary>
    public IAutoencoder Model => (Volatile.Read(ref _pending) ?? _bank).Model;

    /// <summary>Voices sounding now, held or releasing.</summary>
    public int SoundingVoices => _bank.SoundingVoices;

    /// <summary>Whether the limiter is holding the mix down (or not yet back at unity from doing so).</summary>
    public bool Limiting => _limiter.Gain < 1f;

    /// <summary>How much later than its cursors the playing model sounds because it is resampled to the synth's rate; 0 at its own rate.</summary>
    public double ResamplingDelaySeconds => (Volatile.Read(ref _pending) ?? _bank).ResamplingDelaySeconds;

    /// <summary>
    /// Replaces the autoencoder and the terrain (for example another model, or a terrain of another
    /// shape) with a crossfade; a model at another rate is resampled. Call it from any thread but the
    /// audio thread: it allocates. New weights of the same terrain need no Load: publish them to its
    /// <see cref="TerrainSnapshots"/>.
    /// </summary>
    public void Load(IAutoencoder model, TerrainSnapshots terrain)
    {
        var bank = new VoiceBank(model, terrain, _settings, SampleRate, Faults);
        lock (_loadLock)
        {
            Interlocked.Exchange(ref _pending, bank)?.Dispose();
            Interlocked.Exchange(ref _retired, null)?.Dispose();
        }
    }

    /// <summary>
    /// Plays <paramref name="interleaved"/> (frames at <see cref="SampleRate"/>, <see cref="OutputChannels"/>
    /// interleaved) once over the voices from the next block, replacing a clip still playing; null stops it.
    /// </summary>
    public void PlayClip(float[]? interleaved)
    {
        if (interleaved != null && interleaved.Length % OutputChannels != 0) throw new ArgumentException("the clip holds a partial frame");
        Volatile.Write(ref _clip, interleaved == null ? null : new Clip(interleaved));
    }

    /// <summary>Whether a clip is playing.</summary>
    public bool PlayingClip => Volatile.Read(ref _clip) != null;

    /// <summary>Renders <paramref name="output"/>.Length / OutputChannels frames, interleaved, into <paramref name="output"/>.</summary>
    public void Render(Span<float> output)
    {
        int channels = _settings.OutputChannels;
        if (output.Length % channels != 0) throw new ArgumentException("the output holds a partial frame");
        int frames = output.Length / channels;
        output.Clear();

        double blockSeconds = (double)frames / SampleRate;
        if (_fading == null && Volatile.Read(ref _pending) is not null)
        {
            var incoming = Interlocked.Exchange(ref _pending, null)!;
            incoming.Follow(_bank, blockSeconds);
            _fading = _bank;
            _bank = incoming;
            _fadePosition = 0;
        }

        // A cursor caught mid-write keeps its previous value for this block; it is read again next block.
        for (int i = 0; i < _cursors.Length; i++)
            if (Cursors.TryRead(i, out var cursor)) _cursors[i] = cursor;
        _bank.Update(_cursors, blockSeconds);
        if (_fading == null)
        {
            _bank.Render(output, frames, channels);
        }
        else
        {
            // A linear crossfade, sample by sample; it ends within this block or a later one.
            _fading.Update(_cursors, blockSeconds);
            float step = 1f / _crossfadeSamples;
            int fadingFrames = Math.Min(frames, _crossfadeSamples - _fadePosition);
            float fadeIn = _fadePosition * step;
            _bank.Render(output[..(fadingFrames * channels)], fadingFrames, channels, fadeIn, step);
            _fading.Render(output[..(fadingFrames * channels)], fadingFrames, channels, 1f - fadeIn, -step);
            if (fadingFrames < frames) _bank.Render(output[(fadingFrames * channels)..], frames - fadingFrames, channels);
            _fadePosition += fadingFrames;
            if (_fadePosition >= _crossfadeSamples)
            {
                Volatile.Write(ref _retired, _fading);
                _fading = null;
            }
        }
        if (Volatile.Read(ref _clip) is { } clip)
        {
            int count = Math.Min(output.Length, clip.Frames.Length - clip.Position);
            var from = clip.Frames.AsSpan(clip.Position, count);
            for (int i = 0; i < count; i++) output[i] += from[i];
            clip.Position += count;
            if (clip.Position >= clip.Frames.Length) Interlocked.CompareExchange(ref _clip, null, clip);
        }
        _limiter.Process(output, channels);
    }

    public void Dispose()
    {
        _bank.Dispose();
        _fading?.Dispose();
        _pending?.Dispose();
        _retired?.Dispose();
    }
}
