using System.Text.Json;
using LatentTerrain.Engine.Files;

namespace LatentTerrain.Engine.Datasets;

/// <summary>
/// Dataset files: the instrument's own JSON format, and the reference's Max dictionaries, told
/// apart by their keys (ours has "format"; a dictionary has "coordinates", "latents", "anchors").
/// Every failure is a <see cref="DatasetException"/> naming the file and what is wrong with it.
/// </summary>
public static class DatasetFile
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true };

    /// <summary>Reads either format. Reference dictionaries get <see cref="TerrainDataset.DefaultDensity"/>, since they do not store one.</summary>
    public static TerrainDataset Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DatasetException(e is FileNotFoundException or DirectoryNotFoundException ? "no such file" : $"cannot be read ({e.Message})", path, e);
        }
        if (bytes.AsSpan().Trim(" \t\r\n"u8).IsEmpty) throw new DatasetException("the file is empty", path);

        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { AllowDuplicateProperties = false });
            var root = document.RootElement;
            JsonValues.RequireKind(root, JsonValueKind.Object, "the file");
            if (root.TryGetProperty("format", out _)) return NativeDatasetFormat.Read(root);
            if (ReferenceDictionary.Looks(root)) return ReferenceDictionary.Read(root);
            throw new DatasetException("this is neither a latent-terrain dataset (it has no \"format\") nor a reference dictionary (it has no \"coordinates\", \"latents\" or \"anchors\")");
        }
        catch (JsonException e)
        {
            // The reader's own message ends in its 0-based position; people count from 1.
            string reason = e.Message.Split(" LineNumber:")[0].TrimEnd();
            string where = e.LineNumber is long line ? $" at line {line + 1}, position {e.BytePositionInLine + 1}" : "";
            throw new DatasetException($"malformed JSON{where}: {reason}", path, e);
        }
        catch (DatasetException e) when (e.File is null)
        {
            throw e.In(path);
        }
    }

    /// <summary>Writes the instrument's format, replacing <paramref name="path"/> atomically.</summary>
    public static void Save(TerrainDataset dataset, string path) => Write(path, writer => NativeDatasetFormat.Write(writer, dataset));

    /// <summary>Writes the instrument's format to <paramref name="stream"/> (a session's version being written).</summary>
    public static void Write(TerrainDataset dataset, Stream stream)
    {
        using var writer = new Utf8JsonWriter(stream, Indented);
        NativeDatasetFormat.Write(writer, dataset);
    }

    /// <summary>
    /// Writes a dictionary that the reference's nn.terrain~ can train on (and nn.terrain.gui can
    /// redraw, for 2-D datasets), replacing <paramref name="path"/> atomically.
    /// </summary>
    public static void ExportReference(TerrainDataset dataset, string path) => Write(path, writer => ReferenceDictionary.Write(writer, dataset));

    private static void Write(string path, Action<Utf8JsonWriter> write)
    {
        try
        {
            AtomicFile.Write(path, stream =>
            {
                using var writer = new Utf8JsonWriter(stream, Indented);
                write(writer);
            });
        }
        catch (DatasetException e) when (e.File is null)
        {
            throw e.In(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DatasetException($"cannot be written ({e.Message})", path, e);
        }
    }
}
