using LatentTerrain.Models;
using LatentTerrain.Models.BuiltIn;

namespace LatentTerrain.Tests.Codec;

/// <summary>What the codec says about itself, and the options it refuses.</summary>
public class CodecOptionsTests
{
    [Fact]
    public void TheDefaultsAreMono48kHzRatio256WithEightLatents()
    {
        IAutoencoder codec = new BuiltInCodec();
        Assert.Equal((48000, 256, 8, 1), (codec.SampleRate, codec.Ratio, codec.LatentSize, codec.Channels));
        Assert.Equal("built-in codec", codec.Name);
    }

    [Fact]
    public void TheLatentTableDescribesEveryLatentWithTheSameRangeWidth()
    {
        var latents = BuiltInCodec.Latents;
        Assert.Equal(8, latents.Count);
        Assert.Equal(["pitch", "loudness", "brightness", "warmth", "nasality", "edge", "noisiness", "hollowness"], latents.Select(l => l.Name));
        Assert.All(latents, l =>
        {
            Assert.Equal(4f, l.Max - l.Min);
            Assert.False(string.IsNullOrWhiteSpace(l.Meaning));
            Assert.False(string.IsNullOrWhiteSpace(l.Unit));
        });
    }

    [Theory]
    [InlineData(22050, 256, "44100 or 48000")]
    [InlineData(48000, 32, "multiple of 16 from 64 to 2048")]
    [InlineData(48000, 4096, "multiple of 16 from 64 to 2048")]
    [InlineData(48000, 100, "multiple of 16 from 64 to 2048")]
    public void BadOptionsAreRefusedWithAClearMessage(int sampleRate, int ratio, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => new BuiltInCodec(new BuiltInCodecOptions { SampleRate = sampleRate, Ratio = ratio }));
        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData(44100, 64)]
    [InlineData(48000, 2048)]
    [InlineData(44100, 1008)]
    public void GoodOptionsAreAccepted(int sampleRate, int ratio)
    {
        using var codec = new BuiltInCodec(new BuiltInCodecOptions { SampleRate = sampleRate, Ratio = ratio });
        Assert.Equal((sampleRate, ratio), (codec.SampleRate, codec.Ratio));
    }

    [Fact]
    public void DecodeRefusesFramesOfTheWrongSize()
    {
        using var codec = new BuiltInCodec();
        using var decoder = codec.CreateDecoder();
        Assert.Throws<ArgumentException>(() => decoder.Decode(new float[7], new float[256]));
        Assert.Throws<ArgumentException>(() => decoder.Decode(new float[8], new float[255]));
    }
}
