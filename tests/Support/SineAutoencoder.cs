using LatentTerrain.Models;

namespace LatentTerrain.Tests.Support;

/// <summary>
/// A two-latent autoencoder small enough to reason about, for testing the synth's mechanics:
/// latent 0 is pitch in octaves above 220 Hz, latent 1 is amplitude. Its decoder is a
/// phase-continuous sine whose frequency and amplitude ramp linearly across each frame.
/// </summary>
public sealed class SineAutoencoder(int ratio = 64, int sampleRate = 48000, float octaveOffset = 0f) : IAutoencoder
{
    public string Name => "sine";
    public int LatentSize => 2;
    public int Ratio => ratio;
    public int SampleRate => sampleRate;
    public int Channels => 1;
    public float OctaveOffset => octaveOffset;

    public static float Frequency(float pitch) => 220f * MathF.Pow(2f, pitch);

    public float[] Encode(ReadOnlySpan<float> audio) => throw new NotSupportedException("the sine autoencoder only decodes");

    public IStreamingDecoder CreateDecoder() => new Decoder(this);

    public void Dispose() { }

    private sealed class Decoder(SineAutoencoder model) : IStreamingDecoder
    {
        private double _phase;
        private float _frequency = float.NaN, _amplitude;

        public void Decode(ReadOnlySpan<float> latent, Span<float> audio)
        {
            float frequency = Frequency(Math.Clamp(latent[0] + model.OctaveOffset, -4f, 4f));
            float amplitude = Math.Clamp(latent[1], 0f, 1f);
            if (float.IsNaN(_frequency)) _frequency = frequency;
            for (int t = 0; t < model.Ratio; t++)
            {
                float a = (t + 1f) / model.Ratio;
                _phase += 2 * Math.PI * (_frequency + (frequency - _frequency) * a) / model.SampleRate;
                audio[t] = (_amplitude + (amplitude - _amplitude) * a) * (float)Math.Sin(_phase);
            }
            _phase %= 2 * Math.PI;
            _frequency = frequency;
            _amplitude = amplitude;
        }

        public void Reset()
        {
            _phase = 0;
            _frequency = float.NaN;
            _amplitude = 0f;
        }

        public void Dispose() { }
    }
}
