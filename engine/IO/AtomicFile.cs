namespace LatentTerrain.Engine.IO;

/// <summary>
/// A file written so that readers (and a crash half-way) see either the old content or the new,
/// never a torn mix: the bytes go to a temporary file in the same folder, are flushed to disk,
/// and the temporary file is renamed over the target, which is atomic within one file system.
/// </summary>
/// <example>
/// <code>
/// using var file = AtomicFile.Create(path);
/// WriteEverything(file.Stream);
/// file.Commit();   // without this, Dispose deletes the temporary file and the target is untouched
/// </code>
/// </example>
public sealed class AtomicFile : IDisposable
{
    private readonly string _target;
    private readonly string _temporary;
    private readonly FileStream _stream;
    private bool _committed;

    private AtomicFile(string target, string temporary, FileStream stream)
    {
        _target = target;
        _temporary = temporary;
        _stream = stream;
    }

    /// <summary>Where to write the new content.</summary>
    public Stream Stream => _stream;

    /// <summary>Starts replacing <paramref name="path"/>; its folder must exist. Throws <see cref="IOException"/> and kin.</summary>
    public static AtomicFile Create(string path)
    {
        string target = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(target) ?? throw new IOException($"{path} names no file");
        // The same folder keeps the rename on one file system; the dot hides the half-written file from listings.
        string temporary = Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        return new AtomicFile(target, temporary, new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None));
    }

    /// <summary>Flushes the new content to disk and moves it into place.</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        _stream.Flush(flushToDisk: true);
        _stream.Dispose();
        File.Move(_temporary, _target, overwrite: true);
        _committed = true;
    }

    public void Dispose()
    {
        if (_committed) return;
        _stream.Dispose();
        File.Delete(_temporary);
    }
}
