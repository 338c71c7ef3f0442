using LatentTerrain.Models;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Models;

internal static class ModelAssert
{
    /// <summary>Every value within <paramref name="tolerance"/> of what PyTorch made, with the worst one named on failure.</summary>
    public static void Near(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double tolerance = 1e-5)
    {
        Assert.Equal(expected.Length, actual.Length);
        int worst = 0;
        double gap = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double d = Math.Abs(expected[i] - actual[i]);
            if (d > gap) (gap, worst) = (d, i);
        }
        Assert.True(gap <= tolerance, $"value {worst}: expected {expected[worst]}, got {actual[worst]} (off by {gap:E2})");
        Assert.True(Spectrum.Rms(actual) > 1e-3, "the output is silent, so the comparison proves nothing");
    }

    /// <summary>Decodes every frame through a fresh decoder, frame by frame, into planar [channels, frames * ratio].</summary>
    public static float[] StreamFrames(IAutoencoder model, float[] latents)
    {
        int frames = latents.Length / model.LatentSize;
        var planar = new float[model.Channels * frames * model.Ratio];
        var block = new float[model.Channels * model.Ratio];
        using var decoder = model.CreateDecoder();
        for (int f = 0; f < frames; f++)
        {
            decoder.Decode(latents.AsSpan(f * model.LatentSize, model.LatentSize), block);
            for (int c = 0; c < model.Channels; c++)
                block.AsSpan(c * model.Ratio, model.Ratio).CopyTo(planar.AsSpan(c * frames * model.Ratio + f * model.Ratio));
        }
        return planar;
    }

    /// <summary>After one call each, a voice's decoder and a batch of four decode twenty frames without allocating.</summary>
    public static void DecodesWithoutAllocating<TModel>(TModel model) where TModel : IAutoencoder, IBatchDecoding
    {
        using var decoder = model.CreateDecoder();
        using var batch = model.CreateBatchDecoder(4);
        var latent = TestModels.Torch.Latents.AsSpan(0, model.LatentSize).ToArray();
        var latents = new float[4 * model.LatentSize];
        var audio = new float[4 * model.Ratio];
        decoder.Decode(latent, audio);
        batch.Decode(latents, audio);
        Assert.Equal(0, Allocations.Of(() =>
        {
            for (int i = 0; i < 20; i++)
            {
                decoder.Decode(latent, audio);
                batch.Decode(latents, audio);
            }
        }));
    }
}
