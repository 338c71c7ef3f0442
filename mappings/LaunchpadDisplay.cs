using LatentTerrain.Controllers.Devices;
using LatentTerrain.Engine.Maps;
using LatentTerrain.Engine.Synthesis;

namespace LatentTerrain.Mappings;

/// <summary>
/// What a Launchpad shows of the instrument: the terrain's 8x8 grey map (drawn by a
/// <see cref="TerrainMap"/> of 8 x 8 over the same bounds the Launchpad profile plays, so each pad
/// shows the sound it plays) and the pads under the board's active cursors lit, whichever
/// controller put them there; the side buttons that hold a stored position lit. Frames come from
/// <see cref="Lights"/>, rate-limited.
/// </summary>
public sealed class LaunchpadDisplay(LaunchpadLights lights, PlaneBounds bounds)
{
    public LaunchpadLights Lights { get; } = lights;

    /// <summary>A new map of the terrain (after training changed it): an 8x8 grey image, row 0 at the top.</summary>
    public void ShowTerrain(MapImage map)
    {
        if (map.Width != LaunchpadLights.Size || map.Height != LaunchpadLights.Size || map.Format != PixelFormat.Grey8)
            throw new ArgumentException($"a Launchpad shows an 8 x 8 grey map, not {map.Width} x {map.Height} {map.Format}");
        Lights.SetPicture(map.Pixels);
    }

    /// <summary>Lights the pads under the active cursors of <paramref name="board"/> (call it as often as frames may go out).</summary>
    public void ShowCursors(CursorBoard board)
    {
        ulong lit = 0;
        for (int i = 0; i < CursorBoard.Capacity; i++)
        {
            if (!board.TryRead(i, out var cursor) || !cursor.Active) continue;
            int column = (int)Math.Floor((cursor.X - bounds.XMin) / bounds.Width * LaunchpadLights.Size);
            int row = (int)Math.Floor((cursor.Y - bounds.YMin) / bounds.Height * LaunchpadLights.Size);
            if ((uint)column < LaunchpadLights.Size && (uint)row < LaunchpadLights.Size) lit |= LaunchpadLights.PadBit(column, row);
        }
        Lights.SetLitPads(lit);
    }

    /// <summary>Lights side button N for each stored position N among <paramref name="numbers"/> (1..8; others have no button).</summary>
    public void ShowStoredPositions(IReadOnlyList<int> numbers)
    {
        byte lit = 0;
        for (int i = 0; i < numbers.Count; i++)
            if (numbers[i] is >= 1 and <= Launchpad.SideButtons) lit |= (byte)(1 << (numbers[i] - 1));
        Lights.SetLitSideButtons(lit);
    }
}
