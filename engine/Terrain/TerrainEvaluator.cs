namespace LatentTerrain.Engine.Terrain;

/// <summary>
/// Evaluates terrains: coordinates in, latent vectors out (clamped to ±<see cref="OutputLimit"/>).
/// Owns its scratch memory, so one evaluator belongs to one thread; after the first call of a
/// given size it allocates nothing.
/// </summary>
public sealed class TerrainEvaluator
{
    public const float OutputLimit = 100f;
    private readonly TerrainPass _pass;

    /// <param name="config">The shape of the terrains this evaluator will see (weights may change, the shape not).</param>
    /// <param name="maxBatch">Points evaluated per pass; longer inputs are processed in chunks of this size.</param>
    public TerrainEvaluator(TerrainConfig config, int maxBatch = 256)
    {
        config.Validate();
        _pass = new TerrainPass(config, maxBatch);
    }

    public TerrainConfig Config => _pass.Config;

    /// <summary>Evaluates coordinates [n, InputDims] into latents [n, LatentSize].</summary>
    public void Evaluate(TerrainNetwork network, ReadOnlySpan<float> coordinates, Span<float> latents)
    {
        var config = _pass.Config;
        if (network.Config.InputDims != config.InputDims || network.Layout.ParameterCount != _pass.Layout.ParameterCount
            || network.Config.Activation != config.Activation || network.Config.UsesFourierFeatures != config.UsesFourierFeatures)
            throw new ArgumentException("the terrain's shape differs from the shape this evaluator was made for");
        int n = coordinates.Length / config.InputDims;
        if (coordinates.Length != n * config.InputDims || latents.Length < n * config.LatentSize)
            throw new ArgumentException("coordinates and latents do not match in count");
        for (int start = 0; start < n; start += _pass.MaxBatch)
        {
            int count = Math.Min(_pass.MaxBatch, n - start);
            _pass.Forward(network, coordinates.Slice(start * config.InputDims, count * config.InputDims), count);
            _pass.CopyOutput(latents.Slice(start * config.LatentSize, count * config.LatentSize), count, OutputLimit);
        }
    }
}
