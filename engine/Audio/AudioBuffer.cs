namespace LatentTerrain.Engine.Audio;

/// <summary>
/// Audio held in memory: planar float samples, channel after channel, each <see cref="Frames"/>
/// long, at one sample rate. The layout <see cref="Models.IAutoencoder"/> takes and gives.
/// </summary>
public sealed class AudioBuffer
{
    /// <summary>Silence: <paramref name="frames"/> zero samples in each channel.</summary>
    public AudioBuffer(int sampleRate, int channels, int frames)
        : this(sampleRate, channels, new float[checked(channels * Math.Max(frames, 0))])
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frames);
    }

    /// <summary>Wraps <paramref name="samples"/> (planar, not copied): its length is channels times frames.</summary>
    public AudioBuffer(int sampleRate, int channels, float[] samples)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Length % channels != 0)
            throw new ArgumentException($"{samples.Length} samples do not split into {channels} equal channels", nameof(samples));
        SampleRate = sampleRate;
        Channels = channels;
        Frames = samples.Length / channels;
        Samples = samples;
    }

    public int SampleRate { get; }
    public int Channels { get; }
    /// <summary>Samples per channel.</summary>
    public int Frames { get; }
    /// <summary>All samples, planar: channel c is <c>Samples[c * Frames .. (c + 1) * Frames]</c>.</summary>
    public float[] Samples { get; }

    public double Seconds => (double)Frames / SampleRate;

    public Span<float> Channel(int channel)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(channel);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(channel, Channels);
        return Samples.AsSpan(channel * Frames, Frames);
    }
}
