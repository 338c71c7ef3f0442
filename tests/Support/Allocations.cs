namespace LatentTerrain.Tests.Support;

/// <summary>Counts the bytes the current thread allocates, for the real-time contract's tests.</summary>
public static class Allocations
{
    /// <summary>
    /// Bytes allocated on this thread by <paramref name="work"/>. A garbage collection inside the
    /// window (started by another test's thread, or a background collection finishing) retires this
    /// thread's allocation context and shows up as a few kilobytes never allocated. So each window
    /// starts after a full blocking collection, and a window that another collection touched is
    /// measured again; a real allocation shows in every window, and the smallest count is returned.
    /// </summary>
    public static long Of(Action work, int attempts = 5)
    {
        long smallest = long.MaxValue;
        for (int attempt = 0; attempt < attempts; attempt++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            int collections = Collections();
            long before = GC.GetAllocatedBytesForCurrentThread();
            work();
            long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            if (Collections() == collections) return bytes;
            smallest = Math.Min(smallest, bytes);
        }
        return smallest;
    }

    private static int Collections() => GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2);
}
