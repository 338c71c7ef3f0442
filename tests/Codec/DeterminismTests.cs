using LatentTerrain.Models;
using LatentTerrain.Models.BuiltIn;
using static LatentTerrain.Tests.Codec.CodecSignals;

namespace LatentTerrain.Tests.Codec;

/// <summary>Same latents, same samples, bit for bit: across decoders, after a reset, and noise included.</summary>
public class DeterminismTests
{
    [Fact]
    public void TwoDecodersAndAResetGiveIdenticalSamples()
    {
        using var codec = new BuiltInCodec();
        int frames = codec.SampleRate / codec.Ratio;
        var latents = SlowCurves(frames, codec.Ratio, codec.SampleRate, seed: 7);
        for (int i = 0; i < frames; i++) latents[i * Latents + Noisiness] = 1.5f;
        using var first = codec.CreateDecoder();
        using var second = codec.CreateDecoder();
        var a = Decode(first, latents, codec.Ratio);
        var b = Decode(second, latents, codec.Ratio);
        first.Reset();
        var c = Decode(first, latents, codec.Ratio);
        Assert.Equal(a, b);
        Assert.Equal(a, c);
    }

    [Fact]
    public void DifferentSeedsGiveDifferentNoise()
    {
        using var one = new BuiltInCodec(new BuiltInCodecOptions { NoiseSeed = 1 });
        using var two = new BuiltInCodec(new BuiltInCodecOptions { NoiseSeed = 2 });
        var noisy = Steady(100, 0, 0, 0, 0, 0, 0, 2, 0);
        Assert.NotEqual(Render(one, noisy), Render(two, noisy));
    }

    private static float[] Decode(IStreamingDecoder decoder, float[] latents, int ratio)
    {
        var audio = new float[latents.Length / Latents * ratio];
        for (int i = 0; i < latents.Length / Latents; i++)
            decoder.Decode(latents.AsSpan(i * Latents, Latents), audio.AsSpan(i * ratio, ratio));
        return audio;
    }
}
