using LatentTerrain.Engine.Datasets;
using LatentTerrain.Engine.Terrain;

namespace LatentTerrain.Tests.Datasets;

/// <summary>Deep comparisons of datasets, which compare their arrays by reference otherwise.</summary>
internal static class DatasetAssert
{
    public static void Same(TerrainDataset expected, TerrainDataset actual)
    {
        Assert.Equal(expected.InputDims, actual.InputDims);
        Assert.Equal(expected.LatentSize, actual.LatentSize);
        Assert.Equal(expected.Density, actual.Density);
        Assert.Equal(expected.Trajectories.Count, actual.Trajectories.Count);
        for (int t = 0; t < expected.Trajectories.Count; t++)
        {
            var (e, a) = (expected.Trajectories[t], actual.Trajectories[t]);
            Assert.Equal(e.Name, a.Name);
            Assert.Equal(e.Source, a.Source);
            Assert.Equal(e.Placement, a.Placement);
            SameVectors(e.Path, a.Path);
            SameVectors(e.Latents, a.Latents);
        }
        Assert.Equal(expected.Points.Count, actual.Points.Count);
        for (int p = 0; p < expected.Points.Count; p++)
        {
            Assert.Equal(expected.Points[p].Coordinate, actual.Points[p].Coordinate);
            Assert.Equal(expected.Points[p].Latent, actual.Points[p].Latent);
        }
    }

    public static void SamePairs(TerrainDataset expected, TerrainDataset actual)
    {
        var (e, a) = (expected.ToPairs(), actual.ToPairs());
        Assert.Equal(e.InputDims, a.InputDims);
        Assert.Equal(e.LatentSize, a.LatentSize);
        Assert.Equal(e.Coordinates, a.Coordinates);
        Assert.Equal(e.Latents, a.Latents);
    }

    /// <summary>The same pairs in any order: training shuffles them anyway.</summary>
    public static void SamePairSet(TerrainDataset expected, TerrainDataset actual)
    {
        var (e, a) = (expected.ToPairs(), actual.ToPairs());
        Assert.Equal(e.InputDims, a.InputDims);
        Assert.Equal(e.LatentSize, a.LatentSize);
        Assert.Equal(Rows(e), Rows(a));
    }

    private static List<string> Rows(TrainingPairs pairs) =>
        [.. Enumerable.Range(0, pairs.Count)
            .Select(i => string.Join(" ", pairs.Coordinates.AsSpan(i * pairs.InputDims, pairs.InputDims).ToArray())
                + " -> " + string.Join(" ", pairs.Latents.AsSpan(i * pairs.LatentSize, pairs.LatentSize).ToArray()))
            .Order(StringComparer.Ordinal)];

    public static void SameVectors(IReadOnlyList<float[]> expected, IReadOnlyList<float[]> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++) Assert.Equal(expected[i], actual[i]);
    }
}
