namespace LatentTerrain.Engine.Synthesis;

/// <summary>One cursor as the synth reads it: where it is on the plane, how loud, and whether it is down.</summary>
public readonly record struct Cursor(float X, float Y, float Gain, bool Active);

/// <summary>
/// Fixed slots for up to <see cref="Capacity"/> cursors, written by inputs (controllers, a gesture
/// player) and read once per block by the synth, without locks on either side.
/// </summary>
/// <remarks>
/// Each slot is a sequence lock: the writer makes the sequence odd, writes, makes it even again; a
/// reader that sees an odd or changed sequence knows its copy is torn. So a reader never uses an x
/// from one move and a y from the next, and a writer never waits. One writer per slot at a time.
/// </remarks>
public sealed class CursorBoard
{
    public const int Capacity = 16;

    private struct Slot
    {
        public int Sequence;
        public float X, Y, Gain;
        public bool Active;
    }

    private readonly Slot[] _slots = new Slot[Capacity];

    /// <summary>Puts cursor <paramref name="index"/> down (or moves it) at (x, y) with a gain of 0..1.</summary>
    public void Move(int index, float x, float y, float gain) => Write(index, x, y, gain, active: true);

    /// <summary>Lifts cursor <paramref name="index"/>: its voice releases, its last position is kept.</summary>
    public void Release(int index)
    {
        var current = Read(index);
        Write(index, current.X, current.Y, current.Gain, active: false);
    }

    public void Write(int index, float x, float y, float gain, bool active)
    {
        if ((uint)index >= Capacity) throw new ArgumentOutOfRangeException(nameof(index), $"cursor {index} does not exist: there are 0..{Capacity - 1}");
        if (!float.IsFinite(x) || !float.IsFinite(y) || !float.IsFinite(gain))
            throw new ArgumentException($"cursor {index}: position and gain must be finite numbers");
        ref var slot = ref _slots[index];
        Interlocked.Increment(ref slot.Sequence);
        slot.X = x;
        slot.Y = y;
        slot.Gain = Math.Clamp(gain, 0f, 1f);
        slot.Active = active;
        Interlocked.Increment(ref slot.Sequence);
    }

    /// <summary>
    /// One attempt to read cursor <paramref name="index"/>: false while a writer is in the middle of
    /// changing it. The real-time reader then keeps the value it read last, instead of spinning on a
    /// writer that its own higher priority may keep from finishing.
    /// </summary>
    public bool TryRead(int index, out Cursor cursor)
    {
        ref var slot = ref _slots[index];
        int before = Volatile.Read(ref slot.Sequence);
        cursor = new Cursor(slot.X, slot.Y, slot.Gain, slot.Active);
        Interlocked.MemoryBarrier();
        return (before & 1) == 0 && Volatile.Read(ref slot.Sequence) == before;
    }

    /// <summary>Reads cursor <paramref name="index"/>, waiting out a writer in the middle of changing it (not for the audio path).</summary>
    public Cursor Read(int index)
    {
        ref var slot = ref _slots[index];
        while (true)
        {
            int before = Volatile.Read(ref slot.Sequence);
            if ((before & 1) == 0)
            {
                var cursor = new Cursor(slot.X, slot.Y, slot.Gain, slot.Active);
                Interlocked.MemoryBarrier();
                if (Volatile.Read(ref slot.Sequence) == before) return cursor;
            }
            Thread.SpinWait(1);
        }
    }

    /// <summary>Lifts every cursor (panic, or the end of a rendering).</summary>
    public void ReleaseAll()
    {
        for (int i = 0; i < Capacity; i++) Release(i);
    }
}
