using System.Globalization;
using System.Text.Json;
using static LatentTerrain.Engine.Datasets.JsonValues;

namespace LatentTerrain.Engine.Datasets;

/// <summary>
/// The dataset dictionaries of the reference Max implementation (nn.terrain.gui, nn.terrain.encode,
/// nn.terrain.record, consumed by nn.terrain~), as Max saves a dictionary to JSON:
/// <code>
/// { "coordinates": { "1": { "0": [x...], "1": [y...] }, "2": ... },
///   "latents":     { "1": { "0": [...], ..., "D-1": [...] }, ... },
///   "anchors":     { "1": { "anchor_x": [...], "anchor_y": [...] }, ... } }
/// </code>
/// Entry keys count trajectories from 1, inner keys count dimensions from 0, and entry i of
/// "coordinates" pairs with entry i of "latents".
/// </summary>
/// <remarks>
/// <para>"coordinates" holds the points already placed along each drawn path, one per latent
/// frame (the GUI samples its segments at the latent density); nn.terrain~ pairs coordinate j
/// with latent frame j, up to the shorter list. They are imported as
/// <see cref="TrajectoryPlacement.PerFrame"/> trajectories, so training sees exactly the pairs the
/// reference would.</para>
/// <para>"anchors" holds the vertices of each drawn polyline; only the GUI reads them, to redraw
/// the paths. They are used only when "coordinates" is absent, as <see cref="TrajectoryPlacement.AlongPath"/>
/// paths placed at the default density.</para>
/// <para>An entry of one coordinate and one latent frame is how the reference records a single
/// point (nn.terrain.record's "poke", the GUI's point mode); it is imported as a
/// <see cref="TerrainPoint"/>. Max writes a one-value list as a bare number, which is read as a
/// list of one.</para>
/// <para>When the two sides hold different numbers of entries, the extra ones are left out, as
/// nn.terrain~ does.</para>
/// </remarks>
internal static class ReferenceDictionary
{
    public const string CoordinatesKey = "coordinates";
    public const string LatentsKey = "latents";
    public const string AnchorsKey = "anchors";

    public static bool Looks(JsonElement root) =>
        root.TryGetProperty(CoordinatesKey, out _) || root.TryGetProperty(LatentsKey, out _) || root.TryGetProperty(AnchorsKey, out _);

    public static TerrainDataset Read(JsonElement root)
    {
        if (!root.TryGetProperty(LatentsKey, out var latentsDict))
            throw new DatasetException($"the dictionary has no \"{LatentsKey}\" to pair with its coordinates");
        bool placed = root.TryGetProperty(CoordinatesKey, out var placeDict);
        if (!placed && !root.TryGetProperty(AnchorsKey, out placeDict))
            throw new DatasetException($"the dictionary has neither \"{CoordinatesKey}\" nor \"{AnchorsKey}\" to pair with its latents");
        string placeKey = placed ? CoordinatesKey : AnchorsKey;
        RequireKind(latentsDict, JsonValueKind.Object, $"\"{LatentsKey}\"");
        RequireKind(placeDict, JsonValueKind.Object, $"\"{placeKey}\"");

        int count = Math.Min(CountEntries(latentsDict), CountEntries(placeDict));
        if (count == 0) throw new DatasetException("the dictionary holds no trajectories");

        int inputDims = placed ? 0 : 2, latentSize = 0;
        var trajectories = new List<Trajectory>();
        var points = new List<TerrainPoint>();
        for (int i = 0; i < count; i++)
        {
            string key = Key(i);
            string who = $"trajectory {key}";
            var (size, latents) = Rows(Entry(latentsDict, LatentsKey, key), $"{who} \"{LatentsKey}\"");
            if (i == 0) latentSize = size;
            else if (size != latentSize) throw new DatasetException($"{who} has latents of size {size}, expected {latentSize}");
            if (latents.Count == 0) throw new DatasetException($"{who} has no latent frames");
            if (!placed)
            {
                trajectories.Add(new Trajectory(Anchors(Entry(placeDict, AnchorsKey, key), who), latents, TrajectoryPlacement.AlongPath));
                continue;
            }
            var (dims, coordinates) = Rows(Entry(placeDict, CoordinatesKey, key), $"{who} \"{CoordinatesKey}\"");
            if (i == 0) inputDims = dims;
            else if (dims != inputDims) throw new DatasetException($"{who} has coordinates of {dims} dimensions, expected {inputDims}");
            if (coordinates.Count == 0) throw new DatasetException($"{who} has no coordinates");
            if (coordinates.Count == 1 && latents.Count == 1) points.Add(new TerrainPoint(coordinates[0], latents[0]));
            else trajectories.Add(new Trajectory(coordinates, latents, TrajectoryPlacement.PerFrame));
        }
        return new TerrainDataset(inputDims, latentSize, trajectories, points);
    }

