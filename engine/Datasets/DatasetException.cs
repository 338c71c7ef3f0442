namespace LatentTerrain.Engine.Datasets;

/// <summary>
/// A dataset that cannot be used, with one line saying why: the file (when there is one) and
/// the problem, such as "trajectory 3 has latents of size 16, expected 8".
/// </summary>
public sealed class DatasetException : Exception
{
    public DatasetException(string problem, string? file = null, Exception? inner = null)
        : base(file is null ? problem : $"{file}: {problem}", inner)
    {
        Problem = problem;
        File = file;
    }

    /// <summary>What is wrong, without the file name.</summary>
    public string Problem { get; }
    /// <summary>The file the dataset came from or was going to, if any.</summary>
    public string? File { get; }

    /// <summary>The same problem, now blamed on <paramref name="file"/>.</summary>
    public DatasetException In(string file) => new(Problem, file, InnerException);
}
