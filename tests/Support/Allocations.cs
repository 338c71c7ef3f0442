namespace LatentTerrain.Tests.Support;

/// <summary>Counts the bytes the current thread allocates, for the real-time contract's tests.</summary>
public static class Allocations
{
    /// <summary>
    /// Bytes allocated on this thread by <paramref name="work"/>. A garbage collection inside the
    /// window (started by another test's thread) retires this thread's allocation context and
    /// shows up as a few kilobytes never allocated, so such a window is measured again; a real
    /// allocation shows in every window.
    /// </summary>
    public static long Of(Action work, int attempts = 5)
    {
        long bytes = 0;
        for (int attempt = 0; attempt < attempts; attempt++)
        {
            int collections = GC.CollectionCount(0);
            long before = GC.GetAllocatedBytesForCurrentThread();
            work();
            bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            if (GC.CollectionCount(0) == collections) return bytes;
        }
        return bytes;
    }
}
