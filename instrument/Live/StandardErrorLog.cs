using System.Runtime.InteropServices;

namespace LatentTerrain.Instrument.Live;

/// <summary>
/// While the interface owns the terminal, what native libraries print to standard error (PortAudio's
/// "Expression ... failed", libtorch's warnings) would scribble over the screen: file descriptor 2
/// goes to a log file instead (<c>$XDG_STATE_HOME/latent-terrain/terrain.log</c>, else
/// <c>~/.local/state/latent-terrain/terrain.log</c>), and comes back on dispose.
/// </summary>
internal sealed partial class StandardErrorLog : IDisposable
{
    private const int StandardError = 2;
    private readonly int _saved;

    private StandardErrorLog(int saved) => _saved = saved;

    /// <summary>Where the log is written.</summary>
    public static string Path
    {
        get
        {
            string? state = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
            if (string.IsNullOrEmpty(state)) state = System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
            return System.IO.Path.Combine(state, "latent-terrain", "terrain.log");
        }
    }

    /// <summary>Points standard error at the log; if the log cannot be opened, standard error stays as it is.</summary>
    public static IDisposable Open()
    {
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        }
        catch (IOException)
        {
            return new StandardErrorLog(-1);
        }
        int log = open(Path, 0x1 | 0x40 | 0x400 | 0x80000, 0x1A4);   // O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644
        if (log < 0) return new StandardErrorLog(-1);
        int saved = dup(StandardError);
        dup2(log, StandardError);
        close(log);
        return new StandardErrorLog(saved);
    }

    public void Dispose()
    {
        if (_saved < 0) return;
        dup2(_saved, StandardError);
        close(_saved);
    }

    [LibraryImport("libc.so.6", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags, int mode);

    [LibraryImport("libc.so.6")]
    private static partial int dup(int descriptor);

    [LibraryImport("libc.so.6")]
    private static partial int dup2(int descriptor, int target);

    [LibraryImport("libc.so.6")]
    private static partial int close(int descriptor);
}
