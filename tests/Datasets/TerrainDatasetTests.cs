using LatentTerrain.Engine.Datasets;

namespace LatentTerrain.Tests.Datasets;

public class TerrainDatasetTests
{
    private static float[] Latent(float value, int size = 3) => Enumerable.Repeat(value, size).ToArray();

    [Fact]
    public void Pairs_hold_each_trajectorys_placed_points_with_its_frames_then_the_points()
    {
        var drawn = new Trajectory([[0f, 0f], [1f, 0f]], [Latent(1), Latent(2), Latent(3), Latent(4)]);     // 3 places for 4 frames
        var recorded = new Trajectory([[5f, 5f], [6f, 6f]], [Latent(7)], TrajectoryPlacement.PerFrame);      // 2 places for 1 frame
        var dataset = new TerrainDataset(2, 3, [drawn, recorded], [new TerrainPoint([9f, -9f], [0.5f, 0.25f, 0.125f])], 0.5f);

        var pairs = dataset.ToPairs();

        Assert.Equal(2, pairs.InputDims);
        Assert.Equal(3, pairs.LatentSize);
        Assert.Equal(3 + 1 + 1, pairs.Count);
        Assert.Equal([0f, 0f, 0.5f, 0f, 1f, 0f, 5f, 5f, 9f, -9f], pairs.Coordinates);
        Assert.Equal([1f, 1f, 1f, 2f, 2f, 2f, 3f, 3f, 3f, 7f, 7f, 7f, 0.5f, 0.25f, 0.125f], pairs.Latents);
    }

    [Fact]
    public void An_empty_dataset_gives_no_pairs()
    {
        var dataset = new TerrainDataset(2, 8);
        Assert.True(dataset.IsEmpty);
        Assert.Equal(0, dataset.ToPairs().Count);
    }

    public static TheoryData<string, Func<TerrainDataset>> BadDatasets => new()
    {
        { "trajectory 3 has latents of size 16, expected 8", () => new TerrainDataset(2, 8,
            [Good(), Good(), new Trajectory([[0f, 0f]], [new float[16]])]) },
        { "trajectory 1 (\"kick\") has latents of size 4, expected 8", () => new TerrainDataset(2, 8,
            [new Trajectory([[0f, 0f]], [new float[4]]) { Name = "kick" }]) },
        { "trajectory 1 latent frame 2 has 7 values, expected 8", () => new TerrainDataset(2, 8,
            [new Trajectory([[0f, 0f]], [new float[8], new float[7]])]) },
        { "trajectory 2 latent frame 1 has NaN at index 5", () => new TerrainDataset(2, 8,
            [Good(), new Trajectory([[0f, 0f]], [With(new float[8], 5, float.NaN)])]) },
        { "trajectory 1 path vertex 2 has an infinity at index 1", () => new TerrainDataset(2, 8,
            [new Trajectory([[0f, 0f], [1f, float.NegativeInfinity]], [new float[8]])]) },
        { "trajectory 1 path vertex 1 has 3 dimensions, expected 2", () => new TerrainDataset(2, 8,
            [new Trajectory([[0f, 0f, 0f]], [new float[8]])]) },
        { "trajectory 1 has no path", () => new TerrainDataset(2, 8, [new Trajectory([], [new float[8]])]) },
        { "trajectory 1 has no latent frames", () => new TerrainDataset(2, 8, [new Trajectory([[0f, 0f]], [])]) },
        { "point 2 has a latent of size 9, expected 8", () => new TerrainDataset(2, 8, [],
            [new TerrainPoint([0f, 0f], new float[8]), new TerrainPoint([0f, 0f], new float[9])]) },
        { "point 1 coordinate has 1 dimensions, expected 2", () => new TerrainDataset(2, 8, [], [new TerrainPoint([0f], new float[8])]) },
        { "point 1 latent has NaN at index 0", () => new TerrainDataset(2, 8, [], [new TerrainPoint([0f, 0f], With(new float[8], 0, float.NaN))]) },
        { "point 1 coordinate has an infinity at index 0", () => new TerrainDataset(2, 8, [], [new TerrainPoint([float.PositiveInfinity, 0f], new float[8])]) },
        { "input dimensions must be 1..6, not 7", () => new TerrainDataset(7, 8) },
        { "latent size must be 1..1024, not 0", () => new TerrainDataset(2, 0) },
        { "density must be a positive number, not 0", () => new TerrainDataset(2, 8, density: 0f) },
    };

    [Theory]
    [MemberData(nameof(BadDatasets))]
    public void A_dataset_that_does_not_fit_says_which_part_and_why(string message, Func<TerrainDataset> make)
    {
        var error = Assert.Throws<DatasetException>(make);
        Assert.Equal(message, error.Message);
        Assert.Null(error.File);
    }

    private static Trajectory Good() => new([[0f, 0f], [1f, 1f]], [new float[8], new float[8]]);

    private static float[] With(float[] vector, int index, float value)
    {
        vector[index] = value;
        return vector;
    }
}
