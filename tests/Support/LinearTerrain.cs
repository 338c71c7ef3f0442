using LatentTerrain.Engine.Terrain;

namespace LatentTerrain.Tests.Support;

/// <summary>Terrains whose output is a known function of the coordinate, built from exact weights.</summary>
public static class LinearTerrain
{
    /// <summary>
    /// latent[c] = xScale[c]·x + yScale[c]·y + offset[c]: a linear input layer (sigma 0), one hidden
    /// PReLU layer with slope 1 (the identity), one output layer.
    /// </summary>
    public static TerrainNetwork Create(float[] xScale, float[] yScale, float[] offset)
    {
        int latent = offset.Length;
        var config = new TerrainConfig { Sigma = 0f, Depth = 1, Width = 2, LatentSize = latent };
        var w1 = new float[latent * 2];
        for (int c = 0; c < latent; c++)
        {
            w1[c * 2] = xScale[c];
            w1[c * 2 + 1] = yScale[c];
        }
        var tensors = new NamedTensor[]
        {
            new(TerrainNetwork.WeightName(0), [2, 2], [1, 0, 0, 1]),
            new(TerrainNetwork.BiasName(0), [2], [0, 0]),
            new(TerrainNetwork.SlopeName(0), [1], [1]),
            new(TerrainNetwork.WeightName(1), [latent, 2], w1),
            new(TerrainNetwork.BiasName(1), [latent], offset),
        };
        return TerrainNetwork.FromTensors(config, tensors.ToDictionary(t => t.Name));
    }

    /// <summary>Pitch follows x (one octave per unit), amplitude fixed: the sine autoencoder's natural terrain.</summary>
    public static TerrainNetwork PitchAlongX(float amplitude = 1f, float offset = 0f) => Create([1f, 0f], [0f, 0f], [offset, amplitude]);
}
