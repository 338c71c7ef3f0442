using LatentTerrain.Models;

namespace LatentTerrain.Tests.Support;

/// <summary>
/// A model whose decoders decode with the inner one, then let <see cref="After"/> spoil the frame
/// (or take longer over it): the synth's tests of faulty, slow and stalling models.
/// </summary>
public abstract class SpoilingAutoencoder(IAutoencoder inner) : IAutoencoder
{
    public string Name => "spoiled";
    public int LatentSize => inner.LatentSize;
    public int Ratio => inner.Ratio;
    public int SampleRate => inner.SampleRate;
    public int Channels => inner.Channels;
    public float[] Encode(ReadOnlySpan<float> audio) => inner.Encode(audio);
    public IStreamingDecoder CreateDecoder() => new Decoder(this, inner.CreateDecoder());
    public void Dispose() => inner.Dispose();
    protected abstract void After(Span<float> audio);
    protected virtual void OnReset() { }

    private sealed class Decoder(SpoilingAutoencoder model, IStreamingDecoder decoder) : IStreamingDecoder
    {
        public void Decode(ReadOnlySpan<float> latent, Span<float> audio)
        {
            decoder.Decode(latent, audio);
            model.After(audio);
        }

        public void Reset()
        {
            decoder.Reset();
            model.OnReset();
        }

        public void Dispose() => decoder.Dispose();
    }
}
