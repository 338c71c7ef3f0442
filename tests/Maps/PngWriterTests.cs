using LatentTerrain.Engine.Maps;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Maps;

public class PngWriterTests
{
    private readonly string _folder = Paths.NewScratch();

    private static MapImage Pattern(int width, int height, PixelFormat format)
    {
        var image = new MapImage(width, height, format);
        for (int i = 0; i < image.Pixels.Length; i++) image.Pixels[i] = (byte)(i * 37 + 11);
        return image;
    }

    [Theory]
    [InlineData(PixelFormat.Grey8, 0)]
    [InlineData(PixelFormat.Rgb8, 2)]
    public void Written_images_decode_to_the_same_size_and_pixels(PixelFormat format, int colourType)
    {
        var image = Pattern(7, 5, format);
        string path = Path.Combine(_folder, "map.png");
        PngWriter.Write(image, path);

        var decoded = PngReader.Read(path);
        Assert.Equal(7, decoded.Width);
        Assert.Equal(5, decoded.Height);
        Assert.Equal(colourType, decoded.ColourType);
        Assert.Equal(image.Pixels, decoded.Pixels);
    }

    [Fact]
    public void The_file_ends_with_the_standard_iend_chunk()
    {
        // IEND and its CRC are the same in every PNG, so this pins the CRC to the standard one.
        string path = Path.Combine(_folder, "map.png");
        PngWriter.Write(Pattern(2, 2, PixelFormat.Grey8), path);
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82 }, bytes[^12..]);
    }

    [Fact]
    public void Writing_replaces_the_file_atomically_and_leaves_no_temporary_behind()
    {
        string path = Path.Combine(_folder, "map.png");
        File.WriteAllText(path, "old");
        PngWriter.Write(Pattern(3, 2, PixelFormat.Rgb8), path);
        Assert.Equal(Pattern(3, 2, PixelFormat.Rgb8).Pixels, PngReader.Read(path).Pixels);
        Assert.Equal(["map.png"], Directory.GetFiles(_folder).Select(Path.GetFileName));
    }
}