    private static int CountEntries(JsonElement dict) => dict.EnumerateObject().Count();

    private static JsonElement Entry(JsonElement dict, string dictKey, string key) =>
        dict.TryGetProperty(key, out var entry) ? entry
            : throw new DatasetException($"\"{dictKey}\" has no entry \"{key}\" (entries are numbered from 1 without gaps)");

    /// <summary>
    /// A Max entry {"0": [...], "1": [...], ...} (one list per dimension) turned into rows, one
    /// vector per frame.
    /// </summary>
    private static (int Dims, List<float[]> Rows) Rows(JsonElement entry, string who)
    {
        RequireKind(entry, JsonValueKind.Object, who);
        int dims = entry.EnumerateObject().Count();
        if (dims == 0) throw new DatasetException($"{who} has no dimensions");
        var columns = new float[dims][];
        for (int d = 0; d < dims; d++)
        {
            string key = d.ToString(CultureInfo.InvariantCulture);
            if (!entry.TryGetProperty(key, out var column))
                throw new DatasetException($"{who} has no dimension \"{key}\" (dimensions are numbered from 0 without gaps)");
            columns[d] = List(column, $"{who} dimension \"{key}\"");
            if (columns[d].Length != columns[0].Length)
                throw new DatasetException($"{who} dimension \"{key}\" has {columns[d].Length} values, dimension \"0\" has {columns[0].Length}");
        }
        var rows = new List<float[]>(columns[0].Length);
        for (int j = 0; j < columns[0].Length; j++)
        {
            var row = new float[dims];
            for (int d = 0; d < dims; d++) row[d] = columns[d][j];
            rows.Add(row);
        }
        return (dims, rows);
    }

    private static List<float[]> Anchors(JsonElement entry, string who)
    {
        var xs = List(Required(entry, "anchor_x", $"{who} \"{AnchorsKey}\""), $"{who} \"anchor_x\"");
        var ys = List(Required(entry, "anchor_y", $"{who} \"{AnchorsKey}\""), $"{who} \"anchor_y\"");
        if (xs.Length != ys.Length) throw new DatasetException($"{who} has {xs.Length} \"anchor_x\" values but {ys.Length} \"anchor_y\" values");
        if (xs.Length == 0) throw new DatasetException($"{who} has no anchors");
        return [.. xs.Zip(ys, (x, y) => new[] { x, y })];
    }

    /// <summary>A Max list: an array of numbers, or a bare number for a list of one.</summary>
    private static float[] List(JsonElement value, string who) =>
        value.ValueKind == JsonValueKind.Number ? [Number(value, who)] : Vector(value, who);

    /// <summary>Writes the dataset as nn.terrain~ and nn.terrain.gui read it: trajectories first, then points.</summary>
    public static void Write(Utf8JsonWriter writer, TerrainDataset dataset)
    {
        if (dataset.IsEmpty) throw new DatasetException("the dataset is empty: there is nothing to export");
        var entries = dataset.Trajectories.Select(t => (Placed: t.PlacePoints(dataset.Density), Path: t.Path, t.Latents))
            .Concat(dataset.Points.Select(p => (Placed: new[] { p.Coordinate }, Path: (IReadOnlyList<float[]>)[p.Coordinate], Latents: (IReadOnlyList<float[]>)[p.Latent])))
            .ToList();

        writer.WriteStartObject();
        WriteEntries(writer, CoordinatesKey, entries.Select(e => (IReadOnlyList<float[]>)e.Placed), dataset.InputDims);
        WriteEntries(writer, LatentsKey, entries.Select(e => e.Latents), dataset.LatentSize);
        // The GUI redraws paths from anchors, which are x and y only.
        if (dataset.InputDims == 2)
        {
            writer.WriteStartObject(AnchorsKey);
            for (int i = 0; i < entries.Count; i++)
            {
                writer.WriteStartObject(Key(i));
                writer.WritePropertyName("anchor_x");
                WriteVector(writer, entries[i].Path.Select(v => v[0]).ToArray());
                writer.WritePropertyName("anchor_y");
                WriteVector(writer, entries[i].Path.Select(v => v[1]).ToArray());
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    private static void WriteEntries(Utf8JsonWriter writer, string name, IEnumerable<IReadOnlyList<float[]>> entries, int dims)
    {
        writer.WriteStartObject(name);
        int i = 0;
        foreach (var rows in entries)
        {
            writer.WriteStartObject(Key(i++));
            for (int d = 0; d < dims; d++)
            {
                writer.WritePropertyName(d.ToString(CultureInfo.InvariantCulture));
                WriteVector(writer, rows.Select(r => r[d]).ToArray());
            }
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    private static string Key(int index) => (index + 1).ToString(CultureInfo.InvariantCulture);
}
