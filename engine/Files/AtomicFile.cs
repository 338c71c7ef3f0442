namespace LatentTerrain.Engine.Files;

/// <summary>
/// Replaces a file in one step: anyone opening it sees the old content or the new, never a half
/// written file, and a write that fails leaves the old file exactly as it was.
/// </summary>
public static class AtomicFile
{
    /// <summary>
    /// Runs <paramref name="write"/> on a temporary file beside <paramref name="path"/>, forces it to
    /// disk and renames it over <paramref name="path"/>. If anything throws, the temporary file is
    /// removed and the exception propagates; the target is untouched.
    /// </summary>
    public static void Write(string path, Action<Stream> write)
    {
        string target = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(target) ?? throw new ArgumentException($"'{path}' names no file", nameof(path));
        // The same folder, hence the same file system: only there is a rename atomic rather than a copy.
        string temporary = Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                // The data must be on the disk before the rename makes it the file, or a power cut
                // right after the rename could leave an empty file where the old one was.
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, target, overwrite: true);
            // And the new name on the disk too, or a power cut could bring the old file back.
            Durable.FlushFolder(folder);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        // The failure that brought us here matters more than a leftover temporary file.
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
