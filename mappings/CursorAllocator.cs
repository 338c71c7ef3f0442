using LatentTerrain.Engine.Synthesis;

namespace LatentTerrain.Mappings;

/// <summary>
/// Hands out the cursor board's <see cref="CursorBoard.Capacity"/> slots to touches, shared by every
/// mapping that writes to one board (one per input, each on its own MIDI thread): claims and frees
/// are lock-free compare-and-swaps on the slot's owner, allocation-free.
/// </summary>
/// <remarks>
/// Stealing: when every slot is taken, a new touch takes the slot whose touch started longest ago
/// (the oldest finger is the one least likely to be still moving with intent, and the newest must
/// sound). The stolen touch's owner learns it at its next move (<see cref="Owns"/> is false) and
/// from then on ignores that touch, also its end, so the thief's cursor is not lifted under it.
/// </remarks>
public sealed class CursorAllocator
{
    private readonly long[] _owners = new long[CursorBoard.Capacity];
    private readonly long[] _started = new long[CursorBoard.Capacity];
    private long _clock;

    /// <summary>How many touches had their slot taken by a newer one.</summary>
    public long Steals => Interlocked.Read(ref _steals);
    private long _steals;

    /// <summary>A slot for <paramref name="owner"/> (any value but 0, unique among the touches that hold slots): a free one, or the oldest.</summary>
    public int Claim(long owner)
    {
        if (owner == 0) throw new ArgumentOutOfRangeException(nameof(owner), "owner 0 means a free slot");
        while (true)
        {
            for (int i = 0; i < _owners.Length; i++)
                if (Interlocked.CompareExchange(ref _owners[i], owner, 0) == 0) return Started(i);
            int oldest = 0;
            for (int i = 1; i < _owners.Length; i++) if (Volatile.Read(ref _started[i]) < Volatile.Read(ref _started[oldest])) oldest = i;
            long victim = Volatile.Read(ref _owners[oldest]);
            if (victim != 0 && Interlocked.CompareExchange(ref _owners[oldest], owner, victim) == victim)
            {
                Interlocked.Increment(ref _steals);
                return Started(oldest);
            }
        }
    }

    public bool Owns(int slot, long owner) => Volatile.Read(ref _owners[slot]) == owner;

    /// <summary>Gives a slot back; does nothing when another owner has taken it since.</summary>
    public void Free(int slot, long owner) => Interlocked.CompareExchange(ref _owners[slot], 0, owner);

    private int Started(int slot)
    {
        Volatile.Write(ref _started[slot], Interlocked.Increment(ref _clock));
        return slot;
    }
}
