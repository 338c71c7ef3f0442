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

    /// <summary>
    /// Lets the processes this one starts hear Ctrl-C: a test run started in the background by a
    /// non-interactive shell inherits SIGINT ignored, its children inherit that too, and .NET keeps
    /// an ignored SIGINT ignored, so an interrupted instrument would play on. Only an ignored SIGINT
    /// is changed (to the default), never a handler the runtime installed.
    /// </summary>
    public static unsafe void LetChildrenHearInterrupts()
    {
        // struct sigaction on Linux x86-64 and AArch64: the handler comes first, 152 bytes in all.
        byte* current = stackalloc byte[256];
        if (sigaction(2, null, current) == 0 && *(nint*)current == 1) signal(2, 0);
    }

    [LibraryImport("libc.so.6")]
    private static unsafe partial int sigaction(int signal, byte* action, byte* previous);

    [LibraryImport("libc.so.6")]
    private static partial nint signal(int signal, nint handler);

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
