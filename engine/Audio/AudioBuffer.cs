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

    /// <summary>Planar audio from interleaved samples (frame after frame, as the synth and sound cards write them).</summary>
    public static AudioBuffer FromInterleaved(int sampleRate, int channels, ReadOnlySpan<float> interleaved)
    {
        var audio = new AudioBuffer(sampleRate, channels, interleaved.Length / channels);
        for (int c = 0; c < channels; c++)
        {
            var channel = audio.Channel(c);
            for (int t = 0; t < channel.Length; t++) channel[t] = interleaved[t * channels + c];
        }
        return audio;
    }

    /// <summary>The samples interleaved, frame after frame (as the synth and sound cards take them).</summary>
    public float[] ToInterleaved()
    {
        var interleaved = new float[Frames * Channels];
        for (int c = 0; c < Channels; c++)
        {
            var channel = Channel(c);
            for (int t = 0; t < channel.Length; t++) interleaved[t * Channels + c] = channel[t];
        }
        return interleaved;
    }

    /// <summary>
    /// The same audio with <paramref name="channels"/> channels: fewer by averaging every channel into
    /// each (a mono model hears the whole stereo image), more by repeating the channels in turn.
    /// </summary>
    public AudioBuffer MixTo(int channels)
    {
        if (channels == Channels) return this;
        var mixed = new AudioBuffer(SampleRate, channels, Frames);
        if (channels < Channels)
        {
            for (int c = 0; c < Channels; c++)
            {
                var target = mixed.Channel(c % channels);
                var source = Channel(c);
                // Each output channel averages the inputs that fold into it.
                float weight = 1f / ((Channels - c % channels + channels - 1) / channels);
                for (int t = 0; t < Frames; t++) target[t] += source[t] * weight;
            }
        }
        else
        {
            for (int c = 0; c < channels; c++) Channel(c % Channels).CopyTo(mixed.Channel(c));
        }
        return mixed;
    }
}
