using System.Reflection;
using System.Text.Json;
using LatentTerrain.Controllers.Devices;
using LatentTerrain.Controllers.Mpe;

namespace LatentTerrain.Mappings;

/// <summary>
/// How one kind of controller plays the terrain: which touch dimension drives x and y and over which
/// ranges, what sets the gain, smoothing, glide between pads, and the kind's own settings (the MPE
/// zones to assume until the device configures them; an XY controller's control changes). Read from
/// JSON (see mappings/README.md); every kind has a default shipped in this assembly
/// (<see cref="Default"/>).
/// </summary>
public sealed record MappingProfile(
    ControllerKind Kind,
    string Description,
    AxisMapping X,
    AxisMapping Y,
    GainMapping Gain,
    Smoothing? Smoothing,
    int Glide,
    MpeZoneLayout MpeZones,
    XyAssignment? Xy)
{
    /// <summary>The kind as profile files spell it ("mpe-keyboard").</summary>
    public string KindName => Names.Kind(Kind);

    /// <summary>The shipped profile of a controller kind.</summary>
    public static MappingProfile Default(ControllerKind kind)
    {
        string name = $"{Names.Kind(kind)}.json";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"LatentTerrain.Mappings.Profiles.{name}")
            ?? throw new InvalidOperationException($"the default profile {name} is not embedded in this build");
        using var reader = new StreamReader(stream);
        var profile = Parse(reader.ReadToEnd(), $"built-in profile {name}");
        if (profile.Kind != kind) throw new InvalidOperationException($"built-in profile {name} is for {profile.Kind}");
        return profile;
    }

    /// <summary>Reads a profile file; a <see cref="MappingProfileException"/> names the file and the field when it is wrong.</summary>
    public static MappingProfile Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new MappingProfileException($"{path}: no such file", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MappingProfileException($"{path}: cannot be read ({e.Message})", e);
        }
        return Parse(text, path);
    }

    /// <summary>
    /// Reads <paramref name="path"/>, or when that fails the default of <paramref name="kind"/>, and says
    /// why in <paramref name="problem"/> (one line for the person playing), null when the file was good.
    /// </summary>
    public static MappingProfile LoadOrDefault(string path, ControllerKind kind, out string? problem)
    {
        try
        {
            problem = null;
            return Load(path);
        }
        catch (MappingProfileException e)
        {
            problem = $"{e.Message}; using the default {Names.Kind(kind)} profile";
            return Default(kind);
        }
    }

    public static MappingProfile Parse(string json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new MappingProfileException($"{source}: line {e.LineNumber + 1}: not valid JSON ({e.Message.Split(" Path:")[0].Split(" LineNumber:")[0]})", e);
        }
        using (document) return new ProfileReader(source).Profile(document.RootElement);
    }
}
