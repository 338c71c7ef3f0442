using LatentTerrain.Engine.Files;

namespace LatentTerrain.Engine.Audio;

/// <summary>Whole sound files in and out of memory, in one call each.</summary>
public static class AudioFile
{
    /// <summary>Reads a file in any format libsndfile reads, as planar float samples at the file's own rate.</summary>
    /// <exception cref="AudioFileException">
    /// The file is missing, not sound libsndfile can read, or holds no audio; the message is one line naming it.
    /// </exception>
    public static AudioBuffer Read(string path)
    {
        using var file = SoundFile.OpenRead(path);
        var audio = file.ReadToEnd();
        return audio.Frames > 0 ? audio : throw new AudioFileException(path, "the file holds no audio");
    }

    /// <summary>
    /// Writes <paramref name="audio"/> to <paramref name="path"/> in <paramref name="format"/>, or in
    /// the format its extension asks for (<see cref="AudioFileFormats.FromPath"/>). Atomic: the file
    /// appears whole or not at all, and a failed write leaves whatever was there untouched.
    /// WAV, FLAC and AIFF files are the same bytes for the same audio, every time.
    /// </summary>
    /// <exception cref="AudioFileException">Anything that stops the write; the message is one line naming the file.</exception>
    public static void Write(string path, AudioBuffer audio, AudioFileFormat? format = null)
    {
        ArgumentNullException.ThrowIfNull(audio);
        AudioFileFormat chosen = format ?? AudioFileFormats.FromPath(path);
        string? folder = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(folder) && !Directory.Exists(folder))
            throw new AudioFileException(path, $"cannot be written: the folder '{folder}' does not exist");
        try
        {
            AtomicFile.Write(path, stream =>
            {
                // AtomicFile hands over its FileStream; libsndfile writes on that stream's descriptor
                // and must be closed (header complete) before AtomicFile flushes and renames.
                using var file = SoundFile.Create(((FileStream)stream).SafeFileHandle, path, chosen, audio.SampleRate, audio.Channels);
                file.WritePlanar(audio.Samples);
            });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AudioFileException(path, $"cannot be written ({e.Message})", e);
        }
    }
}
