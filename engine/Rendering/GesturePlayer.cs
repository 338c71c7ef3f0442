using LatentTerrain.Engine.Synthesis;

namespace LatentTerrain.Engine.Rendering;

/// <summary>
/// Plays a gesture on the clock of the sound rather than of the wall: before each block, whoever
/// renders (the offline renderer, or the live synth thread) calls <see cref="Advance"/> with the
/// block's first frame, and the events due by then are written to the cursor board. So a gesture
/// played live is heard sample for sample as <c>terrain render</c> writes it, whatever the
/// scheduling of threads; only controllers played by hand go through the wall clock.
/// </summary>
/// <remarks>Real-time safe: <see cref="Advance"/> allocates nothing.</remarks>
public sealed class GesturePlayer(Gesture gesture, CursorBoard board, int sampleRate)
{
    private int _next;
    private long _origin = -1;

    /// <summary>
    /// Writes the events due at <paramref name="frame"/>: those at or before its time since the
    /// frame of the first call, which is the gesture's time 0.
    /// </summary>
    public void Advance(long frame)
    {
        if (_origin < 0) _origin = frame;
        double now = (double)(frame - _origin) / sampleRate;
        var events = gesture.Events;
        while (_next < events.Count && events[_next].Time <= now) gesture.Apply(_next++, board);
    }

    /// <summary>Whether every event has been written.</summary>
    public bool Finished => Volatile.Read(ref _next) >= gesture.Events.Count;
}
