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

    /// <summary>What the terrain was taught (paths and points), for the map; empty when nothing. A new object after each edit.</summary>
    TaughtShapes Taught { get; }

    /// <summary>The fragments, the recording, the input's level and the training settings: a new object whenever something changed.</summary>
    TeachingStatus Teaching { get; }

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

/// <param name="Number">The path's number as the player knows it: its fragment's number (1, 2, ...).</param>
/// <param name="Points">Its anchors, first to last (the direction the fragment plays).</param>
/// <param name="Complete">Long enough for its fragment; an incomplete path is drawn grey.</param>
public sealed record TaughtPath(int Number, IReadOnlyList<(float X, float Y)> Points, bool Complete);

/// <summary>What the performer teaches from, for the fragments panel and the drawing modes.</summary>
public sealed record TeachingStatus
{
    public static TeachingStatus None { get; } = new();

    public IReadOnlyList<FragmentRow> Fragments { get; init; } = [];
    /// <summary>Arc-length spacing of a path's points: a fragment of F frames draws a path of at most Density x (F - 1).</summary>
    public float Density { get; init; } = 0.4f;
    /// <summary>The audio input's name, or null when none is open (`fragment record` and `point X Y input` then say why).</summary>
    public string? Input { get; init; }
    /// <summary>The input's peak level, 0..1, over the last tenth of a second.</summary>
    public float InputLevel { get; init; }
    /// <summary>Seconds recorded while `fragment record` runs, else null.</summary>
    public double? RecordingSeconds { get; init; }
    /// <summary>The trainer's learning rate (what the next `train` starts with, or the running one's).</summary>
    public float LearningRate { get; init; }
    /// <summary>What `undo` and `redo` would take back or do again ("path 2", "reset"), or null when nothing.</summary>
    public string? Undo { get; init; }
    public string? Redo { get; init; }
    /// <summary>Stored positions by number (`store N`, `recall N`).</summary>
    public IReadOnlyList<StoredPosition> Positions { get; init; } = [];
    /// <summary>The session kept, and when it was last saved ("my-set · saved 21:04:09"), or null.</summary>
    public string? Session { get; init; }
    /// <summary>The path a cursor is travelling (`play path N`), or null.</summary>
    public int? PlayingPath { get; init; }
}

/// <param name="Number">1, 2, ...: what `path N`, `point X Y fragment N S` and `delete fragment N` name.</param>
/// <param name="Name">Its file's name without extension, "recording 2", "capture 3".</param>
/// <param name="Frames">Latent frames, 0 while encoding.</param>
/// <param name="Encoding">Still being encoded: no path can be drawn yet.</param>
/// <param name="Path">Whether a path was drawn for it, and whether it is long enough.</param>
/// <param name="Warning">Why it may teach badly ("0.3 s is shorter than the model's receptive field, about 0.5 s"), else null.</param>
public sealed record FragmentRow(int Number, string Name, double Seconds, int Frames, bool Encoding, PathState Path, string? Warning);

public enum PathState { None, Incomplete, Complete }

/// <summary>A remembered position: `recall Number` plays there.</summary>
public readonly record struct StoredPosition(int Number, float X, float Y);
