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
    private bool _stopping, _stopped;

    /// <summary>Plays the gesture again from its start every this many seconds (a path looped), or null for once.</summary>
    public double? LoopSeconds { get; init; }

    /// <summary>
    /// Writes the events due at <paramref name="frame"/>: those at or before its time since the
    /// frame of the first call, which is the gesture's time 0.
    /// </summary>
    public void Advance(long frame)
    {
        if (_stopped) return;
        var events = gesture.Events;
        if (Volatile.Read(ref _stopping))
        {
            // Lifted here, on the thread that moves them, so no later move can press them again
            // (indexed: a foreach over the interface would allocate its enumerator on this thread).
            for (int i = 0; i < events.Count; i++) board.Release(events[i].Cursor);
            Volatile.Write(ref _stopped, true);
            return;
        }
        if (_origin < 0) _origin = frame;
        double now = (double)(frame - _origin) / sampleRate;
        if (LoopSeconds is double loop && _next >= events.Count && now >= loop)
        {
            _origin += (long)Math.Round(loop * sampleRate);
            now -= loop;
            _next = 0;
        }
        while (_next < events.Count && events[_next].Time <= now) gesture.Apply(_next++, board);
    }

    /// <summary>Lifts the gesture's cursors at the next <see cref="Advance"/> and plays nothing more.</summary>
    public void Stop() => Volatile.Write(ref _stopping, true);

    /// <summary>Whether every event has been written (a looped gesture never finishes), or it was stopped and its cursors lifted.</summary>
    public bool Finished => Volatile.Read(ref _stopped) || (LoopSeconds == null && Volatile.Read(ref _next) >= gesture.Events.Count);
}
