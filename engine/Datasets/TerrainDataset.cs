using LatentTerrain.Engine.Terrain;

namespace LatentTerrain.Engine.Datasets;

/// <summary>
/// Everything a terrain is trained on: trajectories (paths paired with latent sequences) and
/// single points, for one control space and one autoencoder's latent size. A dataset is checked
/// when it is made, so one that exists can always be turned into <see cref="TrainingPairs"/>.
/// </summary>
public sealed class TerrainDataset
{
    /// <summary>The reference's "latent density": arc-length spacing of the points along a path, in control units.</summary>
    public const float DefaultDensity = 0.4f;

    /// <summary>Throws <see cref="DatasetException"/> naming the first trajectory or point that does not fit.</summary>
    /// <param name="density">Spacing of points along every <see cref="TrajectoryPlacement.AlongPath"/> trajectory.</param>
    public TerrainDataset(int inputDims, int latentSize, IReadOnlyList<Trajectory>? trajectories = null,
        IReadOnlyList<TerrainPoint>? points = null, float density = DefaultDensity)
    {
        InputDims = inputDims;
        LatentSize = latentSize;
        Density = density;
        Trajectories = [.. trajectories ?? []];
        Points = [.. points ?? []];
        Validate();
    }

    public int InputDims { get; }
    public int LatentSize { get; }
    public float Density { get; }
    public IReadOnlyList<Trajectory> Trajectories { get; }
    public IReadOnlyList<TerrainPoint> Points { get; }

    public bool IsEmpty => Trajectories.Count == 0 && Points.Count == 0;

    /// <summary>All pairs: each trajectory's placed points with its frames, in order, then the points.</summary>
    public TrainingPairs ToPairs()
    {
        var placed = Trajectories.Select(t => t.PlacePoints(Density)).ToArray();
        int count = placed.Sum(p => p.Length) + Points.Count;
        var coordinates = new float[count * InputDims];
        var latents = new float[count * LatentSize];
        int pair = 0;
        void Add(float[] coordinate, float[] latent)
        {
            coordinate.CopyTo(coordinates, pair * InputDims);
            latent.CopyTo(latents, pair * LatentSize);
            pair++;
        }
        for (int t = 0; t < placed.Length; t++)
            for (int i = 0; i < placed[t].Length; i++) Add(placed[t][i], Trajectories[t].Latents[i]);
        foreach (var point in Points) Add(point.Coordinate, point.Latent);
        return new TrainingPairs(InputDims, LatentSize, coordinates, latents);
    }

    /// <summary>"trajectory 3" or, when it has a name, "trajectory 3 ("kick")": how messages point at one.</summary>
    public static string Describe(Trajectory trajectory, int index) =>
        trajectory.Name is { Length: > 0 } name ? $"trajectory {index + 1} (\"{name}\")" : $"trajectory {index + 1}";

    private void Validate()
    {
        Check(InputDims is >= 1 and <= TerrainConfig.MaxInputDims, $"input dimensions must be 1..{TerrainConfig.MaxInputDims}, not {InputDims}");
        Check(LatentSize is >= 1 and <= TerrainConfig.MaxLatentSize, $"latent size must be 1..{TerrainConfig.MaxLatentSize}, not {LatentSize}");
        Check(float.IsFinite(Density) && Density > 0f, $"density must be a positive number, not {Density}");
        for (int t = 0; t < Trajectories.Count; t++)
        {
            var trajectory = Trajectories[t];
            string who = Describe(trajectory, t);
            Check(trajectory.Path.Count > 0, $"{who} has no path");
            Check(trajectory.FrameCount > 0, $"{who} has no latent frames");
            // A wrong size in the first frame almost always means the wrong autoencoder, so it is
            // reported for the whole trajectory; a later odd frame is reported by its number.
            Check(trajectory.Latents[0].Length == LatentSize, $"{who} has latents of size {trajectory.Latents[0].Length}, expected {LatentSize}");
            for (int v = 0; v < trajectory.Path.Count; v++)
                CheckVector(trajectory.Path[v], $"{who} path vertex {v + 1}", "dimensions", InputDims);
            for (int f = 0; f < trajectory.FrameCount; f++)
                CheckVector(trajectory.Latents[f], $"{who} latent frame {f + 1}", "values", LatentSize);
        }
        for (int p = 0; p < Points.Count; p++)
        {
            var point = Points[p];
            Check(point.Latent.Length == LatentSize, $"point {p + 1} has a latent of size {point.Latent.Length}, expected {LatentSize}");
            CheckVector(point.Coordinate, $"point {p + 1} coordinate", "dimensions", InputDims);
            CheckVector(point.Latent, $"point {p + 1} latent", "values", LatentSize);
        }
    }

    private static void CheckVector(float[] vector, string what, string unit, int size)
    {
        Check(vector.Length == size, $"{what} has {vector.Length} {unit}, expected {size}");
        for (int i = 0; i < vector.Length; i++)
            Check(float.IsFinite(vector[i]), $"{what} has {Name(vector[i])} at index {i}");
    }

    private static string Name(float value) => float.IsNaN(value) ? "NaN" : "an infinity";

    private static void Check(bool ok, string problem)
    {
        if (!ok) throw new DatasetException(problem);
    }
}
