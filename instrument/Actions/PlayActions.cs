using System.Globalization;
using LatentTerrain.Engine.Synthesis;
using LatentTerrain.Mappings;
using LatentTerrain.Tui;

namespace LatentTerrain.Instrument.Actions;

/// <summary>The answer to one action: what happened, or what was wrong with it (then <see cref="Failed"/>).</summary>
public readonly record struct ActionAnswer(bool Failed, string Text)
{
    public static ActionAnswer Done(string text) => new(false, text);
    public static ActionAnswer Refused(string text) => new(true, text);
}

/// <summary>
/// The performer's actions while the instrument plays, each by one name, carried out in this one
/// place whoever names them: headless standard input and the interface's command line send the
/// same text, the interface's mouse and keyboard cursors come as touches.
/// </summary>
/// <remarks>
/// The vocabulary: <c>FINGER X Y PRESSURE</c> (spaces or commas; finger 0..15 names a typed cursor
/// in later lines, pressure 0 lifts it), <c>model NAME</c> (another autoencoder, crossfaded in),
/// <c>help</c>, <c>quit</c>. Every cursor takes its slot of the board from the allocator the MIDI
/// controllers share, so typing, the mouse and controllers never lift or move one another's.
/// Called from one thread at a time per front end; the board and allocator are thread-safe.
/// </remarks>
/// <param name="switchModel">Plays the named model (off the audio path) and says what it did; what it throws is the answer.</param>
/// <param name="quit">Stops the instrument.</param>
public sealed class PlayActions(CursorBoard board, CursorAllocator allocator, Func<string, string>? switchModel = null, Action? quit = null)
    : IPerformer
{
    public const int Fingers = CursorBoard.Capacity;

    /// <summary>The interface's own fingers (<see cref="IPerformer.MouseFinger"/>, ...) after the typed ones.</summary>
    private const int InterfaceFingers = 4;

    // Each finger's slot of the board, or -1; owners are negative, so never a mapping's (theirs are positive).
    private readonly int[] _slots = Enumerable.Repeat(-1, Fingers + InterfaceFingers).ToArray();
    private readonly Lock _gate = new();

    /// <summary>What the command line shows for <c>help</c> and for a line it does not know.</summary>
    public string Vocabulary => $"FINGER X Y PRESSURE (finger 0..{Fingers - 1}, pressure 0..1){(switchModel != null ? ", model NAME" : "")}, help or quit";

    /// <summary><c>quit</c> was asked.</summary>
    public bool QuitAsked { get; private set; }

    /// <summary>Carries out one line of the vocabulary.</summary>
    public ActionAnswer Apply(string line)
    {
        var fields = line.Split([' ', ',', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length == 0) return ActionAnswer.Done("");
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
                string name = line.Trim()["model".Length..].Trim();
                try
                {
                    return ActionAnswer.Done(switchModel(name));
                }
                catch (Exception e)
                {
                    // Whatever went wrong with the new model, the old one plays on.
                    return ActionAnswer.Refused($"model {name}: {e.Message}");
                }
        }
        if (fields.Length == 4 && int.TryParse(fields[0], out int finger) && finger is >= 0 and < Fingers
            && float.TryParse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture, out float x) && float.IsFinite(x)
            && float.TryParse(fields[2], NumberStyles.Float, CultureInfo.InvariantCulture, out float y) && float.IsFinite(y)
            && float.TryParse(fields[3], NumberStyles.Float, CultureInfo.InvariantCulture, out float pressure) && pressure is >= 0f and <= 1f)
        {
            if (pressure > 0f)
            {
                Move(finger, x, y, pressure);
                return ActionAnswer.Done(string.Create(CultureInfo.InvariantCulture, $"finger {finger} at ({x:0.###}, {y:0.###}), pressure {pressure:0.###}"));
            }
            Lift(finger);
            return ActionAnswer.Done($"finger {finger} lifted");
        }
        return ActionAnswer.Refused($"ignored '{line.Trim()}': expected {Vocabulary}");
    }

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

    private void Move(int finger, float x, float y, float pressure)
    {
        lock (_gate)
        {
            long owner = Owner(finger);
            int slot = _slots[finger];
            // A slot a newer touch took (every slot was held) is claimed afresh.
            if (slot < 0 || !allocator.Owns(slot, owner)) slot = _slots[finger] = allocator.Claim(owner);
            board.Move(slot, x, y, pressure);
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
