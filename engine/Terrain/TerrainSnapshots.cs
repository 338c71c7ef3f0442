namespace LatentTerrain.Engine.Terrain;

/// <summary>
/// Hands terrains from one writer (the trainer, or a file load) to real-time readers without
/// locks and without churning large arrays: a small pool of weight buffers is recycled, and a
/// buffer is rewritten only when it is neither current nor leased by any reader.
/// </summary>
/// <remarks>
/// A reader calls <see cref="Acquire"/> at a block boundary and disposes the lease when the block
/// is done; while leased, the network's weights never change. Acquire is wait-free in practice
/// (it retries only if a publish lands between reading the current slot and leasing it).
/// </remarks>
public sealed class TerrainSnapshots
{
    internal sealed class Slot(TerrainNetwork network)
    {
        public readonly TerrainNetwork Network = network;
        public int Leases;
    }

    /// <summary>Slots per shape: the current one, one a slow reader may still hold, one to write into.</summary>
    private const int PoolSize = 3;
    private readonly object _writerLock = new();
    private Slot[] _pool;
    private Slot _current;
    private long _version;

    public TerrainSnapshots(TerrainNetwork initial)
    {
        _pool = [new Slot(initial.Clone())];
        _current = _pool[0];
    }

    /// <summary>Counts publishes; a reader compares it to notice a new terrain (for example to redraw a map).</summary>
    public long Version => Volatile.Read(ref _version);

    /// <summary>Leases the current terrain until the lease is disposed.</summary>
    public Lease Acquire()
    {
        while (true)
        {
            var slot = Volatile.Read(ref _current);
            Interlocked.Increment(ref slot.Leases);
            if (ReferenceEquals(slot, Volatile.Read(ref _current))) return new Lease(slot);
            Interlocked.Decrement(ref slot.Leases);
        }
    }

    /// <summary>
    /// Makes a copy of <paramref name="network"/> current. Same configuration: copied into a free pooled
    /// buffer (no allocation once the pool is full). Another configuration (a new terrain loaded): new buffers.
    /// </summary>
    public void Publish(TerrainNetwork network)
    {
        lock (_writerLock)
        {
            var current = _current;
            Slot? free = null;
            if (current.Network.Config == network.Config)
            {
                foreach (var slot in _pool)
                    if (!ReferenceEquals(slot, current) && Volatile.Read(ref slot.Leases) == 0) { free = slot; break; }
                if (free == null && _pool.Length < PoolSize)
                {
                    free = new Slot(network.Clone());
                    _pool = [.. _pool, free];
                }
            }
            else
            {
                free = new Slot(network.Clone());
                _pool = [free];
            }
            // Every slot is leased by readers: a fresh one keeps the writer from waiting on them.
            free ??= new Slot(network.Clone());
            network.Parameters.CopyTo(free.Network.Parameters, 0);
            network.FourierB.CopyTo(free.Network.FourierB, 0);
            Volatile.Write(ref _current, free);
            Interlocked.Increment(ref _version);
        }
    }

    /// <summary>A reader's hold on one terrain; dispose it when the block (or render) is done.</summary>
    public readonly struct Lease : IDisposable
    {
        private readonly Slot _slot;
        internal Lease(Slot slot) => _slot = slot;
        public TerrainNetwork Network => _slot.Network;
        public void Dispose() => Interlocked.Decrement(ref _slot.Leases);
    }
}
