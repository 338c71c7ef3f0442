using System.Globalization;
using LatentTerrain.Engine.Synthesis;
using LatentTerrain.Mappings;

namespace LatentTerrain.Instrument.CommandLine;

/// <summary>
/// Commands from standard input, one per line: <c>FINGER X Y PRESSURE</c> (spaces or commas;
/// finger 0..15 names the typed cursor in later lines; pressure 0 lifts it), <c>model NAME</c>
/// (another autoencoder, crossfaded in) or <c>quit</c>. Each typed finger takes a slot of the cursor
/// board from the allocator the MIDI controllers share, so typing never lifts or moves a cursor a
/// controller holds. A malformed line, or a model that cannot be played, is reported in one line and
/// the instrument plays on.
/// </summary>
/// <param name="switchModel">Plays the named model (on this reader's thread, off the audio path); what it throws is reported.</param>
public sealed class StandardInput(CursorBoard board, CursorAllocator allocator, TextWriter errors, Action<string>? switchModel = null)
{
    public const int Fingers = CursorBoard.Capacity;

    // Owners of the allocator's slots: negative, so never a mapping's (theirs are positive).
    private readonly int[] _slots = Enumerable.Repeat(-1, Fingers).ToArray();
    private volatile bool _ended;
    private volatile bool _quit;

    /// <summary>Standard input ended (or <c>quit</c> was typed).</summary>
    public bool Ended => _ended;

    /// <summary><c>quit</c> was typed.</summary>
    public bool Quit => _quit;

    /// <summary>Reads <paramref name="reader"/> on a thread of its own until it ends or says quit.</summary>
    public static StandardInput Start(TextReader reader, CursorBoard board, CursorAllocator allocator, TextWriter errors, Action<string>? switchModel = null)
    {
        var input = new StandardInput(board, allocator, errors, switchModel);
        new Thread(() =>
        {
            while (!input.Quit && reader.ReadLine() is string line) input.Apply(line);
            input._ended = true;
        }) { IsBackground = true, Name = "standard input" }.Start();
        return input;
    }

    /// <summary>Carries out one line.</summary>
    public void Apply(string line)
    {
        var fields = line.Split([' ', ',', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length == 0) return;
        if (fields[0] is "quit" or "q")
        {
            _quit = true;
            _ended = true;
            return;
        }
        if (fields[0] == "model" && fields.Length > 1 && switchModel != null)
        {
            // The rest of the line, spaces and all, is the name: a path may hold them.
            string name = line.Trim()["model".Length..].Trim();
            try
            {
                switchModel(name);
            }
            catch (Exception e)
            {
                // Whatever went wrong with the new model, the old one plays on.
                errors.WriteLine($"terrain play: model {name}: {e.Message}");
            }
            return;
        }
        if (fields.Length == 4 && int.TryParse(fields[0], out int finger) && finger is >= 0 and < Fingers
            && float.TryParse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture, out float x) && float.IsFinite(x)
            && float.TryParse(fields[2], NumberStyles.Float, CultureInfo.InvariantCulture, out float y) && float.IsFinite(y)
            && float.TryParse(fields[3], NumberStyles.Float, CultureInfo.InvariantCulture, out float pressure) && pressure is >= 0f and <= 1f)
        {
            if (pressure > 0f) Move(finger, x, y, pressure);
            else Lift(finger);
        }
        else errors.WriteLine($"terrain play: ignored '{line.Trim()}': expected FINGER X Y PRESSURE (finger 0..{Fingers - 1}, pressure 0..1){(switchModel != null ? ", model NAME" : "")} or quit");
    }

    private void Move(int finger, float x, float y, float pressure)
    {
        long owner = Owner(finger);
        int slot = _slots[finger];
        // A slot a newer touch took (every slot was held) is claimed afresh.
        if (slot < 0 || !allocator.Owns(slot, owner)) slot = _slots[finger] = allocator.Claim(owner);
        board.Move(slot, x, y, pressure);
    }

    private void Lift(int finger)
    {
        int slot = _slots[finger];
        if (slot < 0) return;
        _slots[finger] = -1;
        if (!allocator.Owns(slot, Owner(finger))) return;
        board.Release(slot);
        allocator.Free(slot, Owner(finger));
    }

    private static long Owner(int finger) => -1 - finger;
}
