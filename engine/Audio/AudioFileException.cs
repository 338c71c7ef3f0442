namespace LatentTerrain.Engine.Audio;

/// <summary>
/// A sound file that cannot be read or written. The message is one line that starts with the
/// file's path and says what is wrong (with libsndfile's own words where it had any), fit to
/// show a performer as it is: "in.wav: no such file".
/// </summary>
public sealed class AudioFileException : Exception
{
    public AudioFileException(string path, string problem, Exception? inner = null)
        : base($"{path}: {problem}", inner)
    {
        Path = path;
        Problem = problem;
    }

    /// <summary>The file, as the caller named it.</summary>
    public string Path { get; }

    /// <summary>What is wrong, without the path.</summary>
    public string Problem { get; }
}
