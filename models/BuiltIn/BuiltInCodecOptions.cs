namespace LatentTerrain.Models.BuiltIn;

/// <summary>How to build the built-in codec.</summary>
public sealed record BuiltInCodecOptions
{
    /// <summary>44100 or 48000.</summary>
    public int SampleRate { get; init; } = 48000;
    /// <summary>Samples per latent frame: a multiple of 16 (the vector width) from 64 to 2048. Small is low latency.</summary>
    public int Ratio { get; init; } = 256;
    /// <summary>Seed of every decoder's noise: same seed and same latents give the same samples.</summary>
    public uint NoiseSeed { get; init; } = 0x5EED_1234;

    public void Validate()
    {
        if (SampleRate is not (44100 or 48000))
            throw new ArgumentException($"the built-in codec runs at 44100 or 48000 Hz, not {SampleRate}", nameof(SampleRate));
        if (Ratio is < 64 or > 2048 || Ratio % 16 != 0)
            throw new ArgumentException($"the built-in codec's ratio must be a multiple of 16 from 64 to 2048 samples, not {Ratio}", nameof(Ratio));
    }
}
