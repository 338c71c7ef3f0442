namespace LatentTerrain.Mappings;

/// <summary>Where a <see cref="Mapping"/> puts cursors: the engine's cursor board live (<see cref="CursorBoardOutput"/>), a gesture offline (<see cref="GestureRecorder"/>).</summary>
public interface ICursorOutput
{
    /// <summary>Cursor <paramref name="cursor"/> down at (x, y) in terrain units with a gain of 0..1, at <paramref name="time"/> seconds.</summary>
    void Move(int cursor, float x, float y, float gain, double time);

    void Release(int cursor, double time);
}
