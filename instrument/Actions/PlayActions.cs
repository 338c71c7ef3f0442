using System.Globalization;
using LatentTerrain.Engine.Synthesis;
using LatentTerrain.Engine.Terrain;
using LatentTerrain.Instrument.Teaching;
using LatentTerrain.Mappings;
using LatentTerrain.Tui;

namespace LatentTerrain.Instrument.Actions;

/// <summary>
/// The answer to one action: what happened, or what was wrong with it (then <see cref="Failed"/>).
/// <see cref="Quiet"/> answers (a finger's moves, which come in streams) are not echoed to scripts.
/// </summary>
public readonly record struct ActionAnswer(bool Failed, string Text, bool Quiet = false)
{
    public static ActionAnswer Done(string text) => new(false, text);
    public static ActionAnswer Moved(string text) => new(false, text, Quiet: true);
    public static ActionAnswer Refused(string text) => new(true, text);
}

/// <summary>
/// The performer's actions while the instrument plays, each by one name, carried out in this one
/// place whoever names them: headless standard input and the interface's command line send the
/// same text, the interface's keys and mouse send it too (its own cursors come as touches), MIDI
/// learn sends the line a control is bound to. docs/actions.md lists the vocabulary.
/// </summary>
/// <remarks>
/// Every cursor takes its slot of the board from the allocator the MIDI controllers share, so
/// typing, the mouse, stored positions and controllers never lift or move one another's. Lines may
/// come from several threads (standard input, the interface's worker, MIDI learn's); the fingers
/// have a lock of their own, the teacher one of its own.
/// </remarks>
/// <param name="switchModel">Plays the named model (off the audio path) and says what it did; what it throws is the answer.</param>
/// <param name="teacher">Fragments, paths, points, training, playback and export; null where only playing is offered.</param>
/// <param name="quit">Stops the instrument.</param>
/// <param name="learn">MIDI learn (`learn ACTION`, `forget ACTION`, `bindings`); null where no controllers are open.</param>
/// <param name="sessions">`save [DIR]` and `open DIR`; null where nothing is kept.</param>
public sealed class PlayActions(CursorBoard board, CursorAllocator allocator, Func<string, string>? switchModel = null, Action? quit = null,
    Teacher? teacher = null, MidiLearn? learn = null, Sessions.SessionKeeper? sessions = null)
    : IPerformer
{
    public const int Fingers = CursorBoard.Capacity;

    /// <summary>The interface's own fingers (<see cref="IPerformer.MouseFinger"/>, ...) after the typed ones.</summary>
    private const int InterfaceFingers = 4;

    /// <summary>The fingers of stored positions (`recall N`) after the interface's.</summary>
    private const int RecallFingers = Teacher.MaxPositions;

    // Each finger's slot of the board, or -1; owners are negative, so never a mapping's (theirs are positive).
    private readonly int[] _slots = Enumerable.Repeat(-1, Fingers + InterfaceFingers + RecallFingers).ToArray();
    private readonly Lock _gate = new();
    private (float X, float Y)? _lastTouch;

    /// <summary>What the command line shows for <c>help</c> and for a line it does not know.</summary>
    public string Vocabulary => $"FINGER X Y PRESSURE (finger 0..{Fingers - 1}, pressure 0..1){(switchModel != null ? ", model NAME" : "")}"
        + (teacher != null ? ", fragment add PATH|record|stop|capture SECONDS, path N X,Y X,Y ..., draw N|stop, point X Y cursor C|fragment N SECONDS|input|latent V ..., move point N X Y, nudge point N DIM DELTA, delete fragment|path|point N, density D, undo, redo, train [EPOCHS], stop, wait, lr up|down|RATE, reset [seed=N sigma=S width=W depth=D activation=A], play path N [loop]|fragment N|stop, store N [X Y], recall N [PRESSURE], export terrain|dataset FILE" : "")
        + (learn != null ? ", learn ACTION, forget ACTION, bindings" : "")
        + (sessions != null ? ", save [DIR], open DIR" : "")
        + ", help or quit (docs/actions.md)";

    /// <summary><c>quit</c> was asked.</summary>
    public bool QuitAsked { get; private set; }

    /// <summary>Carries out one line of the vocabulary.</summary>
    public ActionAnswer Apply(string line)
    {
        var fields = line.Split([' ', ',', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length == 0) return ActionAnswer.Done("");
        try
        {
            switch (fields[0])
            {
                case "quit" or "q":
                    QuitAsked = true;
                    quit?.Invoke();
                    return ActionAnswer.Done("quitting");
                case "help":
                    return ActionAnswer.Done($"actions: {Vocabulary}");
                case "model" when fields.Length > 1 && switchModel != null:
                    // The rest of the line, spaces and all, is the name: a path may hold them.
                    string name = Rest(line, 1);
                    try
                    {
                        return ActionAnswer.Done(switchModel(name));
                    }
                    catch (Exception e)
                    {
                        // Whatever went wrong with the new model, the old one plays on.
                        return ActionAnswer.Refused($"model {name}: {e.Message}");
                    }
                case "store" when teacher != null:
                    return ActionAnswer.Done(Store(fields));
                case "recall" when teacher != null:
                    return ActionAnswer.Done(Recall(fields));
                case "learn" when learn != null:
                    return Learn(line);
                case "forget" when learn != null && fields.Length > 1:
                    return learn.Forget(Rest(line, 1));
                case "bindings" when learn != null:
                    return learn.Describe();
                case "save" when sessions != null:
                    return ActionAnswer.Done(sessions.Save(fields.Length > 1 ? Rest(line, 1) : null));
                case "open" when sessions != null && fields.Length > 1:
                    return ActionAnswer.Done(sessions.Open(Rest(line, 1)));
            }
            if (teacher != null && Teach(teacher, line, fields) is { } answer) return ActionAnswer.Done(answer);
        }
        catch (RefusedException refused)
        {
            return ActionAnswer.Refused(refused.Message);
        }
        if (fields.Length == 4 && int.TryParse(fields[0], out int finger) && finger is >= 0 and < Fingers
            && float.TryParse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture, out float x) && float.IsFinite(x)
            && float.TryParse(fields[2], NumberStyles.Float, CultureInfo.InvariantCulture, out float y) && float.IsFinite(y)
            && float.TryParse(fields[3], NumberStyles.Float, CultureInfo.InvariantCulture, out float pressure) && pressure is >= 0f and <= 1f)
        {
            if (pressure > 0f)
            {
                int cursor = Move(finger, x, y, pressure);
                return ActionAnswer.Moved(string.Create(CultureInfo.InvariantCulture, $"finger {finger} at ({x:0.###}, {y:0.###}), pressure {pressure:0.###} (cursor {cursor})"));
            }
            Lift(finger);
            return ActionAnswer.Moved($"finger {finger} lifted");
        }
        return ActionAnswer.Refused($"ignored '{line.Trim()}': expected {Vocabulary}");
    }

    /// <summary>Arms MIDI learn for an action, once the action is known to be one: a typo is refused now, not when the pad is struck.</summary>
    private ActionAnswer Learn(string line)
    {
        string action = Rest(line, 1);
        string verb = action.Split(' ', 2)[0];
        if (action.Length == 0 || verb is "learn" or "forget" or "bindings" or "quit" or "wait" || !Verbs.Contains(verb))
            return ActionAnswer.Refused($"learn: '{action}' is not an action a control can perform (say learn train, learn undo, learn recall 3, ...)");
        return learn!.Learn(action);
    }

    /// <summary>The first words of every action (for `learn`, which binds a control to one).</summary>
    private static readonly HashSet<string> Verbs =
        ["model", "store", "recall", "fragment", "path", "draw", "delete", "point", "move", "nudge", "density", "undo", "redo", "train", "stop", "lr", "reset", "play", "export", "save", "open"];

    /// <summary>The teaching actions; null for a line that is none of them.</summary>
    private static string? Teach(Teacher teacher, string line, string[] f)
    {
        string verb = f[0], what = f.Length > 1 ? f[1] : "";
        return verb switch
        {
            "fragment" => what switch
            {
                "add" => teacher.AddFile(Rest(line, 2)),
                "record" when f.Length == 2 => teacher.StartRecording(),
                "stop" when f.Length == 2 => teacher.StopRecording(),
                "capture" when f.Length == 3 => teacher.Capture(Float(f, 2, line)),
                _ => throw Usage(line, "fragment add PATH, fragment record, fragment stop or fragment capture SECONDS"),
            },
            "path" when f.Length >= 4 && f.Length % 2 == 0 => teacher.SetPath(Int(f, 1, line), Anchors(f, 2, line)),
            "path" => throw Usage(line, "path N X,Y X,Y ... (fragment N's path through these anchors)"),
            "draw" when f.Length == 2 && what == "stop" => teacher.StopDrawing(),
            "draw" when f.Length == 2 => teacher.StartDrawing(Int(f, 1, line)),
            "draw" => throw Usage(line, "draw N (the next touch draws fragment N's path) or draw stop"),
            "delete" when f.Length == 3 => what switch
            {
                "fragment" => teacher.DeleteFragment(Int(f, 2, line)),
                "path" => teacher.DeletePath(Int(f, 2, line)),
                "point" => teacher.DeletePoint(Int(f, 2, line)),
                _ => throw Usage(line, "delete fragment N, delete path N or delete point N"),
            },
            "delete" => throw Usage(line, "delete fragment N, delete path N or delete point N"),
            "point" when f.Length >= 4 => Point(teacher, line, f),
            "point" => throw Usage(line, "point X Y cursor C, point X Y fragment N SECONDS, point X Y input or point X Y latent V1 V2 ..."),
            "move" when f.Length == 5 && what == "point" => teacher.MovePoint(Int(f, 2, line), Float(f, 3, line), Float(f, 4, line)),
            "move" => throw Usage(line, "move point N X Y"),
            "nudge" when f.Length == 5 && what == "point" => teacher.NudgePoint(Int(f, 2, line), Int(f, 3, line), Float(f, 4, line)),
            "nudge" => throw Usage(line, "nudge point N DIM DELTA"),
            "density" when f.Length == 2 => teacher.SetDensity(Float(f, 1, line)),
            "density" => throw Usage(line, "density D"),
            "undo" when f.Length == 1 => teacher.Undo(),
            "redo" when f.Length == 1 => teacher.Redo(),
            "train" when f.Length <= 2 => teacher.Train(f.Length == 2 ? Int(f, 1, line) : null),
            "train" => throw Usage(line, "train or train EPOCHS"),
            "stop" when f.Length == 1 => teacher.Stop(),
            "wait" when f.Length == 1 => teacher.WaitForTraining(),
            "lr" when f.Length == 2 => teacher.SetLearningRate(what),
            "lr" => throw Usage(line, "lr up, lr down or lr RATE"),
            "reset" => teacher.Reset(ResetConfig(teacher.Config, f, line)),
            "play" => what switch
            {
                "path" when f.Length is 3 or 4 && (f.Length == 3 || f[3] is "loop" or "once") => teacher.PlayPath(Int(f, 2, line), f.Length == 4 && f[3] == "loop"),
                "fragment" when f.Length == 3 => teacher.PlayFragment(Int(f, 2, line)),
                "stop" when f.Length == 2 => teacher.StopPlaying(),
                _ => throw Usage(line, "play path N [loop], play fragment N or play stop"),
            },
            "export" when f.Length >= 3 && what == "terrain" => teacher.ExportTerrain(Rest(line, 2)),
            "export" when f.Length >= 3 && what == "dataset" => teacher.ExportDataset(Rest(line, 2)),
            "export" => throw Usage(line, "export terrain FILE or export dataset FILE (max:FILE for Max dictionaries)"),
            _ => null,
        };
    }

    private static string Point(Teacher teacher, string line, string[] f)
    {
        float x = Float(f, 1, line), y = Float(f, 2, line);
        switch (f[3])
        {
            case "cursor" when f.Length == 5:
                int cursor = Int(f, 4, line);
                return teacher.AddPoint(x, y, teacher.LatentUnderCursor(cursor), $"cursor {cursor}");
            case "fragment" when f.Length == 6:
                int number = Int(f, 4, line);
                double seconds = Float(f, 5, line);
                return teacher.AddPoint(x, y, teacher.LatentOfFragment(number, seconds), string.Create(CultureInfo.InvariantCulture, $"fragment {number} at {seconds} s"));
            case "input" when f.Length == 4:
                return teacher.AddPoint(x, y, teacher.LatentOfInput(), "audio input");
            case "latent" when f.Length > 4:
                return teacher.AddPoint(x, y, [.. Enumerable.Range(4, f.Length - 4).Select(i => Float(f, i, line))], "typed latent");
            default:
                throw Usage(line, "point X Y cursor C, point X Y fragment N SECONDS, point X Y input or point X Y latent V1 V2 ...");
        }
    }

    private static TerrainConfig ResetConfig(TerrainConfig playing, string[] f, string line)
    {
        var config = playing with { Seed = playing.Seed + 1 };
        foreach (string setting in f.Skip(1))
        {
            var (key, value) = setting.Split('=', 2) is [var k, var v] ? (k, v) : throw Usage(line, "reset [seed=N] [sigma=S] [width=W] [depth=D] [activation=prelu|silu|tanh]");
            config = key switch
            {
                "seed" when int.TryParse(value, out int seed) => config with { Seed = seed },
                "sigma" when TryFloat(value, out float sigma) => config with { Sigma = sigma },
                "width" when int.TryParse(value, out int width) => config with { Width = width },
                "depth" when int.TryParse(value, out int depth) => config with { Depth = depth },
                "activation" when Enum.TryParse<Activation>(value, ignoreCase: true, out var activation) && Enum.IsDefined(activation) => config with { Activation = activation },
                _ => throw new RefusedException($"reset: '{setting}' is not a setting (seed=N, sigma=S, width=W, depth=D, activation=prelu|silu|tanh)"),
            };
        }
        return config;
    }

    private string Store(string[] f)
    {
        if (f.Length is not (2 or 4)) throw Usage(string.Join(' ', f), "store N or store N X Y");
        int number = Int(f, 1, "store");
        (float X, float Y) at = f.Length == 4 ? (Float(f, 2, "store"), Float(f, 3, "store"))
            : _lastTouch ?? throw new RefusedException($"store {number}: nothing was touched yet; say store {number} X Y");
        return teacher!.Store(number, at.X, at.Y);
    }

    private string Recall(string[] f)
    {
        if (f.Length is not (2 or 3)) throw Usage(string.Join(' ', f), "recall N or recall N PRESSURE");
        int number = Int(f, 1, "recall");
        float pressure = f.Length == 3 ? Float(f, 2, "recall") : 1f;
        if (!(pressure is >= 0f and <= 1f)) throw new RefusedException($"recall {number}: pressure is 0..1, not {f[2]}");
        var position = teacher!.Position(number);
        int finger = Fingers + InterfaceFingers + number - 1;
        if (pressure == 0f)
        {
            Lift(finger);
            return $"position {number} lifted";
        }
        int cursor = Move(finger, position.X, position.Y, pressure);
        return string.Create(CultureInfo.InvariantCulture, $"position {number} at ({position.X:0.###}, {position.Y:0.###}), pressure {pressure:0.###} (cursor {cursor})");
    }

    /// <summary>The line after its first <paramref name="words"/> words, as typed (a path may hold spaces).</summary>
    private static string Rest(string line, int words)
    {
        string rest = line.Trim();
        for (int i = 0; i < words; i++)
        {
            int space = rest.IndexOfAny([' ', '\t']);
            rest = space < 0 ? "" : rest[space..].TrimStart();
        }
        return rest;
    }

    private static (float X, float Y)[] Anchors(string[] f, int from, string line) =>
        [.. Enumerable.Range(0, (f.Length - from) / 2).Select(i => (Float(f, from + 2 * i, line), Float(f, from + 2 * i + 1, line)))];

    private static int Int(string[] f, int index, string line) =>
        int.TryParse(f[index], NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value
        : throw new RefusedException($"'{line.Trim()}': '{f[index]}' is not a whole number");

    private static float Float(string[] f, int index, string line) =>
        TryFloat(f[index], out float value) ? value : throw new RefusedException($"'{line.Trim()}': '{f[index]}' is not a number");

    private static bool TryFloat(string text, out float value) =>
        float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && float.IsFinite(value);

    private static RefusedException Usage(string line, string expected) => new($"'{line.Trim()}': expected {expected}");

    string IPerformer.Perform(string action) => Apply(action).Text;

    void IPerformer.Touch(int finger, float x, float y, float pressure) => Move(Fingers + InterfaceFinger(finger), x, y, pressure);

    void IPerformer.Lift(int finger) => Lift(Fingers + InterfaceFinger(finger));

    /// <summary>Lifts every finger this front end holds (the interface closing, standard input ending).</summary>
    public void LiftAll()
    {
        for (int finger = 0; finger < _slots.Length; finger++) Lift(finger);
    }

    private static int InterfaceFinger(int finger) =>
        finger is >= 0 and < InterfaceFingers ? finger : throw new ArgumentOutOfRangeException(nameof(finger), finger, $"the interface has fingers 0..{InterfaceFingers - 1}");

    /// <summary>Moves the finger's cursor, claiming one if it has none; returns the cursor (its slot of the board).</summary>
    private int Move(int finger, float x, float y, float pressure)
    {
        lock (_gate)
        {
            long owner = Owner(finger);
            int slot = _slots[finger];
            // A slot a newer touch took (every slot was held) is claimed afresh.
            if (slot < 0 || !allocator.Owns(slot, owner)) slot = _slots[finger] = allocator.Claim(owner);
            board.Move(slot, x, y, pressure);
            _lastTouch = (x, y);
            return slot;
        }
    }

    private void Lift(int finger)
    {
        lock (_gate)
        {
            int slot = _slots[finger];
            if (slot < 0) return;
            _slots[finger] = -1;
            if (!allocator.Owns(slot, Owner(finger))) return;
            board.Release(slot);
            allocator.Free(slot, Owner(finger));
        }
    }

    private static long Owner(int finger) => -1 - finger;
}
