using LatentTerrain.Engine.Synthesis;
using LatentTerrain.Engine.Terrain;
using LatentTerrain.Instrument;
using LatentTerrain.Tui;

namespace LatentTerrain.Tests.Tui;

/// <summary>Terminal.Gui's applications share process-wide state (its configuration, the driver's statics): one test at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TuiCollection
{
    public const string Name = "Terminal.Gui";
}

/// <summary>An instrument seen from the interface: the built-in terrain, a cursor board, and status the test sets.</summary>
internal sealed class FakeInstrument : IInstrumentView
{
    public static readonly TerrainNetwork Network = DefaultTerrain.Load();

    public TerrainSnapshots Terrain { get; } = new(Network);
    public CursorBoard Cursors { get; } = new();
    public InstrumentStatus Status { get; set; } = new()
    {
        Device = "system", SampleRate = 48000, PeriodFrames = 128, QueuedBlocks = 2, LatencyMilliseconds = 9.6, Voices = 1, SynthLoad = 0.04,
        ModelName = "test model", LatentSize = 8, Ratio = 2048, ModelSampleRate = 44100, Channels = 1, Controllers = ["LPX launchpad"],
    };
    public TrainingProgress? Training { get; set; }
    public TaughtShapes Taught { get; set; } = TaughtShapes.None;
    public TeachingStatus Teaching { get; set; } = TeachingStatus.None;
    public IReadOnlyList<string> Events { get; set; } = [];
}

/// <summary>Records what the interface emits.</summary>
internal sealed class FakePerformer : IPerformer
{
    public List<(int Finger, float X, float Y, float Pressure)> Touches { get; } = [];
    public List<int> Lifts { get; } = [];
    public List<string> Actions { get; } = [];

    public void Touch(int finger, float x, float y, float pressure) => Touches.Add((finger, x, y, pressure));
    public void Lift(int finger) => Lifts.Add(finger);

    public string Perform(string action)
    {
        lock (Actions) Actions.Add(action);
        return $"done: {action}";
    }
}
