using LatentTerrain.Engine.Synthesis;

namespace LatentTerrain.Mappings;

/// <summary>Writes cursors into the engine's lock-free <see cref="CursorBoard"/>, which the synth reads each block; times are not needed there.</summary>
public sealed class CursorBoardOutput(CursorBoard board) : ICursorOutput
{
    public void Move(int cursor, float x, float y, float gain, double time) => board.Move(cursor, x, y, gain);

    public void Release(int cursor, double time) => board.Release(cursor);
}
