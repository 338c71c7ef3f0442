using System.Diagnostics;
using LatentTerrain.Engine.Synthesis;
using LatentTerrain.Engine.Terrain;
using LatentTerrain.Instrument.Teaching;
using LatentTerrain.Models;
using LatentTerrain.Tui;

namespace LatentTerrain.Instrument.Live;

/// <summary>
/// The playing instrument as the terminal interface reads it (<see cref="IInstrumentView"/>):
/// the terrain's snapshots and the cursor board as they are, a status record rebuilt at most four
/// times a second (so the interface's frames allocate none of it), and the news of the run.
/// </summary>
/// <param name="session">The session kept, for the screen (the same string until it changes), or null.</param>
public sealed class LiveView(LiveInstrument instrument, Func<LiveControllers?> controllers, EventLog events, Teacher teacher, Func<string?>? session = null) : IInstrumentView
{
    private static readonly TimeSpan StatusInterval = TimeSpan.FromMilliseconds(250);

    private InstrumentStatus? _status;
    private long _statusAt;

    public TerrainSnapshots Terrain => instrument.Terrain;

    public CursorBoard Cursors => instrument.Synth.Cursors;

    public TrainingProgress? Training => instrument.Training;

    public TaughtShapes Taught => teacher.Shapes;

    private (TeachingStatus From, string? Session, TeachingStatus Shown)? _teaching;

    /// <summary>The teacher's status with the session's line: a new object only when either changed.</summary>
    public TeachingStatus Teaching
    {
        get
        {
            var taught = teacher.Status;
            string? kept = session?.Invoke();
            if (_teaching is var (last, lastSession, shown) && ReferenceEquals(last, taught) && ReferenceEquals(lastSession, kept)) return shown;
            var status = taught with { Session = kept };
            _teaching = (taught, kept, status);
            return status;
        }
    }

    public IReadOnlyList<string> Events => events.Recent;

    public InstrumentStatus Status
    {
        get
        {
            if (_status == null || Stopwatch.GetElapsedTime(_statusAt) >= StatusInterval)
            {
                _status = Build();
                _statusAt = Stopwatch.GetTimestamp();
            }
            return _status;
        }
    }

    private InstrumentStatus Build()
    {
        var synthThread = instrument.SynthThread;
        IAutoencoder model = instrument.Synth.Model;
        var faults = instrument.Synth.Faults;
        var playing = controllers();
        bool heard = instrument.HasOutput && instrument.OutputProblem == null;
        return new InstrumentStatus
        {
            Device = instrument.HasOutput ? instrument.Output.DeviceName : null,
            AudioProblem = instrument.OutputProblem,
            SampleRate = instrument.Settings.SampleRate,
            PeriodFrames = instrument.Settings.Frames,
            QueuedBlocks = synthThread.AheadFrames / synthThread.BlockFrames,
            LatencyMilliseconds = instrument.ExpectedLatencySeconds * 1000,
            Voices = instrument.Synth.SoundingVoices,
            SynthLoad = synthThread.Load,
            Underruns = heard ? instrument.Output.Underruns : 0,
            UnderrunsTooSlow = synthThread.SlowUnderruns,
            UnderrunsDeviceEarly = synthThread.EarlyDeviceUnderruns,
            UnderrunsHeldUp = synthThread.HeldUpUnderruns,
            DecoderFaults = (int)faults.Count,
            LastDecoderFault = faults.Last,
            ModelName = model.Name,
            LatentSize = model.LatentSize,
            Ratio = model.Ratio,
            ModelSampleRate = model.SampleRate,
            Channels = model.Channels,
            Controllers = playing?.Inputs.Select(input => input.ToString()).ToArray() ?? [],
            LaunchpadWindow = playing?.LaunchpadWindow,
        };
    }
}

/// <summary>
/// Where the one-line news of a run goes while the interface owns the terminal (a device plugged
/// in, the output gone, an action's answer): kept, the newest few, for the interface to show.
/// </summary>
public sealed class EventLog : TextWriter
{
    private const int Kept = 8;

    private readonly Lock _gate = new();
    private readonly System.Text.StringBuilder _line = new();
    private string[] _recent = [];

    /// <summary>The newest lines, newest last.</summary>
    public IReadOnlyList<string> Recent => Volatile.Read(ref _recent);

    public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_gate)
        {
            if (value == '\n') Add();
            else if (value != '\r') _line.Append(value);
        }
    }

    public override void WriteLine(string? value)
    {
        lock (_gate)
        {
            _line.Append(value);
            Add();
        }
    }

    private void Add()
    {
        string line = _line.ToString();
        _line.Clear();
        // "terrain: " heads every line on standard error; on screen it says nothing.
        if (line.StartsWith("terrain: ", StringComparison.Ordinal)) line = line["terrain: ".Length..];
        var recent = Volatile.Read(ref _recent);
        Volatile.Write(ref _recent, [.. recent.Skip(Math.Max(0, recent.Length - Kept + 1)), line]);
    }
}
