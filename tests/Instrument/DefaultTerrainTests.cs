using LatentTerrain.Engine.Maps;
using LatentTerrain.Engine.Terrain;
using LatentTerrain.Instrument;
using LatentTerrain.Models.BuiltIn;
using LatentTerrain.Models.Defaults;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Instrument;

/// <summary>The terrain the instrument plays out of the box: it must sound everywhere and differ from place to place.</summary>
public class DefaultTerrainTests
{
    private static readonly TerrainNetwork Terrain = DefaultTerrain.Load();

    private static (float[] Latents, int Count) Grid(int columns, int rows)
    {
        var bounds = PlaneBounds.Default;
        var coordinates = new float[columns * rows * 2];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
            {
                coordinates[(r * columns + c) * 2] = bounds.XMin + (c + 0.5f) * bounds.Width / columns;
                coordinates[(r * columns + c) * 2 + 1] = bounds.YMin + (r + 0.5f) * bounds.Height / rows;
            }
        var latents = new float[columns * rows * 8];
        new TerrainEvaluator(Terrain.Config).Evaluate(Terrain, coordinates, latents);
        return (latents, columns * rows);
    }

    [Fact]
    public void IsMadeForTheBuiltInCodec()
    {
        Assert.Equal(2, Terrain.Config.InputDims);
        Assert.Equal(new BuiltInCodec().LatentSize, Terrain.Config.LatentSize);
    }

    [Fact]
    public void EveryPlaceOfThePlaneSounds()
    {
        using var codec = new BuiltInCodec();
        using var decoder = codec.CreateDecoder();
        var (latents, count) = Grid(32, 8);
        var frame = new float[codec.Ratio];
        var latent = new float[8];
        double quietest = double.MaxValue;
        for (int p = 0; p < count; p++)
        {
            latents.AsSpan(p * 8, 8).CopyTo(latent);
            decoder.Reset();
            double sum = 0;
            // A few frames, so the decoder has left its start from silence behind.
            for (int f = 0; f < 8; f++)
            {
                decoder.Decode(latent, frame);
                if (f >= 4) sum += Spectrum.Rms(frame) * Spectrum.Rms(frame);
            }
            double rmsDb = 10 * Math.Log10(sum / 4);
            Assert.True(double.IsFinite(rmsDb), $"point {p} decodes to silence or NaN");
            quietest = Math.Min(quietest, rmsDb);
        }
        Assert.True(quietest > -40, $"the quietest place of the plane is {quietest:F1} dBFS RMS");
    }

    [Fact]
    public void ThePlaneIsVariedEnoughToPlay()
    {
        var (latents, count) = Grid(32, 8);
        float Spread(int channel)
        {
            var values = Enumerable.Range(0, count).Select(p => latents[p * 8 + channel]).ToArray();
            return values.Max() - values.Min();
        }
        Assert.True(Spread(0) > 2f, $"pitch spans {Spread(0):F2} octaves");
        int varied = Enumerable.Range(2, 6).Count(c => Spread(c) > 1f);
        Assert.True(varied >= 4, $"only {varied} timbre latents vary by more than 1");
    }

    [Avx512Fact]
    public void RegeneratesBitForBit()
    {
        string folder = Paths.NewScratch();
        var result = CommandResult.Run("defaults", "--out", folder);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(BuiltInDefaults.Dataset(), File.ReadAllBytes(Path.Combine(folder, BuiltInDefaults.DatasetFileName)));
        Assert.Equal(BuiltInDefaults.Terrain(), File.ReadAllBytes(Path.Combine(folder, BuiltInDefaults.TerrainFileName)));
    }
}
