namespace LatentTerrain.Models.Defaults;

/// <summary>
/// The files the program carries inside itself, so that it plays on a fresh machine with nothing
/// downloaded: the default terrain for the built-in codec and the dataset it was trained from.
/// Regenerate both with <c>./terrain defaults --out models/Defaults</c> (see README.md here).
/// </summary>
public static class BuiltInDefaults
{
    public const string TerrainFileName = "default.terrain";
    public const string DatasetFileName = "default-dataset.json";

    public static byte[] Terrain() => Read(TerrainFileName);
    public static byte[] Dataset() => Read(DatasetFileName);

    private static byte[] Read(string name)
    {
        using var stream = typeof(BuiltInDefaults).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"the program was built without its {name} (models/Defaults)");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
