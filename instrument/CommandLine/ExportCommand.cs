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
        var session = new Argument<string?>("SESSION") { Description = "a session folder: its terrain is exported", Arity = ArgumentArity.ZeroOrOne };
        var terrain = new Option<string>("--terrain", "-t") { Description = "terrain file (ours, or the reference's .pt), or a session folder, in place of SESSION" };
        var pt = new Option<string>("--pt") { Description = "checkpoint to write, for nn.terrain~ (a .pt file)", Required = true };
        var command = new Command("export", "Write a session's terrain (or a terrain file's) as the reference's .pt checkpoint, which nn.terrain~ in Max loads (4 PReLU layers only).")
        {
            session, terrain, pt,
        };
        command.SetAction(result =>
        {
            string ptPath = Options.OutputFile(result, pt);
            // nn.terrain~ adds ".pt" to any other name it is given, and would look for a file that is not there.
            if (!ptPath.EndsWith(".pt", StringComparison.Ordinal))
                throw new UsageException($"{ptPath}: nn.terrain~ opens only files whose names end in .pt ({pt.Name})");
            string? named = result.GetValue(session);
            if ((named == null) == (result.GetValue(terrain) == null)) throw new UsageException("give a SESSION or --terrain FILE, one of them");
            var network = named != null ? Options.Terrain(named, "SESSION") : Options.Terrain(result, terrain);
            return Export(console, network, named ?? result.GetValue(terrain)!, ptPath);
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
