using System.Globalization;
using LatentTerrain.Controllers.Devices;
using LatentTerrain.Controllers.Touches;
using LatentTerrain.Instrument.Actions;
using LatentTerrain.Mappings;

namespace LatentTerrain.Instrument.Live;

/// <summary>
/// A Launchpad's right-hand side buttons as stored positions 1..8 (1 at the top), played like drum
/// pads: a press performs <c>recall N 1</c>, its release <c>recall N 0</c>. Pressed while a pad of
/// the grid is held, a button stores that pad's place instead, <c>store N X Y</c> (the newest pad
/// held, where the Launchpad's mapping puts its centre on the plane). The lines are performed by
/// <see cref="MidiLearn"/>'s thread.
/// </summary>
/// <remarks>On the input's thread, under its lock: it reads which pads are held.</remarks>
internal sealed class LaunchpadSideButtons(Launchpad launchpad, Mapping mapping, MidiLearn actions)
{
    private static readonly string[] Sources = Lines("side button {0}");
    private static readonly string[] Recalls = Lines("recall {0} 1");
    private static readonly string[] Lifts = Lines("recall {0} 0");

    /// <summary>The buttons whose press recalled a position not yet lifted: bit N - 1 for button N.</summary>
    private int _recalling;

    /// <summary>Whether a message (one whole message) is a side button's, and then performs what it means.</summary>
    public bool Offer(ReadOnlySpan<byte> message)
    {
        if (message.Length != 3 || (message[0] & 0xF0) != 0xB0 || !Launchpad.IsSideButton(message[1], out int button)) return false;
        int bit = 1 << (button - 1);
        if (message[2] == 0)
        {
            if ((_recalling & bit) != 0) Lift(button);
        }
        else if (launchpad.Grid.TryLatestHeld(out int column, out int row))
        {
            var (x, y) = mapping.Position(new Touch(0, TouchPhase.Move, column + 0.5f, row + 0.5f, 1f, 1f, 0));
            actions.Perform(Sources[button - 1], string.Create(CultureInfo.InvariantCulture, $"store {button} {x:0.###} {y:0.###}"));
        }
        else if ((_recalling & bit) == 0)
        {
            _recalling |= bit;
            actions.Perform(Sources[button - 1], Recalls[button - 1]);
        }
        return true;
    }

    /// <summary>Lifts every position a button still holds (the device went away, or playing stops).</summary>
    public void ReleaseAll()
    {
        for (int button = 1; button <= Launchpad.SideButtons; button++)
            if ((_recalling & 1 << (button - 1)) != 0) Lift(button);
    }

    private void Lift(int button)
    {
        _recalling &= ~(1 << (button - 1));
        actions.Perform(Sources[button - 1], Lifts[button - 1]);
    }

    private static string[] Lines(string format) =>
        [.. Enumerable.Range(1, Launchpad.SideButtons).Select(button => string.Format(CultureInfo.InvariantCulture, format, button))];
}
