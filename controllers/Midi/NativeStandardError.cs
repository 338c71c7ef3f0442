using System.Runtime.InteropServices;
using System.Text;

namespace LatentTerrain.Controllers.Midi;

/// <summary>
/// What native code writes to the process's standard error (file descriptor 2) while a call
/// runs. RtMidi 5.0 prints each of its errors and warnings there (std::cerr) and nowhere else
/// that can be read: its C API's message pointer dangles (rtmidi_c.cpp keeps what() of an
/// exception that is destroyed when the catch block ends). So the calls that can fail run with
/// descriptor 2 pointing into a pipe, and what arrived there becomes the exception's message.
/// </summary>
/// <remarks>
/// .NET's Console.Error writes to a copy of descriptor 2 made at its first use, so managed
/// output is never captured; native output from other threads during a call is, rarely.
/// The pipe does not block its writers: text past its 64 KiB is dropped, not waited for.
/// </remarks>
internal static unsafe partial class NativeStandardError
{
    private const int StandardError = 2;
    private const int NonBlocking = 0x800, CloseOnExec = 0x80000;

    private static readonly Lock Gate = new();

    /// <summary>Runs <paramref name="call"/> and returns what native code printed to standard error meanwhile, trimmed.</summary>
    public static string Capture(Action call)
    {
        lock (Gate)
        {
            int* ends = stackalloc int[2];
            // Without a pipe the text goes to the terminal as it would anyway; the caller still sees the failure.
            if (pipe2(ends, NonBlocking | CloseOnExec) != 0)
            {
                call();
                return "";
            }
            int saved = dup(StandardError);
            try
            {
                dup2(ends[1], StandardError);
                try
                {
                    call();
                }
                finally
                {
                    dup2(saved, StandardError);
                    close(ends[1]);
                }
                return Drain(ends[0]);
            }
            finally
            {
                close(saved);
                close(ends[0]);
            }
        }
    }

    private static string Drain(int descriptor)
    {
        var text = new List<byte>();
        byte* chunk = stackalloc byte[4096];
        nint count;
        while ((count = read(descriptor, chunk, 4096)) > 0)
            text.AddRange(new ReadOnlySpan<byte>(chunk, (int)count));
        return Encoding.UTF8.GetString(text.ToArray()).Trim();
    }

    [LibraryImport("libc.so.6")]
    private static partial int pipe2(int* ends, int flags);

    [LibraryImport("libc.so.6")]
    private static partial int dup(int descriptor);

    [LibraryImport("libc.so.6")]
    private static partial int dup2(int descriptor, int target);

    [LibraryImport("libc.so.6")]
    private static partial int close(int descriptor);

    [LibraryImport("libc.so.6")]
    private static partial nint read(int descriptor, byte* buffer, nint count);
}
