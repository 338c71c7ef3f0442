namespace LatentTerrain.Engine.Datasets;

/// <summary>
/// The point-mode training example (Vigliensoni and Fiebrink): one coordinate on the control
/// plane with the latent vector the terrain should give there.
/// </summary>
public sealed record TerrainPoint(float[] Coordinate, float[] Latent);
