using LatentTerrain.Engine.Terrain;

namespace LatentTerrain.Tests.Terrain;

public class TerrainTrainerTests
{
    /// <summary>A smooth 2-D field with 4 latent channels, sampled on a grid.</summary>
    internal static TrainingPairs SmoothField(int side = 12, int latentSize = 4)
    {
        var coordinates = new List<float>();
        var latents = new List<float>();
        for (int i = 0; i < side; i++)
            for (int j = 0; j < side; j++)
            {
                float x = i / (side - 1f) * 2 - 1, y = j / (side - 1f) * 2 - 1;
                coordinates.AddRange([x, y]);
                for (int c = 0; c < latentSize; c++) latents.Add(MathF.Sin(1.5f * x + c) * MathF.Cos(y - c));
            }
        return new TrainingPairs(2, latentSize, coordinates.ToArray(), latents.ToArray());
    }

    [Fact]
    public void LearnsASmoothField()
    {
        var data = SmoothField();
        var trainer = new TerrainTrainer(TerrainNetwork.Create(new TerrainConfig { LatentSize = 4, Sigma = 0.3f }), data, new TrainingOptions());
        float first = trainer.TrainEpoch();
        float last = first;
        for (int e = 0; e < 150; e++) last = trainer.TrainEpoch();
        Assert.True(last < first / 20, $"loss went from {first} to {last}");
        Assert.True(last < 5e-3f, $"final loss {last}");
    }

    [Fact]
    public void SameSeedSameTerrain()
    {
        var data = SmoothField(8);
        float[] Train(int seed)
        {
            var trainer = new TerrainTrainer(TerrainNetwork.Create(new TerrainConfig { LatentSize = 4, Width = 32 }), data, new TrainingOptions { Seed = seed, BatchSize = 10 });
            for (int e = 0; e < 5; e++) trainer.TrainEpoch();
            return trainer.Network.Parameters;
        }
        Assert.Equal(Train(1), Train(1));
        Assert.NotEqual(Train(1), Train(2));
    }

    /// <summary>The trainer keeps the pairs' Fourier features (made once): a pass from kept rows is the pass from their coordinates, bit for bit.</summary>
    [Fact]
    public void KeptFeaturesGiveTheSameStepAsCoordinates()
    {
        var data = SmoothField(8);
        var config = new TerrainConfig { LatentSize = 4, Width = 48 };
        var network = TerrainNetwork.Create(config);
        int[] rows = [5, 60, 2, 33, 17, 9, 41];
        var pass = new TerrainPass(config, 32);
        var features = new float[data.Count * config.FirstLayerInputs];
        for (int start = 0; start < data.Count; start += 32)
        {
            int count = Math.Min(32, data.Count - start);
            pass.Features(network, data.Coordinates.AsSpan(start * 2, count * 2), count).CopyTo(features.AsSpan(start * config.FirstLayerInputs));
        }
        var coordinates = rows.SelectMany(r => data.Coordinates.Skip(r * 2).Take(2)).ToArray();
        var targets = rows.SelectMany(r => data.Latents.Skip(r * 4).Take(4)).ToArray();
        (float[] Output, float[] Gradients, float Loss) Step(Action forward)
        {
            forward();
            var output = pass.Output.ToArray();
            var gradients = new float[network.Parameters.Length];
            return (output, gradients, pass.Backward(network, targets, gradients));
        }
        var fromCoordinates = Step(() => pass.Forward(network, coordinates, rows.Length));
        var fromFeatures = Step(() => pass.ForwardRows(network, features, rows));
        Assert.Equal(fromCoordinates.Output, fromFeatures.Output);
        Assert.Equal(fromCoordinates.Gradients, fromFeatures.Gradients);
        Assert.Equal(fromCoordinates.Loss, fromFeatures.Loss);
    }

    [Fact]
    public void KeepsTheLastPartialBatch()
    {
        var data = SmoothField(5); // 25 pairs, batch 8: 4 steps per epoch
        var trainer = new TerrainTrainer(TerrainNetwork.Create(new TerrainConfig { LatentSize = 4, Width = 16 }), data, new TrainingOptions { BatchSize = 8 });
        trainer.TrainEpoch();
        Assert.Equal(4, trainer.Step);
        Assert.Equal(1, trainer.Epoch);
    }

    [Fact]
    public void StartingTerrainIsNeverWritten()
    {
        var start = TerrainNetwork.Create(new TerrainConfig { LatentSize = 4, Width = 16 });
        var before = (float[])start.Parameters.Clone();
        new TerrainTrainer(start, SmoothField(4), new TrainingOptions()).TrainEpoch();
        Assert.Equal(before, start.Parameters);
    }

    [Fact]
    public void RejectsDataOfAnotherShape()
    {
        var start = TerrainNetwork.Create(new TerrainConfig { LatentSize = 8 });
        var error = Assert.Throws<ArgumentException>(() => new TerrainTrainer(start, SmoothField(4, latentSize: 4), new TrainingOptions()));
        Assert.Equal("the dataset has latents of size 4 but the terrain makes 8", error.Message);
    }
}
