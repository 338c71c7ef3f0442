using System.Collections.Immutable;
using LatentTerrain.Engine.Audio;
using LatentTerrain.Engine.Datasets;
using LatentTerrain.Tui;

namespace LatentTerrain.Instrument.Teaching;

/// <summary>
/// A piece of sound to teach from: its audio (at the model's rate and channels, for hearing it
/// against its path) and its latent frames, as the playing model's encoder made them.
/// </summary>
/// <param name="Number">Its number for the whole run (1, 2, ...): deleting one never renumbers the others.</param>
/// <param name="Source">Where it came from: a file's path, "audio input", "played".</param>
/// <param name="Audio">Null for a fragment imported from a dataset, which has latents only.</param>
/// <param name="Frames">One latent vector per frame, in time order.</param>
/// <param name="FrameRate">Latent frames per second (the model's rate over its ratio).</param>
public sealed record Fragment(int Number, string Name, string Source, AudioBuffer? Audio, float[][] Frames, double FrameRate)
{
    /// <summary>About RAVE's receptive field: a shorter sound's latents hardly say what it sounds like.</summary>
    public const double ShortSeconds = 0.5;

    public double Seconds => Audio?.Seconds ?? Frames.Length / FrameRate;

    /// <summary>The longest path its frames fill at <paramref name="density"/>: density x (frames - 1), as the reference's pen stops.</summary>
    public double PathLength(float density) => density * (Frames.Length - 1.0);

    public string? Warning => Audio != null && Seconds < ShortSeconds
        ? $"{Seconds:0.00} s is shorter than the model's receptive field (about {ShortSeconds} s): its latents may not sound like it"
        : null;
}

/// <summary>A path drawn for a fragment: its anchors, and how its points are placed (drawn paths along their length).</summary>
public sealed record LessonPath(float[][] Anchors, TrajectoryPlacement Placement = TrajectoryPlacement.AlongPath);

/// <summary>One coordinate taught one latent (point-by-point steering); <paramref name="Source"/> says where the latent came from.</summary>
public sealed record LessonPoint(float X, float Y, float[] Latent, string Source);

/// <summary>
/// Everything the performer has taught, as one immutable value: the fragments, the paths drawn for
/// them, the points and the density. Every edit makes a new lesson, so undo and redo are a matter of
/// keeping the old ones, and a lesson handed to another thread never changes under it.
/// </summary>
public sealed record Lesson(
    ImmutableSortedDictionary<int, Fragment> Fragments,
    ImmutableSortedDictionary<int, LessonPath> Paths,
    ImmutableList<LessonPoint> Points,
    float Density)
{
    public static Lesson Empty { get; } = new(ImmutableSortedDictionary<int, Fragment>.Empty, ImmutableSortedDictionary<int, LessonPath>.Empty,
        ImmutableList<LessonPoint>.Empty, TerrainDataset.DefaultDensity);

    public bool HasExamples => !Paths.IsEmpty || !Points.IsEmpty;

    /// <summary>The dataset the trainer learns from: each fragment's path with its frames (by number), then the points.</summary>
    public TerrainDataset ToDataset(int latentSize)
    {
        var trajectories = Paths.Select(entry =>
        {
            var fragment = Fragments[entry.Key];
            return new Trajectory(entry.Value.Anchors, fragment.Frames, entry.Value.Placement) { Name = fragment.Name, Source = fragment.Source };
        }).ToArray();
        var points = Points.Select(point => new TerrainPoint([point.X, point.Y], point.Latent)).ToArray();
        return new TerrainDataset(2, latentSize, trajectories, points, Density);
    }

    /// <summary>What the map draws: paths by their fragment's number (grey until as long as their frames need), and the points.</summary>
    public TaughtShapes Shapes() => new(
        Paths.Select(entry => new TaughtPath(entry.Key, entry.Value.Anchors.Select(a => (a[0], a[1])).ToArray(), Complete(entry.Key))).ToArray(),
        Points.Select(point => (point.X, point.Y)).ToArray());

    public PathState PathState(int fragment) =>
        !Paths.ContainsKey(fragment) ? Tui.PathState.None : Complete(fragment) ? Tui.PathState.Complete : Tui.PathState.Incomplete;

    private bool Complete(int fragment)
    {
        var path = Paths[fragment];
        if (path.Placement == TrajectoryPlacement.PerFrame) return true;
        return Length(path.Anchors) >= 0.999 * Fragments[fragment].PathLength(Density);
    }

    /// <summary>The anchors cut where the polyline reaches <paramref name="limit"/> (the last segment shortened to end there).</summary>
    public static float[][] Cut(float[][] anchors, double limit)
    {
        var kept = new List<float[]> { anchors[0] };
        double length = 0;
        for (int i = 1; i < anchors.Length; i++)
        {
            double segment = Distance(anchors[i - 1], anchors[i]);
            if (length + segment >= limit)
            {
                double t = segment > 0 ? (limit - length) / segment : 0;
                if (t > 1e-6)
                    kept.Add([(float)(anchors[i - 1][0] + (anchors[i][0] - anchors[i - 1][0]) * t), (float)(anchors[i - 1][1] + (anchors[i][1] - anchors[i - 1][1]) * t)]);
                return [.. kept];
            }
            length += segment;
            kept.Add(anchors[i]);
        }
        return [.. kept];
    }

    public static double Length(float[][] anchors)
    {
        double length = 0;
        for (int i = 1; i < anchors.Length; i++) length += Distance(anchors[i - 1], anchors[i]);
        return length;
    }

    private static double Distance(float[] a, float[] b) => Math.Sqrt((double)(b[0] - a[0]) * (b[0] - a[0]) + (double)(b[1] - a[1]) * (b[1] - a[1]));
}
