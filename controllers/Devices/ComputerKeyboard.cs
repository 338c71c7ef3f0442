using LatentTerrain.Controllers.Touches;

namespace LatentTerrain.Controllers.Devices;

/// <summary>
/// The computer's letter keys as a 10 x 4 <see cref="PadGrid"/>, for playing without hardware: the
/// rows "zxcvbnm,./" (bottom), "asdfghjkl;", "qwertyuiop" and "1234567890" (top), so a key's
/// touch sits at (column + 0.5, row + 0.5) in keys. Keys are matched without regard to case; other
/// keys are not played. The terminal interface calls it with key presses and releases.
/// </summary>
public sealed class ComputerKeyboard(ITouchSink touches, int glideDistance = 1)
{
    private static readonly string[] RowsFromBottom = ["zxcvbnm,./", "asdfghjkl;", "qwertyuiop", "1234567890"];

    public PadGrid Grid { get; } = new(10, 4, glideDistance, touches);

    /// <summary>Where a key sits on the grid; false for a key that is not played.</summary>
    public static bool TryLocate(char key, out int column, out int row)
    {
        char lower = char.ToLowerInvariant(key);
        for (row = 0; row < RowsFromBottom.Length; row++)
        {
            column = RowsFromBottom[row].IndexOf(lower);
            if (column >= 0) return true;
        }
        column = row = -1;
        return false;
    }

    /// <summary>A key went down; returns whether it is one of the grid's.</summary>
    public bool KeyDown(char key, double time)
    {
        if (!TryLocate(key, out int column, out int row)) return false;
        Grid.Press(column, row, 1f, time);
        return true;
    }

    public bool KeyUp(char key, double time)
    {
        if (!TryLocate(key, out int column, out int row)) return false;
        Grid.Release(column, row, time);
        return true;
    }

    public void ReleaseAll(double time) => Grid.ReleaseAll(time);
}
