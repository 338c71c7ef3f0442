namespace LatentTerrain.Models.BuiltIn;

/// <summary>
/// The instrument's embedded autoencoder: a harmonic-plus-noise analysis/synthesis codec with eight
/// musically meaningful latents (see <see cref="Latents"/> and the folder's README). Mono.
/// </summary>
public sealed class BuiltInCodec : IAutoencoder
{
    private readonly BuiltInCodecOptions _options;

    public BuiltInCodec(BuiltInCodecOptions? options = null)
    {
        _options = options ?? new BuiltInCodecOptions();
        _options.Validate();
    }

    /// <summary>The latents in order, with their meaning, range and unit, for user interfaces.</summary>
    public static IReadOnlyList<LatentDescription> Latents => CodecLatents.Descriptions;

    public string Name => "built-in codec";
    public int LatentSize => CodecLatents.Count;
    public int Ratio => _options.Ratio;
    public int SampleRate => _options.SampleRate;
    public int Channels => 1;

    public float[] Encode(ReadOnlySpan<float> audio) => new BuiltInEncoder(SampleRate, Ratio).Encode(audio);

    public IStreamingDecoder CreateDecoder() => new BuiltInDecoder(SampleRate, Ratio, _options.NoiseSeed);

    public void Dispose() { }
}
