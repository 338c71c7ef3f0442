using LatentTerrain.Engine.Terrain;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Terrain;

/// <summary>The real-time contract: after warm-up, inference and training steps allocate nothing.</summary>
public class AllocationTests
{
    [Fact]
    public void EvaluationAllocatesNothingAfterWarmUp()
    {
        var config = new TerrainConfig();
        var network = TerrainNetwork.Create(config);
        var evaluator = new TerrainEvaluator(config, maxBatch: 16);
        var one = new float[2];
        var sixteen = new float[32];
        var latents = new float[16 * 8];
        evaluator.Evaluate(network, one, latents);
        evaluator.Evaluate(network, sixteen, latents);

        Assert.Equal(0, Allocations.Of(() =>
        {
            for (int i = 0; i < 100; i++)
            {
                one[0] = i * 0.01f;
                evaluator.Evaluate(network, one, latents);
                evaluator.Evaluate(network, sixteen, latents);
            }
        }));
    }

    [Fact]
    public void TrainingStepsAllocateNothingAfterWarmUp()
    {
        var data = TerrainTrainerTests.SmoothField(8, 8);
        var trainer = new TerrainTrainer(TerrainNetwork.Create(new TerrainConfig()), data, new TrainingOptions());
        int[] batch = Enumerable.Range(0, 32).ToArray();
        trainer.TrainStep(batch);

        Assert.Equal(0, Allocations.Of(() =>
        {
            for (int i = 0; i < 20; i++) trainer.TrainStep(batch);
        }));
    }

    [Fact]
    public void PublishingAndLeasingSnapshotsAllocateNothingOnceThePoolIsFull()
    {
        var network = TerrainNetwork.Create(new TerrainConfig());
        var snapshots = new TerrainSnapshots(network);
        for (int i = 0; i < 4; i++) snapshots.Publish(network);

        Assert.Equal(0, Allocations.Of(() =>
        {
            for (int i = 0; i < 50; i++)
            {
                snapshots.Publish(network);
                using var lease = snapshots.Acquire();
            }
        }));
    }
}
