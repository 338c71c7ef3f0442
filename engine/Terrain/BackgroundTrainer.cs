using System.Diagnostics;

namespace LatentTerrain.Engine.Terrain;

public enum TrainingState { Idle, Training, Finished, Cancelled, Failed }

/// <summary>A moment of a training run, as the UI shows it.</summary>
/// <param name="Epochs">The epoch the run ends at (its trainer's count, so runs that continue a trainer count on).</param>
/// <param name="Continuous">The run goes on until it is stopped; <paramref name="Epochs"/> means nothing then.</param>
public readonly record struct TrainingProgress(
    TrainingState State, int Step, int Epoch, int Epochs, float Loss, float StepsPerSecond, int Recoveries, string? Message, bool Continuous = false);

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
    private readonly int _endEpoch;
    private readonly bool _continuous;
    private TrainingPairs? _newData;
    private float _newLearningRate = float.NaN;
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
        : this(snapshots, new TerrainTrainer(start, data, options), options.Epochs)
    {
    }

    /// <summary>
    /// A run that continues <paramref name="trainer"/> (its weights, Adam's moments, its epoch count)
    /// for <paramref name="epochs"/> more epochs, or until <see cref="Cancel"/> when that is null.
    /// The trainer is this run's until it ends; the terrain it holds is published as it learns.
    /// </summary>
    public BackgroundTrainer(TerrainSnapshots snapshots, TerrainTrainer trainer, int? epochs)
    {
        if (epochs is < 1) throw new ArgumentOutOfRangeException(nameof(epochs), epochs, "a run trains at least one epoch");
        _snapshots = snapshots;
        _trainer = trainer;
        _continuous = epochs == null;
        _endEpoch = (int)Math.Min((long)trainer.Epoch + (epochs ?? int.MaxValue), int.MaxValue);
        _lastGood = trainer.Network.Clone();
        _progress = new TrainingProgress(TrainingState.Idle, trainer.Step, trainer.Epoch, _endEpoch, float.NaN, 0f, 0, null, _continuous);
        _thread = new Thread(Run) { IsBackground = true, Name = "terrain trainer", Priority = ThreadPriority.BelowNormal };
    }

    private TaskCompletionSource<(TerrainNetwork, TrainerState)>? _snapshotRequest;

    /// <summary>
    /// The trainer's weights and state between two of its steps (what a session saves), taken by the
    /// trainer's thread at its next step, or here when the run is over; any thread.
    /// </summary>
    public (TerrainNetwork Network, TrainerState State) Snapshot()
    {
        var request = new TaskCompletionSource<(TerrainNetwork, TrainerState)>(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _snapshotRequest, request);
        // A run that has ended (or never started) takes no more steps: its trainer is still.
        while (!request.Task.Wait(10))
            if (!_thread.IsAlive && Interlocked.Exchange(ref _snapshotRequest, null) is { } unserved)
                unserved.TrySetResult((_trainer.Network.Clone(), _trainer.State));
        return request.Task.Result;
    }

    private void ServeSnapshot()
    {
        if (Interlocked.Exchange(ref _snapshotRequest, null) is { } request) request.TrySetResult((_trainer.Network.Clone(), _trainer.State));
    }

    /// <summary>Trains on these pairs from the next epoch on (what the performer taught meanwhile); any thread.</summary>
    public void Teach(TrainingPairs data) => Volatile.Write(ref _newData, data);

    /// <summary>The learning rate from the next step on; any thread.</summary>
    public float LearningRate
    {
        get => float.IsNaN(Volatile.Read(ref _newLearningRate)) ? _trainer.LearningRate : _newLearningRate;
        set => Volatile.Write(ref _newLearningRate, value is > 0f and <= 1f ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "a learning rate is in (0, 1]"));
    }

    public TrainingProgress Progress { get { lock (_progressLock) return _progress; } }

    /// <summary>Raised on the trainer thread after every epoch, every publish and at the end.</summary>
    public event Action<TrainingProgress>? ProgressChanged;

    public void Start() => _thread.Start();
    public void Cancel()
    {
        if (!_disposed) _cancel.Cancel();
    }
    /// <summary>Waits for the run to end; true when it ended within the timeout.</summary>
    public bool Wait(TimeSpan timeout) => _thread.Join(timeout);

    private int _firstStep;

    private void Run()
    {
        Synthesis.Scheduling.TryMakeBackground();
        _firstStep = _trainer.Step;
        var clock = Stopwatch.StartNew();
        var lastPublish = TimeSpan.Zero;
        int recoveries = 0;
        float loss = float.NaN;
        string? message = null;

        bool AfterStep(float stepLoss)
        {
            ServeSnapshot();
            float rate = Interlocked.Exchange(ref _newLearningRate, float.NaN);
            if (!float.IsNaN(rate)) _trainer.LearningRate = rate;
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
            while (_trainer.Epoch < _endEpoch)
            {
                if (Interlocked.Exchange(ref _newData, null) is { } data) _trainer.ReplaceData(data);
                float epochLoss = _trainer.TrainEpoch(AfterStep);
                if (_cancel.IsCancellationRequested)
                {
                    // What it learnt up to the stop is kept: the terrain playing is the trainer's.
                    if (_trainer.IsFinite()) PublishGood();
                    else _trainer.Restore(_lastGood);
                    Report(TrainingState.Cancelled, loss, recoveries, clock, "stopped");
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
        finally
        {
            ServeSnapshot();
        }
    }

    private void PublishGood()
    {
        _trainer.Network.Parameters.CopyTo(_lastGood.Parameters, 0);
        _snapshots.Publish(_trainer.Network);
    }

    private void Report(TrainingState state, float loss, int recoveries, Stopwatch clock, string? message)
    {
        var progress = new TrainingProgress(state, _trainer.Step, _trainer.Epoch, _endEpoch, loss,
            (float)((_trainer.Step - _firstStep) / Math.Max(clock.Elapsed.TotalSeconds, 1e-9)), recoveries, message, _continuous);
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
