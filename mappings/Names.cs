using LatentTerrain.Controllers.Devices;

namespace LatentTerrain.Mappings;

/// <summary>The spellings of kinds, dimensions and gain sources in profile files (lower case, words joined by hyphens).</summary>
internal static class Names
{
    public static string Kind(ControllerKind kind) => Hyphenate(kind.ToString());

    public static string Hyphenate(string name) => string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? $"-{char.ToLowerInvariant(c)}" : $"{char.ToLowerInvariant(c)}"));

    /// <summary>The enum value spelled <paramref name="text"/>, or null; <paramref name="all"/> lists the spellings for the error message.</summary>
    public static T? Parse<T>(string text, out string all) where T : struct, Enum
    {
        var values = Enum.GetValues<T>();
        all = string.Join(", ", values.Select(v => Hyphenate(v.ToString())));
        foreach (var value in values) if (Hyphenate(value.ToString()) == text) return value;
        return null;
    }
}
