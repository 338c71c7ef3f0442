using System.CommandLine;
using System.Globalization;

namespace LatentTerrain.Instrument.CommandLine;

/// <summary>Option parsing shared by the commands: files that must exist, outputs that must be writable, number lists.</summary>
internal static class Options
{
    public static string ExistingFile(ParseResult result, Option<string> option)
    {
        string path = result.GetRequiredValue(option);
        if (!File.Exists(path)) throw new UsageException($"{path}: no such file ({option.Name})");
        return path;
    }

    /// <summary>
    /// The terrain <paramref name="option"/> names: a terrain file (ours, or the reference's .pt), or a
    /// session folder, whose terrain it plays.
    /// </summary>
    public static Engine.Terrain.TerrainNetwork Terrain(ParseResult result, Option<string> option) => Terrain(result.GetRequiredValue(option), option.Name);

    /// <summary>The terrain of a terrain file or a session folder at <paramref name="path"/>; <paramref name="what"/> names where it was given.</summary>
    public static Engine.Terrain.TerrainNetwork Terrain(string path, string what)
    {
        if (!Directory.Exists(path))
            return File.Exists(path) ? Engine.Files.TerrainFile.Load(path) : throw new UsageException($"{path}: no such file or session ({what})");
        try
        {
            return new Sessions.SessionFolder(path).Open().Contents.Teaching.Network;
        }
        catch (Exception e) when (e is Sessions.SessionException or IOException)
        {
            throw new UsageException($"{e.Message} ({what})");
        }
    }

    /// <summary>Checks before any work is done that the output's folder exists, so a long run cannot fail at its end.</summary>
    public static string OutputFile(ParseResult result, Option<string> option)
    {
        string path = result.GetRequiredValue(option);
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(folder)) throw new UsageException($"{path}: the folder {folder} does not exist ({option.Name})");
        if (Directory.Exists(path)) throw new UsageException($"{path}: is a folder, not a file ({option.Name})");
        return path;
    }

    /// <summary>Parses "a,b,c" into exactly <paramref name="count"/> finite numbers.</summary>
    public static float[] Numbers(string text, int count, string optionName)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new float[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!float.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !float.IsFinite(values[i]))
                throw new UsageException($"{optionName} '{text}': '{parts[i]}' is not a number");
        if (values.Length != count) throw new UsageException($"{optionName} '{text}': expected {count} comma-separated numbers");
        return values;
    }

    /// <summary>Whether the person typed the option (rather than leaving it at its default).</summary>
    public static bool Given(ParseResult result, Option option) => result.GetResult(option) is { Implicit: false };
}
