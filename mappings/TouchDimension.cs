namespace LatentTerrain.Mappings;

/// <summary>A number every touch carries (see <c>Touch</c>), which a profile can send to a terrain axis.</summary>
public enum TouchDimension
{
    X,
    Y,
    Pressure,
    Velocity,
}
