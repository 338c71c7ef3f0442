using System.Buffers.Binary;
using System.Text.Encodings.Web;
using System.Text.Json;
using LatentTerrain.Engine.Terrain;

namespace LatentTerrain.Engine.Files;

/// <summary>The tensors and the free-form string metadata of one safetensors file.</summary>
public sealed record SafeTensorsContent(IReadOnlyDictionary<string, NamedTensor> Tensors, IReadOnlyDictionary<string, string> Metadata);

/// <summary>
/// The safetensors format (huggingface/safetensors), float32 tensors only: an 8-byte little-endian
/// header length, a JSON header giving each tensor's dtype, shape and byte range in the data section
/// (plus a "__metadata__" map of strings), then the raw little-endian data.
/// </summary>
/// <remarks>
/// Written as the Python library writes it (tensors in name order, packed without gaps, header padded
/// with spaces to a multiple of 8 bytes) and read as strictly as it reads (the tensors must tile the
/// data section exactly), so a file that passes here opens there and the other way round.
/// </remarks>
public static class SafeTensors
{
    public const string MetadataKey = "__metadata__";
    private const string Float32 = "F32";
    /// <summary>The Python library's own limit: a larger header is damage or mischief, not tensors.</summary>
    private const ulong MaxHeaderLength = 100_000_000;

    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes <paramref name="tensors"/> and <paramref name="metadata"/> as one safetensors file.</summary>
    public static void Write(Stream stream, IEnumerable<NamedTensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        var ordered = tensors.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        for (int i = 0; i < ordered.Count; i++)
        {
            var t = ordered[i];
            if (t.Name == MetadataKey || (i > 0 && ordered[i - 1].Name == t.Name))
                throw new ArgumentException($"tensor name '{t.Name}' is reserved or used twice");
            if (t.Shape.Any(d => d < 0) || t.Data.Length != t.ElementCount)
                throw new ArgumentException($"tensor '{t.Name}' holds {t.Data.Length} values for shape [{string.Join(", ", t.Shape)}]");
        }

        byte[] header = Header(ordered, metadata);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        stream.Write(length);
        stream.Write(header);

        var buffer = new byte[64 * 1024];
        foreach (var tensor in ordered)
        {
            for (int start = 0; start < tensor.Data.Length; start += buffer.Length / sizeof(float))
            {
                int count = Math.Min(buffer.Length / sizeof(float), tensor.Data.Length - start);
                for (int i = 0; i < count; i++)
                    BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(i * sizeof(float)), tensor.Data[start + i]);
                stream.Write(buffer, 0, count * sizeof(float));
            }
        }
    }

    private static byte[] Header(IReadOnlyList<NamedTensor> ordered, IReadOnlyDictionary<string, string> metadata)
    {
        var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json, JsonOptions))
        {
            writer.WriteStartObject();
            if (metadata.Count > 0)
            {
                writer.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata) writer.WriteString(key, value);
                writer.WriteEndObject();
            }
            long offset = 0;
            foreach (var tensor in ordered)
            {
                writer.WriteStartObject(tensor.Name);
                writer.WriteString("dtype", Float32);
                writer.WriteStartArray("shape");
                foreach (int d in tensor.Shape) writer.WriteNumberValue(d);
                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                offset += (long)tensor.Data.Length * sizeof(float);
                writer.WriteNumberValue(offset);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        // Spaces up to a multiple of 8, so the data section starts aligned for readers that map the file.
        while (json.Length % 8 != 0) json.WriteByte((byte)' ');
        return json.ToArray();
    }

    /// <summary>
    /// Parses a whole safetensors file. <paramref name="path"/> only names the file in error messages.
    /// Throws <see cref="TerrainFileException"/> for anything short of a well-formed float32 file.
    /// </summary>
    public static SafeTensorsContent Read(ReadOnlySpan<byte> file, string path)
    {
        TerrainFileException Fail(string problem) => new(path, problem);

        if (file.Length == 0) throw Fail("file is empty");
        if (file.Length < 8) throw Fail($"file is truncated ({file.Length} bytes, too short even for the 8-byte header length)");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (headerLength > (ulong)(file.Length - 8))
            throw Fail($"header length {headerLength} bytes is beyond the end of the file ({file.Length} bytes): not a safetensors file, or cut short");
        if (headerLength > MaxHeaderLength) throw Fail($"header length {headerLength} bytes is implausibly large: not a safetensors file");

        var headerBytes = file.Slice(8, (int)headerLength);
        var data = file[(8 + (int)headerLength)..];
        var entries = new List<Entry>();
        var metadata = new Dictionary<string, string>();
        try
        {
            using var header = JsonDocument.Parse(headerBytes.ToArray());
            if (header.RootElement.ValueKind != JsonValueKind.Object) throw Fail("header is not a JSON object");
            var seen = new HashSet<string>();
            foreach (var property in header.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name)) throw Fail($"header names '{property.Name}' twice");
                if (property.Name == MetadataKey)
                    ReadMetadata(property.Value, metadata, Fail);
                else
                    entries.Add(ReadEntry(property.Name, property.Value, Fail));
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a name or string that is not valid UTF-8.
            throw Fail($"header is not valid JSON ({e.Message})");
        }

        // As in the Python library: tensors tile the data section, in order, without gaps or overlaps.
        entries.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long expected = 0;
        string? previous = null;
        foreach (var entry in entries)
        {
            if (entry.Begin < expected) throw Fail($"tensors '{previous}' and '{entry.Name}' overlap in the data section");
            if (entry.Begin > expected) throw Fail($"{entry.Begin - expected} unused bytes before tensor '{entry.Name}' in the data section");
            expected = entry.End;
            previous = entry.Name;
        }
        if (data.Length < expected) throw Fail($"file is truncated (the tensors need {expected} bytes of data, the file has {data.Length})");
        if (data.Length > expected) throw Fail($"{data.Length - expected} stray bytes after the last tensor");

        var tensors = new Dictionary<string, NamedTensor>();
        foreach (var entry in entries)
        {
            var values = new float[(entry.End - entry.Begin) / sizeof(float)];
            var bytes = data.Slice((int)entry.Begin, (int)(entry.End - entry.Begin));
            for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * sizeof(float))..]);
            tensors.Add(entry.Name, new NamedTensor(entry.Name, entry.Shape, values));
        }
        return new SafeTensorsContent(tensors, metadata);
    }

    private sealed record Entry(string Name, int[] Shape, long Begin, long End);

    private static void ReadMetadata(JsonElement element, Dictionary<string, string> metadata, Func<string, TerrainFileException> fail)
    {
        if (element.ValueKind != JsonValueKind.Object) throw fail($"'{MetadataKey}' is not a JSON object");
        foreach (var item in element.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String) throw fail($"metadata '{item.Name}' is not a string");
            if (!metadata.TryAdd(item.Name, item.Value.GetString()!)) throw fail($"metadata '{item.Name}' appears twice");
        }
    }

    private static Entry ReadEntry(string name, JsonElement element, Func<string, TerrainFileException> fail)
    {
        if (element.ValueKind != JsonValueKind.Object) throw fail($"tensor '{name}' is not described by a JSON object");
        if (!element.TryGetProperty("dtype", out var dtype) || dtype.ValueKind != JsonValueKind.String)
            throw fail($"tensor '{name}' has no dtype");
        if (dtype.GetString() != Float32) throw fail($"tensor '{name}' has dtype {dtype.GetString()}, only {Float32} is supported");

        int[] shape = Integers(element, "shape", name, fail).Select(d => d <= int.MaxValue ? (int)d : throw fail($"tensor '{name}' has an impossible shape")).ToArray();
        long[] offsets = Integers(element, "data_offsets", name, fail);
        if (offsets.Length != 2 || offsets[1] < offsets[0]) throw fail($"tensor '{name}' has data_offsets [{string.Join(", ", offsets)}], expected [begin, end]");

        long count = 1;
        foreach (int d in shape)
        {
            count *= d;
            if (count > int.MaxValue) throw fail($"tensor '{name}' has an impossible shape");
        }
        long length = offsets[1] - offsets[0];
        if (length != count * sizeof(float))
            throw fail($"tensor '{name}' has shape [{string.Join(", ", shape)}] ({count * sizeof(float)} bytes) but data_offsets span {length} bytes");
        return new Entry(name, shape, offsets[0], offsets[1]);
    }

    private static long[] Integers(JsonElement element, string field, string name, Func<string, TerrainFileException> fail)
    {
        if (!element.TryGetProperty(field, out var array) || array.ValueKind != JsonValueKind.Array)
            throw fail($"tensor '{name}' has no {field}");
        return array.EnumerateArray()
            .Select(v => v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out long n) && n >= 0 ? n : throw fail($"tensor '{name}' has a {field} entry that is not a whole number"))
            .ToArray();
    }
}
