using System.Globalization;
using System.Text;
using System.Text.Json;

namespace LatentTerrain.Engine.Datasets;

/// <summary>
/// Reading and writing the small pieces both dataset formats are made of, with errors that say
/// which piece is wrong in words a person can find in the file.
/// </summary>
internal static class JsonValues
{
    public static JsonElement Required(JsonElement obj, string key, string where)
    {
        RequireKind(obj, JsonValueKind.Object, where);
        return obj.TryGetProperty(key, out var value) ? value : throw new DatasetException($"{where} has no \"{key}\"");
    }

    public static JsonElement? Optional(JsonElement obj, string key) =>
        obj.TryGetProperty(key, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public static void RequireKind(JsonElement element, JsonValueKind kind, string where)
    {
        if (element.ValueKind != kind)
            throw new DatasetException($"{where} should be {Article(kind)}, not {Article(element.ValueKind)}");
    }

    public static string String(JsonElement element, string where)
    {
        RequireKind(element, JsonValueKind.String, where);
        return element.GetString()!;
    }

    public static int Integer(JsonElement element, string where)
    {
        RequireKind(element, JsonValueKind.Number, where);
        return element.TryGetInt32(out int value) ? value : throw new DatasetException($"{where} should be a whole number, not {element.GetRawText()}");
    }

    public static float Number(JsonElement element, string where)
    {
        RequireKind(element, JsonValueKind.Number, where);
        // Through double, so that a value beyond float's range is caught here rather than becoming infinity later.
        float value = (float)element.GetDouble();
        return float.IsFinite(value) ? value : throw new DatasetException($"{where} is {element.GetRawText()}, beyond the range of a 32-bit float");
    }

    public static float[] Vector(JsonElement element, string where)
    {
        RequireKind(element, JsonValueKind.Array, where);
        var vector = new float[element.GetArrayLength()];
        int i = 0;
        foreach (var item in element.EnumerateArray())
        {
            vector[i] = Number(item, $"{where} value {i + 1}");
            i++;
        }
        return vector;
    }

    /// <summary>An array of number arrays; <paramref name="itemName"/> names the i-th (0-based) inner array.</summary>
    public static List<float[]> Vectors(JsonElement element, string where, Func<int, string> itemName)
    {
        RequireKind(element, JsonValueKind.Array, where);
        var vectors = new List<float[]>(element.GetArrayLength());
        foreach (var item in element.EnumerateArray()) vectors.Add(Vector(item, itemName(vectors.Count)));
        return vectors;
    }

    /// <summary>
    /// Writes <paramref name="vector"/> as one compact array, so that an indented file keeps a
    /// vertex or a latent frame on a single line.
    /// </summary>
    public static void WriteVector(Utf8JsonWriter writer, ReadOnlySpan<float> vector) =>
        writer.WriteRawValue(Append(new StringBuilder(), vector).ToString(), skipInputValidation: true);

    /// <summary>Writes an array of vectors with one vector per line, indented to sit under the writer's current property.</summary>
    public static void WriteVectors(Utf8JsonWriter writer, IReadOnlyList<float[]> vectors)
    {
        // The writer indents by two spaces per level and cannot be asked to put a raw value on its
        // own line, so the lines are laid out here at the depth the writer has reached.
        string inner = new(' ', 2 * (writer.CurrentDepth + 1)), outer = new(' ', 2 * writer.CurrentDepth);
        var text = new StringBuilder("[");
        for (int i = 0; i < vectors.Count; i++)
            Append(text.Append(i > 0 ? "," : "").Append('\n').Append(inner), vectors[i]);
        text.Append(vectors.Count > 0 ? "\n" + outer : "").Append(']');
        writer.WriteRawValue(text.ToString(), skipInputValidation: true);
    }

    private static StringBuilder Append(StringBuilder text, ReadOnlySpan<float> vector)
    {
        text.Append('[');
        for (int i = 0; i < vector.Length; i++)
        {
            if (i > 0) text.Append(',');
            // .NET prints the shortest text that reads back to the same float.
            text.Append(vector[i].ToString(CultureInfo.InvariantCulture));
        }
        return text.Append(']');
    }

    private static string Article(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "true or false",
        _ => "null",
    };
}
