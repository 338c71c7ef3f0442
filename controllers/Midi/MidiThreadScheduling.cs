using System.Runtime.InteropServices;

namespace LatentTerrain.Controllers.Midi;

/// <summary>
/// Real-time scheduling of an input's thread through libc, because .NET's <see cref="Thread.Priority"/>
/// changes nothing on Linux (the engine's synth thread does the same: engine/Synthesis/Scheduling.cs).
/// </summary>
internal static partial class MidiThreadScheduling
{
    private const int SchedFifo = 1;

    [StructLayout(LayoutKind.Sequential)]
    private struct SchedParam
    {
        public int Priority;
    }

    [LibraryImport("libc.so.6")]
    private static partial nint pthread_self();

    [LibraryImport("libc.so.6")]
    private static partial int pthread_setschedparam(nint thread, int policy, ref SchedParam param);

    /// <summary>
    /// Asks for SCHED_FIFO at priority 1, the lowest (granted to root or to members of an rtprio
    /// group, as JACK's own threads are): above every ordinary thread, below JACK's, whose process
    /// thread fills the queue this thread empties. Returns false where it is not granted or not Linux.
    /// </summary>
    public static bool TryMakeRealtime()
    {
        if (!OperatingSystem.IsLinux()) return false;
        var param = new SchedParam { Priority = 1 };
        return pthread_setschedparam(pthread_self(), SchedFifo, ref param) == 0;
    }
}
