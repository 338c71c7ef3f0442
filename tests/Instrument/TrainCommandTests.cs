using LatentTerrain.Engine.Files;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Instrument;

public class TrainCommandTests
{
    private readonly string _folder = Paths.NewScratch();

    /// <summary>Two paths of 3-channel latents and two points, in our dataset format.</summary>
    internal static string WriteDataset(string folder, int latentSize = 3)
    {
        string Latents(int frames) => string.Join(",", Enumerable.Range(0, frames)
            .Select(f => "[" + string.Join(",", Enumerable.Range(0, latentSize).Select(c => (MathF.Sin(f * 0.3f + c)).ToString("R"))) + "]"));
        string path = Path.Combine(folder, "dataset.json");
        File.WriteAllText(path, $$"""
            {
              "format": "latent-terrain-dataset", "version": 1, "input_dims": 2, "latent_size": {{latentSize}}, "density": 0.4,
              "trajectories": [
                { "name": "a", "placement": "along_path", "path": [[-4, 0], [4, 0]], "latents": [{{Latents(20)}}] },
                { "name": "b", "placement": "along_path", "path": [[0, -3], [0, 3]], "latents": [{{Latents(12)}}] }
              ],
              "points": [ { "coordinate": [2, 2], "latent": [{{string.Join(",", Enumerable.Repeat("1", latentSize))}}] } ]
            }
            """);
        return path;
    }

    /// <summary>Ctrl-C stops a training run, which says so and leaves no half-made file (the process is the real program).</summary>
    [Fact]
    public void Ctrl_C_cancels_training_and_says_the_file_was_not_written()
    {
        string dataset = WriteDataset(_folder);
        string terrain = Path.Combine(_folder, "t.terrain");

        var (exitCode, output, error) = TestProgram.RunTerrainAndInterrupt(TimeSpan.FromSeconds(60),
            line => line.Contains("parameters", StringComparison.Ordinal), "train", "--dataset", dataset, "--out", terrain, "--epochs", "10000000");

        Assert.True(exitCode == 130 && output.Contains("not written", StringComparison.Ordinal), $"exit {exitCode}: {output}{error}");
        Assert.Matches(@"cancelled after \d+ epochs", output);
        Assert.False(File.Exists(terrain));
    }

    [Fact]
    public void TrainsADatasetIntoATerrainFile()
    {
        string dataset = WriteDataset(_folder);
        string terrain = Path.Combine(_folder, "t.terrain");
        var result = CommandResult.Run("train", "--dataset", dataset, "--out", terrain, "--epochs", "30", "--width", "32", "--seed", "4");

        Assert.True(result.ExitCode == 0, result.Error + result.Output);
        Assert.Contains("trained 30 epochs", result.Output);
        Assert.Contains("final loss", result.Output);
        var network = TerrainFile.Load(terrain);
        Assert.Equal(3, network.Config.LatentSize);
        Assert.Equal(32, network.Config.Width);
        Assert.Equal(4, network.Config.Seed);
    }

    [Fact]
    public void ContinuesFromAnExistingTerrainButWillNotReshapeIt()
    {
        string dataset = WriteDataset(_folder);
        string first = Path.Combine(_folder, "first.terrain"), second = Path.Combine(_folder, "second.terrain");
        Assert.Equal(0, CommandResult.Run("train", "-d", dataset, "-o", first, "--epochs", "2", "--width", "16").ExitCode);

        var result = CommandResult.Run("train", "-d", dataset, "-o", second, "--from", first, "--epochs", "2");
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(16, TerrainFile.Load(second).Config.Width);

        CommandResult.Run("train", "-d", dataset, "-o", second, "--from", first, "--width", "64")
            .AssertFailedWith("--width cannot change the shape of the terrain given by --from");
    }

    [Fact]
    public void MissingDatasetIsOneLine()
    {
        CommandResult.Run("train", "--dataset", Path.Combine(_folder, "nope.json"), "--out", Path.Combine(_folder, "t.terrain"))
            .AssertFailedWith("nope.json", "no such file");
    }

    [Fact]
    public void MalformedJsonIsOneLineAndLeavesTheOldTerrainAlone()
    {
        string dataset = Path.Combine(_folder, "bad.json");
        File.WriteAllText(dataset, "{ \"format\": \"latent-terrain-dataset\", \"version\": 1,\n  \"input_dims\": 2 \"latent_size\": 3 }");
        string terrain = Path.Combine(_folder, "t.terrain");
        File.WriteAllText(terrain, "precious");

        CommandResult.Run("train", "-d", dataset, "-o", terrain).AssertFailedWith("bad.json", "malformed JSON", "line 2");
        Assert.Equal("precious", File.ReadAllText(terrain));
    }

    [Fact]
    public void MismatchedLatentSizesNameTheTrajectory()
    {
        string dataset = Path.Combine(_folder, "mixed.json");
        File.WriteAllText(dataset, """
            { "format": "latent-terrain-dataset", "version": 1, "input_dims": 2, "latent_size": 2,
              "trajectories": [ { "path": [[0,0],[1,0]], "latents": [[1,2],[3,4,5]] } ] }
            """);
        CommandResult.Run("train", "-d", dataset, "-o", Path.Combine(_folder, "t.terrain")).AssertFailedWith("mixed.json", "trajectory 1", "has 3 values, expected 2");
    }

    [Fact]
    public void OutputInAMissingFolderFailsBeforeTraining()
    {
        string dataset = WriteDataset(_folder);
        CommandResult.Run("train", "-d", dataset, "-o", Path.Combine(_folder, "no", "such", "t.terrain"))
            .AssertFailedWith("does not exist", "--out");
    }

    [Fact]
    public void AnImpossibleShapeIsOneLine()
    {
        string dataset = WriteDataset(_folder);
        CommandResult.Run("train", "-d", dataset, "-o", Path.Combine(_folder, "t.terrain"), "--depth", "0")
            .AssertFailedWith("depth must be 1..16 hidden layers, not 0");
    }

    [Fact]
    public void AMistypedOptionIsOneLineNotAScreenOfHelp()
    {
        CommandResult.Run("train", "--datasett", "x").AssertFailedWith("--datasett");
    }
}
