using System.CommandLine;
using System.Diagnostics;
using LatentTerrain.Engine.Files;
using LatentTerrain.Engine.Maps;
using Spectre.Console;

namespace LatentTerrain.Instrument.CommandLine;

/// <summary><c>terrain map</c>: a terrain -> a PNG picture of a rectangle of its plane.</summary>
internal static class MapCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var bounds = PlaneBounds.Default;
        var terrain = new Option<string>("--terrain", "-t") { Description = "terrain file (ours, or the reference's .pt), or a session folder", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "PNG file to write", Required = true };
        var size = new Option<string>("--size") { Description = "pixels: N for N x N, or WxH", DefaultValueFactory = _ => "256" };
        var channel = new Option<int>("--channel", "-c") { Description = "latent channel drawn (colour: brightness; the next three are red, green, blue)", DefaultValueFactory = _ => 0 };
        var colour = new Option<bool>("--colour") { Description = "draw four channels in colour instead of one in grey" };
        var range = new Option<string>("--range")
        {
            Description = "latent values drawn black and white: 'auto' (each channel's own min..max) or 'lo,hi'",
            DefaultValueFactory = _ => $"{ChannelRange.Reference.Min:R},{ChannelRange.Reference.Max:R}",
        };
        var area = new Option<string>("--bounds")
        {
            Description = "rectangle of the plane drawn: 'xmin,xmax,ymin,ymax'",
            DefaultValueFactory = _ => $"{bounds.XMin:R},{bounds.XMax:R},{bounds.YMin:R},{bounds.YMax:R}",
        };

        var command = new Command("map", "Draw a terrain as an image: one latent channel in grey, or four in colour.")
        {
            terrain, output, size, channel, colour, range, area,
        };
        command.SetAction(result =>
        {
            string outputPath = Options.OutputFile(result, output);
            var (width, height) = Size(result.GetRequiredValue(size));
            var style = new MapStyle
            {
                Channel = result.GetValue(channel),
                Format = result.GetValue(colour) ? PixelFormat.Rgb8 : PixelFormat.Grey8,
                Range = Range(result.GetRequiredValue(range)),
            };
            var rectangle = Options.Numbers(result.GetRequiredValue(area), 4, "--bounds");
            var network = Options.Terrain(result, terrain);

            var clock = Stopwatch.StartNew();
            var map = new TerrainMap(network.Config, width, height) { Bounds = new PlaneBounds(rectangle[0], rectangle[1], rectangle[2], rectangle[3]) };
            var image = map.Render(network, style);
            PngWriter.Write(image, outputPath);
            console.MarkupLineInterpolated($"{width} x {height} map of {result.GetRequiredValue(terrain)} ({(style.Format == PixelFormat.Rgb8 ? $"channels {style.Channel}..{style.Channel + 3} in colour" : $"channel {style.Channel}")}) in {clock.Elapsed.TotalMilliseconds:F0} ms -> {outputPath}");
            return 0;
        });
        return command;
    }

    private static (int Width, int Height) Size(string text)
    {
        var parts = text.ToLowerInvariant().Split('x');
        if (parts.Length is 1 or 2 && parts.All(p => int.TryParse(p, out int n) && n is >= 1 and <= 8192))
        {
            int width = int.Parse(parts[0]);
            return (width, parts.Length == 2 ? int.Parse(parts[1]) : width);
        }
        throw new UsageException($"--size '{text}': expected N or WxH, each 1..8192");
    }

    private static ChannelRange Range(string text)
    {
        if (text.Equals("auto", StringComparison.OrdinalIgnoreCase)) return ChannelRange.Automatic;
        var values = Options.Numbers(text, 2, "--range");
        if (values[0] >= values[1]) throw new UsageException($"--range '{text}': the first value must be below the second");
        return ChannelRange.Fixed(values[0], values[1]);
    }
}
