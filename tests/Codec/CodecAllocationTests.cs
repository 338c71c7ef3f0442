using LatentTerrain.Models.BuiltIn;
using LatentTerrain.Tests.Support;
using static LatentTerrain.Tests.Codec.CodecSignals;

namespace LatentTerrain.Tests.Codec;

/// <summary>The real-time contract: after its first frame a decoder allocates nothing, whatever the latents do.</summary>
public class CodecAllocationTests
{
    [Theory]
    [InlineData(48000, 64)]
    [InlineData(48000, 256)]
    [InlineData(44100, 2048)]
    public void DecodingAllocatesNothingAfterWarmUp(int sampleRate, int ratio)
    {
        using var codec = new BuiltInCodec(new BuiltInCodecOptions { SampleRate = sampleRate, Ratio = ratio });
        using var decoder = codec.CreateDecoder();
        int frames = 200;
        var latents = SlowCurves(frames, ratio, sampleRate, seed: 11);
        var audio = new float[ratio];
        decoder.Decode(latents.AsSpan(0, Latents), audio);

        Assert.Equal(0, Allocations.Of(() =>
        {
            for (int i = 0; i < frames; i++) decoder.Decode(latents.AsSpan(i * Latents, Latents), audio);
            decoder.Reset();
        }));
    }

    /// <summary>A decoder compiles and warms itself at creation, so even a new voice's first frame allocates nothing.</summary>
    [Fact]
    public void AFreshDecodersFirstFrameAllocatesNothing()
    {
        using var codec = new BuiltInCodec(new BuiltInCodecOptions { Ratio = 128 });
        using var decoder = codec.CreateDecoder();
        var latent = new float[] { 0.5f, 1f, 0f, 0f, 0f, 0f, 0f, 0f };
        var audio = new float[128];
        Assert.Equal(0, Allocations.Of(() => decoder.Decode(latent, audio), attempts: 1));
    }
}
