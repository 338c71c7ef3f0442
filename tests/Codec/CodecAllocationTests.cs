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
}
