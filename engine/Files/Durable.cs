using System.Runtime.InteropServices;

namespace LatentTerrain.Engine.Files;

/// <summary>
/// What makes a rename survive a power cut: the folder's own entry list forced to disk after files
/// were renamed or linked into it (a file's fsync covers its data, not the name pointing at it).
/// </summary>
public static partial class Durable
{
    /// <summary>Forces <paramref name="folder"/>'s entries to disk; a file system that cannot (some network ones) is let be.</summary>
    public static void FlushFolder(string folder)
    {
        if (!OperatingSystem.IsLinux()) return;
        int descriptor = open(folder, ReadOnly | Directory);
        if (descriptor < 0) throw new IOException($"{folder}: cannot open the folder to flush it ({Marshal.GetLastPInvokeErrorMessage()})");
        try
        {
            if (fsync(descriptor) != 0 && Marshal.GetLastPInvokeError() is not (EInval or ENotSup))
                throw new IOException($"{folder}: cannot flush the folder ({Marshal.GetLastPInvokeErrorMessage()})");
        }
        finally
        {
            close(descriptor);
        }
    }

    /// <summary>Another name for <paramref name="existing"/> (no copy), replacing <paramref name="link"/> in one step.</summary>
    public static void LinkOver(string existing, string link)
    {
        string temporary = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(link))!, $".{Path.GetFileName(link)}.{Guid.NewGuid():N}.link");
        if (OperatingSystem.IsLinux() && Link(existing, temporary) == 0) File.Move(temporary, link, overwrite: true);
        else
        {
            // A file system without hard links gets a copy, renamed into place all the same.
            File.Copy(existing, temporary);
            File.Move(temporary, link, overwrite: true);
        }
    }

    private const int ReadOnly = 0, Directory = 0x10000, EInval = 22, ENotSup = 95;

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fsync(int descriptor);

    [LibraryImport("libc")]
    private static partial int close(int descriptor);

    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Link(string existing, string link);
}
