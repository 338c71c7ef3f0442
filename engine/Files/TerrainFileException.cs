namespace LatentTerrain.Engine.Files;

/// <summary>
/// A terrain file that cannot be read or written. The message is one line that starts with the
/// file's path and says what is wrong, fit to show a performer as it is.
/// </summary>
public sealed class TerrainFileException : Exception
{
    public TerrainFileException(string path, string problem, Exception? inner = null)
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
