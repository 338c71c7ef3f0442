namespace LatentTerrain.Models.TorchScript;

/// <summary>
/// Streams latent frames through a TorchScript module of its own: one voice, or a batch of voices in
/// one call (each voice a batch row, whose cached-convolution state the module keeps). The model
/// reads the caller's latents and its [voices, channels, ratio] output is copied straight into the
/// caller's buffer.
/// </summary>
/// <remarks>Allocates nothing per frame on the managed side.</remarks>
internal sealed class TorchScriptDecoder : IStreamingDecoder, IBatchDecoder
{
    private readonly TorchScriptModel _model;
    private readonly TorchModule _module;

    public TorchScriptDecoder(TorchScriptModel model, TorchModule module, int voices)
    {
        _model = model;
        _module = module;
        Voices = voices;
    }

    public int Voices { get; }

    /// <inheritdoc cref="IBatchDecoder.Decode"/>
    /// <exception cref="ModelException">libtorch failed, or the model returned the wrong shape, NaN or infinity.</exception>
    public void Decode(ReadOnlySpan<float> latent, Span<float> audio)
    {
        int size = _model.LatentSize, samples = Voices * _model.Channels * _model.Ratio;
        if (latent.Length != Voices * size) throw new ArgumentException($"expected {Voices} x {size} latents, got {latent.Length}", nameof(latent));
        if (audio.Length < samples) throw new ArgumentException($"expected room for {samples} samples, got {audio.Length}", nameof(audio));
        // [voices, latent] rows are [voices, latent, 1] tensors already: one frame in time.
        _module.Run(TorchScriptModel.DecodeMethod, latent, Voices, size, 1, audio, _model.Channels, _model.Ratio);
        ModelException.ThrowIfNotFinite(_model.Path, audio[..samples], "decode");
    }

    public void Reset() => _module.Reset();

    public void Dispose() => _module.Dispose();
}
