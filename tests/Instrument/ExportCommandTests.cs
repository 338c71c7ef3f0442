using LatentTerrain.Engine.Files;
using LatentTerrain.Engine.Terrain;
using LatentTerrain.Tests.Files;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Instrument;

public class ExportCommandTests
{
    private readonly string _folder = Paths.NewScratch();

    private string SaveTerrain(Activation activation = Activation.PReLU)
    {
        string path = Path.Combine(_folder, "t.terrain");
        TerrainFile.Save(TerrainNetwork.Create(new TerrainConfig { LatentSize = 4, Width = 16, FourierFeatures = 16, Activation = activation }), path);
        return path;
    }

    [Fact]
    public void Exports_a_terrain_file()
    {
        string terrain = SaveTerrain(), pt = Path.Combine(_folder, "t.pt");

        var result = CommandResult.Run("export", "--terrain", terrain, "--pt", pt);

        Assert.True(result.ExitCode == 0, result.Error);
        // The console wraps long lines; the report is one.
        Assert.Equal($"{terrain} (2-D -> 4, width 16, 16 Fourier features, sigma 0.1) -> {pt}, for nn.terrain~", result.Output.Replace("\n", "").Trim());
        TerrainFileTests.AssertSameTensors(TerrainFile.Load(terrain).ToTensors(), TerrainFile.Load(pt).ToTensors());
    }

    [Fact]
    public void Exports_a_reference_checkpoint_again()
    {
        string pt = Path.Combine(_folder, "percussion.pt");

        var result = CommandResult.Run("export", "-t", Paths.Fixture("nn_terrain", "percussion-terrain-demo.pt"), "--pt", pt);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("(2-D -> 4, width 128, 256 Fourier features, sigma 0.12)", result.Output.Replace("\n", ""));
        Assert.Equal(4, TerrainFile.Load(pt).Config.LatentSize);
    }

    [Fact]
    public void A_terrain_the_reference_cannot_hold_is_one_line_and_the_old_file_stays()
    {
        string pt = Path.Combine(_folder, "t.pt");
        File.WriteAllText(pt, "precious");

        CommandResult.Run("export", "-t", SaveTerrain(Activation.SiLU), "--pt", pt)
            .AssertFailedWith($"{pt}: not exported: the reference's nn.terrain~ has 4 PReLU layers; this terrain has depth 4 with SiLU");
        Assert.Equal("precious", File.ReadAllText(pt));
    }

    [Fact]
    public void A_name_nn_terrain_would_not_open_is_one_line()
    {
        string output = Path.Combine(_folder, "t.terrain.out");
        CommandResult.Run("export", "-t", SaveTerrain(), "--pt", output).AssertFailedWith($"{output}: nn.terrain~ opens only files whose names end in .pt (--pt)");
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void A_missing_or_damaged_terrain_is_one_line()
    {
        string pt = Path.Combine(_folder, "t.pt");
        CommandResult.Run("export", "-t", Path.Combine(_folder, "none.terrain"), "--pt", pt).AssertFailedWith("none.terrain: no such file or session (--terrain)");

        string terrain = SaveTerrain();
        var bytes = File.ReadAllBytes(terrain);
        File.WriteAllBytes(terrain, bytes[..(bytes.Length / 2)]);
        CommandResult.Run("export", "-t", terrain, "--pt", pt).AssertFailedWith("t.terrain", "truncated");
        Assert.False(File.Exists(pt));
    }

    [Fact]
    public void A_missing_folder_is_one_line()
    {
        string pt = Path.Combine(_folder, "no", "t.pt");
        CommandResult.Run("export", "-t", SaveTerrain(), "--pt", pt).AssertFailedWith("does not exist (--pt)");
    }
}
