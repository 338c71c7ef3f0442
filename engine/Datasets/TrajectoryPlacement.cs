namespace LatentTerrain.Engine.Datasets;

/// <summary>How a trajectory's path turns into one coordinate per latent frame.</summary>
public enum TrajectoryPlacement
{
    /// <summary>
    /// The path is a drawn polyline; points are placed along it at a constant arc-length spacing
    /// (the dataset's density), as the performer's gesture is read at constant speed.
    /// </summary>
    AlongPath,

    /// <summary>
    /// The path already holds one coordinate per latent frame: vertex i pairs with frame i. This is
    /// what the reference's dictionaries store, and what a recorded controller gesture gives.
    /// </summary>
    PerFrame,
}
