using System.Runtime.InteropServices;

namespace LatentTerrain.Tests.Support;

/// <summary>POSIX signals to a process of a test's own (.NET sends only SIGKILL): Ctrl-C, or a polite stop.</summary>
internal static partial class ProcessSignals
{
    /// <summary>SIGINT, what a terminal's Ctrl-C sends.</summary>
    public static void Interrupt(int processId) => kill(processId, 2);

    /// <summary>SIGTERM: stop, cleaning up.</summary>
    public static void Terminate(int processId) => kill(processId, 15);

    /// <summary>SIGKILL, for a process of no one's (.NET's Process.Kill needs a Process object of one's own).</summary>
    public static void Kill(int processId) => kill(processId, 9);

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
