namespace LatentTerrain.Models;

/// <summary>
/// An audio autoencoder as the instrument uses it: audio in, latent frames out (<see cref="Encode"/>),
/// and per voice a streaming decoder that turns latent frames back into audio. The built-in codec,
/// nn~ TorchScript models and ONNX models all implement it.
/// </summary>
/// <remarks>
/// Audio is planar: channel after channel, each <c>samples</c> long. Latents are row-major frames:
/// frame after frame, each <see cref="LatentSize"/> values. One latent frame stands for
/// <see cref="Ratio"/> samples of every channel.
/// </remarks>
public interface IAutoencoder : IDisposable
{
    /// <summary>A short name for status lines and files (for example "built-in codec" or the model's file name).</summary>
    string Name { get; }
    int LatentSize { get; }
    /// <summary>Audio samples per latent frame (the model's time compression).</summary>
    int Ratio { get; }
    int SampleRate { get; }
    int Channels { get; }

    /// <summary>
    /// Encodes planar audio at <see cref="SampleRate"/> with <see cref="Channels"/> channels into
    /// latent frames [samples / Ratio, LatentSize]; a last partial frame is dropped.
    /// Not real-time safe: it may allocate.
    /// </summary>
    float[] Encode(ReadOnlySpan<float> audio);

    /// <summary>A fresh decoder with its own state, for one voice.</summary>
    IStreamingDecoder CreateDecoder();
}

/// <summary>
/// Turns a stream of latent frames into audio, one frame at a time, keeping whatever state the
/// model carries between frames (phases, cached convolutions). Real-time safe after creation:
/// <see cref="Decode"/> allocates nothing, locks nothing and never blocks.
/// </summary>
public interface IStreamingDecoder : IDisposable
{
    /// <summary>
    /// Decodes one latent frame (<see cref="IAutoencoder.LatentSize"/> values) into
    /// <see cref="IAutoencoder.Ratio"/> samples per channel, planar, written into <paramref name="audio"/>.
    /// </summary>
    void Decode(ReadOnlySpan<float> latent, Span<float> audio);

    /// <summary>Forgets all state, as if freshly created (a new note starts from silence).</summary>
    void Reset();
}
