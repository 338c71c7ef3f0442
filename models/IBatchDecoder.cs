namespace LatentTerrain.Models;

/// <summary>
/// A model that can decode several voices in one call (nn~ models' cached convolutions keep one
/// row of state per batch entry, up to 64), which costs less than one call per voice.
/// </summary>
public interface IBatchDecoding
{
    /// <summary>A decoder for <paramref name="voices"/> voices at once, each with its own state.</summary>
    /// <exception cref="ModelException">The model cannot decode that many voices in one call.</exception>
    IBatchDecoder CreateBatchDecoder(int voices);
}

/// <summary>
/// Decodes one latent frame for each of <see cref="Voices"/> voices in one call. Real-time safe after
/// creation, like <see cref="IStreamingDecoder"/>.
/// </summary>
public interface IBatchDecoder : IDisposable
{
    int Voices { get; }

    /// <summary>
    /// Decodes <paramref name="latents"/> [Voices, LatentSize] (one frame per voice, row-major) into
    /// <paramref name="audio"/> [Voices, Channels, Ratio]: voice after voice, each planar.
    /// </summary>
    void Decode(ReadOnlySpan<float> latents, Span<float> audio);

    /// <summary>Forgets every voice's state.</summary>
    void Reset();
}
