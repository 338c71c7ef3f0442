namespace LatentTerrain.Engine.Maps;

/// <summary>How a map stores a pixel.</summary>
public enum PixelFormat
{
    /// <summary>One byte of grey: one latent channel.</summary>
    Grey8,
    /// <summary>Three bytes, red, green, blue: four latent channels (brightness and three hues).</summary>
    Rgb8,
}
