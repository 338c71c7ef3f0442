using System.Text.Json;
using static LatentTerrain.Engine.Datasets.JsonValues;

namespace LatentTerrain.Engine.Datasets;

/// <summary>
/// The instrument's own dataset file (see README.md in this folder): trajectories keep their drawn
/// path, name and source, so that a dataset saved and loaded again trains the same terrain and can
/// still be edited.
/// </summary>
internal static class NativeDatasetFormat
{
    public const string FormatName = "latent-terrain-dataset";
    public const int Version = 1;

    private const string AlongPathName = "along_path";
    private const string PerFrameName = "per_frame";

    public static TerrainDataset Read(JsonElement root)
    {
        string format = String(Required(root, "format", "the file"), "\"format\"");
        if (format != FormatName) throw new DatasetException($"\"format\" is \"{format}\", expected \"{FormatName}\"");
        int version = Integer(Required(root, "version", "the file"), "\"version\"");
        if (version != Version) throw new DatasetException($"format version {version} is not one this program reads (it reads {Version})");

        int inputDims = Integer(Required(root, "input_dims", "the file"), "\"input_dims\"");
        int latentSize = Integer(Required(root, "latent_size", "the file"), "\"latent_size\"");
        float density = Optional(root, "density") is { } d ? Number(d, "\"density\"") : TerrainDataset.DefaultDensity;

        var trajectories = new List<Trajectory>();
        if (Optional(root, "trajectories") is { } list)
        {
            RequireKind(list, JsonValueKind.Array, "\"trajectories\"");
            foreach (var item in list.EnumerateArray()) trajectories.Add(ReadTrajectory(item, $"trajectory {trajectories.Count + 1}"));
        }
        var points = new List<TerrainPoint>();
        if (Optional(root, "points") is { } pointList)
        {
            RequireKind(pointList, JsonValueKind.Array, "\"points\"");
            foreach (var item in pointList.EnumerateArray())
            {
                string who = $"point {points.Count + 1}";
                points.Add(new TerrainPoint(Vector(Required(item, "coordinate", who), $"{who} coordinate"),
                    Vector(Required(item, "latent", who), $"{who} latent")));
            }
        }
        return new TerrainDataset(inputDims, latentSize, trajectories, points, density);
    }

    private static Trajectory ReadTrajectory(JsonElement item, string who)
    {
        var placement = TrajectoryPlacement.AlongPath;
        if (Optional(item, "placement") is { } p)
            placement = String(p, $"{who} \"placement\"") switch
            {
                AlongPathName => TrajectoryPlacement.AlongPath,
                PerFrameName => TrajectoryPlacement.PerFrame,
                var other => throw new DatasetException($"{who} \"placement\" is \"{other}\", expected \"{AlongPathName}\" or \"{PerFrameName}\""),
            };
        var path = Vectors(Required(item, "path", who), $"{who} path", i => $"{who} path vertex {i + 1}");
        var latents = Vectors(Required(item, "latents", who), $"{who} latents", i => $"{who} latent frame {i + 1}");
        return new Trajectory(path, latents, placement)
        {
            Name = Optional(item, "name") is { } n ? String(n, $"{who} \"name\"") : null,
            Source = Optional(item, "source") is { } s ? String(s, $"{who} \"source\"") : null,
        };
    }

    public static void Write(Utf8JsonWriter writer, TerrainDataset dataset)
    {
        writer.WriteStartObject();
        writer.WriteString("format", FormatName);
        writer.WriteNumber("version", Version);
        writer.WriteNumber("input_dims", dataset.InputDims);
        writer.WriteNumber("latent_size", dataset.LatentSize);
        writer.WriteNumber("density", dataset.Density);

        writer.WriteStartArray("trajectories");
        foreach (var trajectory in dataset.Trajectories)
        {
            writer.WriteStartObject();
            if (trajectory.Name is not null) writer.WriteString("name", trajectory.Name);
            if (trajectory.Source is not null) writer.WriteString("source", trajectory.Source);
            writer.WriteString("placement", trajectory.Placement == TrajectoryPlacement.PerFrame ? PerFrameName : AlongPathName);
            writer.WritePropertyName("path");
            WriteVectors(writer, trajectory.Path);
            writer.WritePropertyName("latents");
            WriteVectors(writer, trajectory.Latents);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();

        writer.WriteStartArray("points");
        foreach (var point in dataset.Points)
        {
            writer.WriteStartObject();
            writer.WritePropertyName("coordinate");
            WriteVector(writer, point.Coordinate);
            writer.WritePropertyName("latent");
            WriteVector(writer, point.Latent);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
