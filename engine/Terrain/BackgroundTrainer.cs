using System.Diagnostics;

namespace LatentTerrain.Engine.Terrain;

public enum TrainingState { Idle, Training, Finished, Cancelled, Failed }

/// <summary>A moment of a training run, as the UI shows it.</summary>
public readonly record struct TrainingProgress(
    TrainingState State, int Step, int Epoch, int Epochs, float Loss, float StepsPerSecond, int Recoveries, string? Message);

/// <summary>
/// Trains on its own thread while the instrument plays. Every <see cref="PublishInterval"/> (checked after each step) the
/// working terrain is published to <see cref="TerrainSnapshots"/>; a loss or weight that stops being
/// finite sends the trainer back to the last published terrain at half the learning rate, so a
/// broken terrain is never published.
/// </summary>
public sealed class BackgroundTrainer : IDisposable
{
    private readonly TerrainSnapshots _snapshots;
    private readonly TerrainTrainer _trainer;
    private readonly TerrainNetwork _lastGood;
    private readonly CancellationTokenSource _cancel = new();
    private readonly Thread _thread;
    private TrainingProgress _progress;
    private readonly object _progressLock = new();

    /// <summary>How often the working terrain is handed to the players.</summary>
    public TimeSpan PublishInterval { get; init; } = TimeSpan.FromMilliseconds(50);
    /// <summary>Divergences tolerated in one run before it gives up.</summary>
    public int MaxRecoveries { get; init; } = 8;

    /// <param name="start">The terrain to continue from (usually the one playing now).</param>
    public BackgroundTrainer(TerrainSnapshots snapshots, TerrainNetwork start, TrainingPairs data, TrainingOptions options)
    {
        _snapshots = snapshots;
        _trainer = new TerrainTrainer(start, data, options);
        _lastGood = start.Clone();
        _progress = new TrainingProgress(TrainingState.Idle, 0, 0, options.Epochs, float.NaN, 0f, 0, null);
        _thread = new Thread(Run) { IsBackground = true, Name = "terrain trainer", Priority = ThreadPriority.BelowNormal };
    }

    public TrainingProgress Progress { get { lock (_progressLock) return _progress; } }

    /// <summary>Raised on the trainer thread after every epoch, every publish and at the end.</summary>
    public event Action<TrainingProgress>? ProgressChanged;

    public void Start() => _thread.Start();
    public void Cancel() => _cancel.Cancel();
    /// <summary>Waits for the run to end; true when it ended within the timeout.</summary>
    public bool Wait(TimeSpan timeout) => _thread.Join(timeout);

    private void Run()
    {
        Synthesis.Scheduling.TryMakeBackground();
        var options = _trainer.Options;
        var clock = Stopwatch.StartNew();
        var lastPublish = TimeSpan.Zero;
        int recoveries = 0;
        float loss = float.NaN;
        string? message = null;

        bool AfterStep(float stepLoss)
        {
            if (!float.IsFinite(stepLoss) || _cancel.IsCancellationRequested) return false;
            if (clock.Elapsed - lastPublish >= PublishInterval)
            {
                if (!_trainer.IsFinite()) return false;
                PublishGood();
                lastPublish = clock.Elapsed;
                Report(TrainingState.Training, loss, recoveries, clock, message);
            }
            return true;
        }

        try
        {
            Report(TrainingState.Training, loss, recoveries, clock, null);
            while (_trainer.Epoch < options.Epochs)
            {
                float epochLoss = _trainer.TrainEpoch(AfterStep);
                if (_cancel.IsCancellationRequested)
                {
                    Report(TrainingState.Cancelled, loss, recoveries, clock, "cancelled");
                    return;
                }
                if (!float.IsFinite(epochLoss) || !_trainer.IsFinite())
                {
                    if (++recoveries > MaxRecoveries)
                    {
                        Report(TrainingState.Failed, loss, recoveries, clock, "the loss kept diverging; the last good terrain stays");
                        return;
                    }
                    _trainer.Restore(_lastGood);
                    _trainer.LearningRate /= 2f;
                    message = $"the loss diverged at step {_trainer.Step}: back to the last good terrain, learning rate now {_trainer.LearningRate:g3}";
                    Report(TrainingState.Training, loss, recoveries, clock, message);
                    continue;
                }
                loss = epochLoss;
                Report(TrainingState.Training, loss, recoveries, clock, message);
            }
            PublishGood();
            Report(TrainingState.Finished, loss, recoveries, clock, message);
        }
        catch (Exception e)
        {
            Report(TrainingState.Failed, loss, recoveries, clock, e.Message);
        }
    }

    private void PublishGood()
    {
        _trainer.Network.Parameters.CopyTo(_lastGood.Parameters, 0);
        _snapshots.Publish(_trainer.Network);
    }

    private void Report(TrainingState state, float loss, int recoveries, Stopwatch clock, string? message)
    {
        var progress = new TrainingProgress(state, _trainer.Step, _trainer.Epoch, _trainer.Options.Epochs, loss,
            (float)(_trainer.Step / Math.Max(clock.Elapsed.TotalSeconds, 1e-9)), recoveries, message);
        lock (_progressLock) _progress = progress;
        ProgressChanged?.Invoke(progress);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _cancel.Cancel();
        if (_thread.IsAlive) _thread.Join();
        _cancel.Dispose();
    }

    private bool _disposed;
}
