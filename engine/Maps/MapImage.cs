namespace LatentTerrain.Engine.Maps;

/// <summary>
/// An 8-bit image of a terrain, row-major with row 0 at the top of the plane (largest y). Made once
/// and rendered into again and again, so redrawing a map costs no allocation.
/// </summary>
public sealed class MapImage
{
    public MapImage(int width, int height, PixelFormat format)
    {
        if (width < 1 || height < 1) throw new ArgumentOutOfRangeException(nameof(width), $"an image needs at least one pixel, not {width} x {height}");
        if (!Enum.IsDefined(format)) throw new ArgumentOutOfRangeException(nameof(format));
        Width = width;
        Height = height;
        Format = format;
        Pixels = new byte[checked(width * height * BytesPerPixel)];
    }

    public int Width { get; }
    public int Height { get; }
    public PixelFormat Format { get; }
    public int BytesPerPixel => Format == PixelFormat.Rgb8 ? 3 : 1;
    /// <summary>Width × Height × BytesPerPixel bytes; RGB pixels in the order red, green, blue.</summary>
    public byte[] Pixels { get; }
}
