namespace LatentTerrain.Engine.Terrain;

/// <summary>How a terrain is trained; the defaults are the reference's.</summary>
public sealed record TrainingOptions
{
    /// <summary>Passes over all pairs that one "train" request runs.</summary>
    public int Epochs { get; init; } = 10;
    public float LearningRate { get; init; } = 1e-3f;
    public int BatchSize { get; init; } = 32;
    /// <summary>Seeds the shuffling: the same seed, data and start give the same terrain.</summary>
    public int Seed { get; init; }
    public float Beta1 { get; init; } = 0.9f;
    public float Beta2 { get; init; } = 0.999f;
    public float Epsilon { get; init; } = 1e-8f;

    public void Validate()
    {
        if (Epochs < 1) throw new ArgumentException($"epochs must be at least 1, not {Epochs}");
        if (!(LearningRate > 0f && LearningRate <= 1f)) throw new ArgumentException($"learning rate must be in (0, 1], not {LearningRate}");
        if (BatchSize is < 1 or > 4096) throw new ArgumentException($"batch size must be 1..4096, not {BatchSize}");
    }
}
