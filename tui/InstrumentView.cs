using LatentTerrain.Engine.Maps;
using LatentTerrain.Engine.Synthesis;
using LatentTerrain.Engine.Terrain;

namespace LatentTerrain.Tui;

/// <summary>
/// What the interface reads of the playing instrument (instrument/ provides it). Every member is
/// cheap to read and safe from the UI thread: snapshots and lock-free boards, never anything the
/// synth thread waits on.
/// </summary>
public interface IInstrumentView
{
    /// <summary>The playing terrain; its <see cref="TerrainSnapshots.Version"/> changes at each weight publish (the trainer's).</summary>
    TerrainSnapshots Terrain { get; }

    /// <summary>Every cursor of the synth, whoever moves it (controllers, typed fingers, the interface's own).</summary>
    CursorBoard Cursors { get; }

    /// <summary>Audio, model and controllers as they are now: a new object whenever something changed.</summary>
    InstrumentStatus Status { get; }

    /// <summary>The training run's latest progress, or null when nothing trains or trained.</summary>
    TrainingProgress? Training { get; }

    /// <summary>What the terrain was taught (paths and points), for the map; empty when nothing.</summary>
    TaughtShapes Taught { get; }

    /// <summary>The newest events for the player (devices plugged and gone, answers to actions), newest last; a few at most.</summary>
    IReadOnlyList<string> Events { get; }
}

/// <summary>
/// What the interface emits: the performer's actions. Its own cursors (the mouse's, the keyboard's)
/// are touches; everything else is one line of the action vocabulary, exactly as headless standard
/// input takes it (`FINGER X Y PRESSURE`, `model NAME`, `quit`, ...).
/// </summary>
public interface IPerformer
{
    /// <summary>The interface's own finger (<see cref="MouseFinger"/>, <see cref="KeyboardFinger"/>) pressed or moved to (x, y) on the plane.</summary>
    void Touch(int finger, float x, float y, float pressure);

    /// <summary>The interface's own finger lifted.</summary>
    void Lift(int finger);

    /// <summary>Carries out one action line and answers in one line (what happened, or what was wrong with it).</summary>
    string Perform(string action);

    public const int MouseFinger = 0, KeyboardFinger = 1;
}

/// <summary>Audio, model and controllers, for the status panels.</summary>
public sealed record InstrumentStatus
{
    /// <summary>The output device's name ('system'), or null while there is none (the interface says so plainly).</summary>
    public string? Device { get; init; }
    /// <summary>Why there is no sound now ("no audio output device: ...", "the audio output 'system' is gone; retrying"), else null.</summary>
    public string? AudioProblem { get; init; }
    public int SampleRate { get; init; }
    public int PeriodFrames { get; init; }
    public int QueuedBlocks { get; init; }
    public double LatencyMilliseconds { get; init; }
    public int Voices { get; init; }
    public int MaxVoices { get; init; } = CursorBoard.Capacity;
    /// <summary>The synth thread's share of a core, 0..1.</summary>
    public double SynthLoad { get; init; }
    public long Underruns { get; init; }
    public long UnderrunsTooSlow { get; init; }
    public long UnderrunsDeviceEarly { get; init; }
    public long UnderrunsHeldUp { get; init; }
    /// <summary>Frames the decoder failed on (silenced), and the last failure.</summary>
    public int DecoderFaults { get; init; }
    public string? LastDecoderFault { get; init; }

    public string ModelName { get; init; } = "";
    public int LatentSize { get; init; }
    public int Ratio { get; init; }
    public int ModelSampleRate { get; init; }
    public int Channels { get; init; }
    public bool Resampled => ModelSampleRate != SampleRate;

    /// <summary>One line per open controller: port, kind, profile.</summary>
    public IReadOnlyList<string> Controllers { get; init; } = [];

    /// <summary>The part of the plane a connected Launchpad's 8x8 pads play, or null when none is connected.</summary>
    public PlaneBounds? LaunchpadWindow { get; init; }
}

/// <summary>The dataset's shapes on the plane: each path's anchors in order, whether its fragment is long enough, and the points.</summary>
public sealed record TaughtShapes(IReadOnlyList<TaughtPath> Paths, IReadOnlyList<(float X, float Y)> Points)
{
    public static TaughtShapes None { get; } = new([], []);
}

/// <param name="Number">The path's number as the player knows it (1, 2, ...).</param>
/// <param name="Points">Where it runs, first to last (the direction the fragment plays).</param>
/// <param name="Complete">Long enough for its fragment; an incomplete path is drawn grey.</param>
public sealed record TaughtPath(int Number, IReadOnlyList<(float X, float Y)> Points, bool Complete);
