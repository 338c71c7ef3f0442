namespace LatentTerrain.Engine.Synthesis;

/// <summary>How the synth shapes each voice and the mix.</summary>
public sealed record SynthSettings
{
    /// <summary>Time constant with which a voice's latent follows its cursor's target (0 = jump; the decoder still interpolates within a frame).</summary>
    public float GlideSeconds { get; init; } = 0.03f;
    /// <summary>Fade-in of a new voice.</summary>
    public float AttackSeconds { get; init; } = 0.005f;
    /// <summary>Fade-out after its cursor lifts.</summary>
    public float ReleaseSeconds { get; init; } = 0.25f;
    /// <summary>Per-voice gain before the mix: -6 dB, so a few voices stay clear of the limiter, which holds any number of them below full scale.</summary>
    public float VoiceGain { get; init; } = 0.5f;
    /// <summary>How gain changes (pressure) are smoothed, so they never zipper.</summary>
    public float GainSmoothingSeconds { get; init; } = 0.005f;
    /// <summary>Crossfade when the autoencoder or the terrain's shape is replaced while playing.</summary>
    public float CrossfadeSeconds { get; init; } = 0.05f;
    /// <summary>Output channels; a mono model is copied to each.</summary>
    public int OutputChannels { get; init; } = 1;
    /// <summary>
    /// The rate the synth renders at (the device's), or null for the model's own. A model at another
    /// rate is resampled live, each voice bank on its own (Audio/PolyphaseResampler), so a 44.1 kHz
    /// model plays on a 48 kHz device and crossfades with a 48 kHz one.
    /// </summary>
    public int? SampleRate { get; init; }
    /// <summary>
    /// Whether the synth plays against a clock (the live instrument): then a chord starts as many
    /// notes in a block as the model's decoding time, measured as it plays, fits in (DecodeCost),
    /// and the rest in the next blocks. Off for offline rendering, which has time for any chord and
    /// must come out the same every run.
    /// </summary>
    public bool RealTime { get; init; }

    public void Validate()
    {
        static void Check(bool ok, string message)
        {
            if (!ok) throw new ArgumentException(message);
        }
        Check(GlideSeconds is >= 0f and <= 10f, $"glide must be 0..10 s, not {GlideSeconds}");
        Check(AttackSeconds is >= 0f and <= 10f, $"attack must be 0..10 s, not {AttackSeconds}");
        Check(ReleaseSeconds is >= 0f and <= 30f, $"release must be 0..30 s, not {ReleaseSeconds}");
        Check(VoiceGain is > 0f and <= 1f, $"voice gain must be in (0, 1], not {VoiceGain}");
        Check(GainSmoothingSeconds is >= 0f and <= 1f, $"gain smoothing must be 0..1 s, not {GainSmoothingSeconds}");
        Check(CrossfadeSeconds is >= 0f and <= 5f, $"crossfade must be 0..5 s, not {CrossfadeSeconds}");
        Check(OutputChannels is >= 1 and <= 32, $"output channels must be 1..32, not {OutputChannels}");
        Check(SampleRate is null or (>= 8000 and <= 384000), $"sample rate must be 8000..384000 Hz, not {SampleRate}");
    }
}
