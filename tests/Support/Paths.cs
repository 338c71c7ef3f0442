namespace LatentTerrain.Tests.Support;

/// <summary>Where the tests find the repository, the shared fixtures and a scratch folder.</summary>
public static class Paths
{
    /// <summary>The checkout's root: the folder holding LatentTerrain.sln.</summary>
    public static string Repository { get; } = FindRepository();

    /// <summary>The read-only shared folder that sits beside the checkout (../shared).</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(Repository, "..", "shared"));

    public static string Fixture(params string[] parts) => Path.Combine([Shared, "fixtures", .. parts]);

    /// <summary>A fresh empty folder for one test.</summary>
    public static string NewScratch()
    {
        string path = Path.Combine(Path.GetTempPath(), "latent-terrain-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    private static string FindRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LatentTerrain.sln"))) return dir.FullName;
        throw new InvalidOperationException("cannot find LatentTerrain.sln above " + AppContext.BaseDirectory);
    }
}
