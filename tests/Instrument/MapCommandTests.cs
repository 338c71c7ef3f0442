using System.Buffers.Binary;
using LatentTerrain.Engine.Files;
using LatentTerrain.Engine.Terrain;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Instrument;

public class MapCommandTests
{
    private readonly string _folder = Paths.NewScratch();

    private string WriteTerrain(int latentSize = 4)
    {
        string path = Path.Combine(_folder, "t.terrain");
        TerrainFile.Save(TerrainNetwork.Create(new TerrainConfig { LatentSize = latentSize, Width = 32, FourierFeatures = 16 }), path);
        return path;
    }

    private static (int Width, int Height, byte ColourType) PngHeader(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)), bytes[25]);
    }

    [Fact]
    public void DrawsGreyAndColourMaps()
    {
        string terrain = WriteTerrain();
        string grey = Path.Combine(_folder, "grey.png"), colour = Path.Combine(_folder, "colour.png");

        var result = CommandResult.Run("map", "--terrain", terrain, "--out", grey, "--size", "64x32", "--channel", "2", "--range", "auto");
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal((64, 32, (byte)0), PngHeader(grey));

        result = CommandResult.Run("map", "-t", terrain, "-o", colour, "--colour", "--bounds", "-1,1,-1,1");
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal((256, 256, (byte)2), PngHeader(colour));
    }

    [Fact]
    public void DrawsTheReferenceTerrains()
    {
        string png = Path.Combine(_folder, "percussion.png");
        var result = CommandResult.Run("map", "-t", Paths.Fixture("nn_terrain", "percussion-terrain-demo.pt"), "-o", png, "--size", "32");
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal((32, 32, (byte)0), PngHeader(png));
    }

    [Fact]
    public void ATruncatedTerrainIsOneLineAndTheOldImageStays()
    {
        string terrain = WriteTerrain();
        var bytes = File.ReadAllBytes(terrain);
        File.WriteAllBytes(terrain, bytes[..(bytes.Length / 2)]);
        string png = Path.Combine(_folder, "map.png");
        File.WriteAllText(png, "precious");

        CommandResult.Run("map", "-t", terrain, "-o", png).AssertFailedWith("t.terrain", "truncated");
        Assert.Equal("precious", File.ReadAllText(png));
    }

    [Theory]
    [InlineData("--channel", "4", "latent channel 4 does not exist")]
    [InlineData("--size", "0", "--size '0'")]
    [InlineData("--range", "3,1", "--range '3,1'")]
    [InlineData("--bounds", "0,1,2", "--bounds '0,1,2'")]
    public void BadOptionsAreOneLine(string option, string value, string message)
    {
        string terrain = WriteTerrain();
        CommandResult.Run("map", "-t", terrain, "-o", Path.Combine(_folder, "m.png"), option, value).AssertFailedWith(message);
        Assert.False(File.Exists(Path.Combine(_folder, "m.png")));
    }

    [Fact]
    public void AColourMapOfTooFewChannelsIsOneLine()
    {
        string terrain = WriteTerrain(latentSize: 2);
        CommandResult.Run("map", "-t", terrain, "-o", Path.Combine(_folder, "m.png"), "--colour").AssertFailedWith("colour map needs 4 latent channels");
    }
}
