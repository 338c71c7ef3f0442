using LatentTerrain.Engine.Terrain;

namespace LatentTerrain.Tests.Terrain;

public class BackgroundTrainerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public void TrainsOnItsThreadAndPublishesSnapshotsThatReadersCanHold()
    {
        var data = TerrainTrainerTests.SmoothField();
        var start = TerrainNetwork.Create(new TerrainConfig { LatentSize = 4 });
        var snapshots = new TerrainSnapshots(start);
        var evaluator = new TerrainEvaluator(start.Config, 1);
        var latent = new float[4];
        using var trainer = new BackgroundTrainer(snapshots, start, data, new TrainingOptions { Epochs = 60 }) { PublishInterval = TimeSpan.FromMilliseconds(5) };
        var versions = new HashSet<long>();

        trainer.Start();
        // A reader evaluates the current snapshot while training goes on: a leased terrain never changes under it.
        while (!trainer.Wait(TimeSpan.Zero))
        {
            using var lease = snapshots.Acquire();
            versions.Add(snapshots.Version);
            var before = (float[])lease.Network.Parameters.Clone();
            evaluator.Evaluate(lease.Network, [0.2f, -0.3f], latent);
            Thread.Sleep(1);
            Assert.Equal(before, lease.Network.Parameters);
        }

        var progress = trainer.Progress;
        Assert.Equal(TrainingState.Finished, progress.State);
        Assert.Equal(60, progress.Epoch);
        Assert.Equal(60 * 5, progress.Step);
        Assert.True(progress.StepsPerSecond > 0);
        Assert.True(versions.Count > 2, $"saw {versions.Count} versions");
        using var final = snapshots.Acquire();
        Assert.True(progress.Loss < 0.05f, $"loss {progress.Loss}");
        var direct = new TerrainTrainer(start, data, new TrainingOptions { Epochs = 60 });
        for (int e = 0; e < 60; e++) direct.TrainEpoch();
        Assert.Equal(direct.Network.Parameters, final.Network.Parameters);
    }

    /// <summary>
    /// Runs that continue one trainer (train 4, then train 6) end where one run of 10 epochs does,
    /// weight for weight: Adam's moments, the shuffling and the epoch count carry over; and pairs
    /// taught to a running training are learnt from its next epoch as if they had been there.
    /// </summary>
    [Fact]
    public void Runs_continue_one_trainer_exactly_and_learn_what_is_taught_meanwhile()
    {
        var data = TerrainTrainerTests.SmoothField();
        var start = TerrainNetwork.Create(new TerrainConfig { LatentSize = 4, Width = 32 });
        var snapshots = new TerrainSnapshots(start);
        var trainer = new TerrainTrainer(start, data, new TrainingOptions());
        foreach (int epochs in new[] { 4, 6 })
        {
            using var run = new BackgroundTrainer(snapshots, trainer, epochs);
            run.Start();
            Assert.True(run.Wait(Patience));
            Assert.Equal(TrainingState.Finished, run.Progress.State);
        }
        Assert.Equal(10, trainer.Epoch);
        var direct = new TerrainTrainer(start, data, new TrainingOptions());
        for (int e = 0; e < 10; e++) direct.TrainEpoch();
        using (var lease = snapshots.Acquire()) Assert.Equal(direct.Network.Parameters, lease.Network.Parameters);

        // New pairs and a new learning rate reach a run that goes on until it is stopped.
        var more = TerrainTrainerTests.SmoothField(4, latentSize: 4);
        using (var endless = new BackgroundTrainer(snapshots, trainer, epochs: null))
        {
            endless.Teach(more);
            endless.LearningRate = 5e-4f;
            endless.Start();
            while (endless.Progress.Epoch < 12) Thread.Sleep(1);
            endless.Cancel();
            Assert.True(endless.Wait(Patience));
            Assert.True(endless.Progress.Continuous);
            Assert.Equal(TrainingState.Cancelled, endless.Progress.State);
        }
        Assert.Equal(5e-4f, trainer.LearningRate);
        Assert.Equal((more.Count + 31) / 32, trainer.StepsPerEpoch);
        // Stopping keeps what was learnt up to the stop: the terrain playing is the trainer's.
        using (var lease = snapshots.Acquire()) Assert.Equal(trainer.Network.Parameters, lease.Network.Parameters);
    }

    [Fact]
    public void DivergenceRestoresTheLastGoodTerrainAndNeverPublishesABrokenOne()
    {
        // Targets near float's limit make the squared error overflow to infinity at once.
        var data = TerrainTrainerTests.SmoothField(6);
        Array.Fill(data.Latents, 3e38f);
        var start = TerrainNetwork.Create(new TerrainConfig { LatentSize = 4, Width = 16 });
        var snapshots = new TerrainSnapshots(start);
        using var trainer = new BackgroundTrainer(snapshots, start, data, new TrainingOptions { Epochs = 3 }) { MaxRecoveries = 3, PublishInterval = TimeSpan.Zero };
        var seen = new List<TrainingProgress>();
        trainer.ProgressChanged += p => { lock (seen) seen.Add(p); };

        trainer.Start();
        Assert.True(trainer.Wait(Patience));

        Assert.Equal(TrainingState.Failed, trainer.Progress.State);
        Assert.Contains("kept diverging", trainer.Progress.Message);
        lock (seen) Assert.Contains(seen, p => p.Message != null && p.Message.Contains("back to the last good terrain"));
        using var lease = snapshots.Acquire();
        Assert.All(lease.Network.Parameters, p => Assert.True(float.IsFinite(p)));
        Assert.Equal(start.Parameters, lease.Network.Parameters);
    }

    [Fact]
    public void CancelStopsPromptly()
    {
        var data = TerrainTrainerTests.SmoothField(20);
        var start = TerrainNetwork.Create(new TerrainConfig { LatentSize = 4 });
        using var trainer = new BackgroundTrainer(new TerrainSnapshots(start), start, data, new TrainingOptions { Epochs = 1_000_000 });
        trainer.Start();
        Thread.Sleep(100);
        trainer.Cancel();
        Assert.True(trainer.Wait(TimeSpan.FromSeconds(5)));
        Assert.Equal(TrainingState.Cancelled, trainer.Progress.State);
        Assert.True(trainer.Progress.Step > 0);
    }
}
