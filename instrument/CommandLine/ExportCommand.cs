using System.CommandLine;
using LatentTerrain.Engine.Files;
using LatentTerrain.Engine.Terrain;
using Spectre.Console;

namespace LatentTerrain.Instrument.CommandLine;

/// <summary><c>terrain export</c>: a terrain -> the reference's <c>.pt</c> checkpoint, which nn.terrain~ in Max loads.</summary>
internal static class ExportCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var terrain = new Option<string>("--terrain", "-t") { Description = "terrain file (ours, or the reference's .pt)", Required = true };
        var pt = new Option<string>("--pt") { Description = "checkpoint to write, for nn.terrain~ (a .pt file)", Required = true };
        var command = new Command("export", "Write a terrain as the reference's .pt checkpoint, which nn.terrain~ in Max loads (4 PReLU layers only).")
        {
            terrain, pt,
        };
        command.SetAction(result =>
        {
            string terrainPath = Options.ExistingFile(result, terrain);
            string ptPath = Options.OutputFile(result, pt);
            // nn.terrain~ adds ".pt" to any other name it is given, and would look for a file that is not there.
            if (!ptPath.EndsWith(".pt", StringComparison.Ordinal))
                throw new UsageException($"{ptPath}: nn.terrain~ opens only files whose names end in .pt ({pt.Name})");
            var network = TerrainFile.Load(terrainPath);
            return Export(console, network, terrainPath, ptPath);
        });
        return command;
    }

    /// <summary>Writes <paramref name="network"/>, which came from <paramref name="source"/>, to <paramref name="ptPath"/> and says so.</summary>
    private static int Export(IAnsiConsole console, TerrainNetwork network, string source, string ptPath)
    {
        ReferenceCheckpoint.Write(network, ptPath);
        var c = network.Config;
        string input = c.UsesFourierFeatures ? $"{c.FourierFeatures} Fourier features, sigma {c.Sigma}" : "linear input";
        console.MarkupLineInterpolated($"{source} ({c.InputDims}-D -> {c.LatentSize}, width {c.Width}, {input}) -> {ptPath}, for nn.terrain~");
        return 0;
    }
}
