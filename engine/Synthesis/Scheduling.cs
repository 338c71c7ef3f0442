using System.Runtime.InteropServices;

namespace LatentTerrain.Engine.Synthesis;

/// <summary>
/// Thread scheduling on Linux through libc, because .NET's <see cref="Thread.Priority"/> changes
/// nothing there: the synth thread asks for real-time scheduling (SCHED_FIFO, granted to root or to
/// members of an rtprio group, as JACK's own threads are), and the trainer and recorder step back
/// (nice 19), so that on a machine of two cores a busy trainer never delays a block.
/// </summary>
public static partial class Scheduling
{
    private const int SchedFifo = 1, PrioProcess = 0;

    [StructLayout(LayoutKind.Sequential)]
    private struct SchedParam
    {
        public int Priority;
    }

    [LibraryImport("libc.so.6")]
    private static partial nint pthread_self();

    [LibraryImport("libc.so.6")]
    private static partial int pthread_setschedparam(nint thread, int policy, ref SchedParam param);

    [LibraryImport("libc.so.6")]
    private static partial int gettid();

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int setpriority(int which, uint who, int priority);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds, Nanoseconds;
    }

    private const int ClockThreadCpuTime = 3;

    // A system call of a few hundred nanoseconds that never blocks.
    [LibraryImport("libc.so.6"), SuppressGCTransition]
    private static partial int clock_gettime(int clock, out TimeSpec time);

    /// <summary>
    /// How long the calling thread has run on a processor, in nanoseconds (0 where not Linux): beside
    /// the wall clock it tells time spent working from time spent waiting for a processor.
    /// </summary>
    public static long ThreadProcessorNanoseconds() =>
        OperatingSystem.IsLinux() && clock_gettime(ClockThreadCpuTime, out var time) == 0 ? time.Seconds * 1_000_000_000 + time.Nanoseconds : 0;

    /// <summary>
    /// Asks for real-time scheduling of the calling thread at <paramref name="priority"/> (1..99).
    /// The default, the lowest, puts the synth thread above every ordinary thread (trainer, interface,
    /// a compiler running beside) and below the device's own (jackd -R runs at 10 and its clients'
    /// process threads, where our callback runs, at 5), so the callback, whose deadline is the
    /// nearer, always preempts a block being rendered. Returns false where it is not granted or not Linux.
    /// </summary>
    public static bool TryMakeRealtime(int priority = 1)
    {
        if (!OperatingSystem.IsLinux()) return false;
        var param = new SchedParam { Priority = priority };
        return pthread_setschedparam(pthread_self(), SchedFifo, ref param) == 0;
    }

    /// <summary>Lowers the calling thread to the gentlest share of the processor (nice 19). Returns false where that fails.</summary>
    public static bool TryMakeBackground()
    {
        if (!OperatingSystem.IsLinux()) return false;
        return setpriority(PrioProcess, (uint)gettid(), 19) == 0;
    }
}
