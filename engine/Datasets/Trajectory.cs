namespace LatentTerrain.Engine.Datasets;

/// <summary>
/// A path on the control plane paired with a sequence of latent frames (usually an audio
/// fragment run through the autoencoder's encoder): the trajectory-mode training example.
/// </summary>
/// <remarks>
/// Vertices and frames are plain arrays that nobody is expected to change once they are here;
/// the <see cref="TerrainDataset"/> that holds a trajectory checks their sizes and values.
/// </remarks>
public sealed class Trajectory
{
    /// <summary>
    /// Arc lengths that fall short of a whole number of spacings by less than this fraction of one
    /// spacing still count as reaching it, so that float rounding of a path drawn to be exactly
    /// n spacings long (say 1.6 at density 0.4) does not lose its last point.
    /// </summary>
    private const double ReachTolerance = 1e-4;

    /// <param name="path">Vertices in control units, all of the same dimension.</param>
    /// <param name="latents">One latent vector per frame, in time order.</param>
    /// <param name="placement">Whether <paramref name="path"/> is a drawn polyline or already one coordinate per frame.</param>
    public Trajectory(IReadOnlyList<float[]> path, IReadOnlyList<float[]> latents, TrajectoryPlacement placement = TrajectoryPlacement.AlongPath)
    {
        if (!Enum.IsDefined(placement)) throw new ArgumentOutOfRangeException(nameof(placement));
        Path = [.. path];
        Latents = [.. latents];
        Placement = placement;
    }

    public IReadOnlyList<float[]> Path { get; }
    public IReadOnlyList<float[]> Latents { get; }
    public TrajectoryPlacement Placement { get; }
    /// <summary>What the performer calls it; shown in lists and error messages.</summary>
    public string? Name { get; init; }
    /// <summary>Where the latents came from (an audio file, a recording), for the record.</summary>
    public string? Source { get; init; }

    public int FrameCount => Latents.Count;

    /// <summary>The polyline's Euclidean length in control units (0 for a single vertex).</summary>
    public double Length() => SegmentLengths().Sum();

    /// <summary>
    /// The coordinates that pair with the latent frames: element i pairs with <c>Latents[i]</c>, and
    /// there are as many as the shorter side allows (a path too short for its frames leaves the last
    /// frames out; frames too few for the path leave the rest of the path unused).
    /// </summary>
    /// <remarks>
    /// <para><see cref="TrajectoryPlacement.AlongPath"/>: point k lies at arc length k·density from the
    /// first vertex, so time maps linearly to arc length. Stopping at the last frame caps the usable
    /// length at density·(frames − 1), as the reference's GUI stops the pen there.</para>
    /// <para>Degenerate paths follow from the same rule: a single vertex (or a path whose vertices
    /// all coincide) has length 0 and yields one point, paired with the first frame; zero-length
    /// segments add no length and are passed over; one frame yields one point, at the first vertex;
    /// no frames or no vertices yield nothing.</para>
    /// <para><see cref="TrajectoryPlacement.PerFrame"/>: the vertices themselves, ignoring density.</para>
    /// </remarks>
    /// <param name="density">Arc-length spacing between consecutive points, in control units.</param>
    public float[][] PlacePoints(float density = TerrainDataset.DefaultDensity)
    {
        if (!(float.IsFinite(density) && density > 0f))
            throw new ArgumentOutOfRangeException(nameof(density), density, "the spacing of points must be a positive number");
        CheckDimensions();
        if (Placement == TrajectoryPlacement.PerFrame)
            return [.. Path.Take(Math.Min(Path.Count, FrameCount)).Select(v => (float[])v.Clone())];
        if (Path.Count == 0 || FrameCount == 0) return [];

        var segments = SegmentLengths();
        double length = segments.Sum();
        int count = Math.Min(FrameCount, (int)Math.Floor(length / density + ReachTolerance) + 1);

        var points = new float[count][];
        int segment = 0;            // the segment from Path[segment] to Path[segment + 1]
        double segmentStart = 0;    // arc length at Path[segment]
        for (int k = 0; k < count; k++)
        {
            double target = Math.Min(k * (double)density, length);
            while (segment < segments.Length - 1 && segmentStart + segments[segment] < target)
                segmentStart += segments[segment++];
            points[k] = segments.Length == 0 ? (float[])Path[0].Clone() : Interpolate(segment, segments[segment], target - segmentStart);
        }
        return points;
    }

    /// <summary>The point <paramref name="along"/> units past Path[segment] towards Path[segment + 1].</summary>
    private float[] Interpolate(int segment, double span, double along)
    {
        float[] from = Path[segment], to = Path[segment + 1];
        double t = span > 0 ? Math.Clamp(along / span, 0, 1) : 0;
        var point = new float[from.Length];
        for (int d = 0; d < point.Length; d++) point[d] = (float)(from[d] + (to[d] - from[d]) * t);
        return point;
    }

    private double[] SegmentLengths()
    {
        var lengths = new double[Math.Max(0, Path.Count - 1)];
        for (int v = 0; v < lengths.Length; v++) lengths[v] = Distance(Path[v], Path[v + 1]);
        return lengths;
    }

    private void CheckDimensions()
    {
        for (int v = 1; v < Path.Count; v++)
            if (Path[v].Length != Path[0].Length)
                throw new InvalidOperationException($"path vertex {v + 1} has {Path[v].Length} coordinates, vertex 1 has {Path[0].Length}");
    }

    private static double Distance(float[] a, float[] b)
    {
        double sum = 0;
        for (int d = 0; d < a.Length; d++)
        {
            double delta = (double)b[d] - a[d];
            sum += delta * delta;
        }
        return Math.Sqrt(sum);
    }
}
