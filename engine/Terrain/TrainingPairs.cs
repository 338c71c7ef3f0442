namespace LatentTerrain.Engine.Terrain;

/// <summary>
/// What the trainer learns from: <see cref="Count"/> coordinates, each paired with a latent vector,
/// stored row-major ([Count, InputDims] and [Count, LatentSize]).
/// </summary>
public sealed record TrainingPairs
{
    public int InputDims { get; }
    public int LatentSize { get; }
    public float[] Coordinates { get; }
    public float[] Latents { get; }
    public int Count => Coordinates.Length / InputDims;

    public TrainingPairs(int inputDims, int latentSize, float[] coordinates, float[] latents)
    {
        if (inputDims < 1 || latentSize < 1) throw new ArgumentException("input dimensions and latent size must be positive");
        if (coordinates.Length % inputDims != 0 || latents.Length % latentSize != 0
            || coordinates.Length / inputDims != latents.Length / latentSize)
            throw new ArgumentException($"{coordinates.Length / inputDims} coordinates do not pair with {latents.Length / latentSize} latent vectors");
        InputDims = inputDims;
        LatentSize = latentSize;
        Coordinates = coordinates;
        Latents = latents;
    }
}
