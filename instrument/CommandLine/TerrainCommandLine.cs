using System.CommandLine;
using System.CommandLine.Invocation;
using LatentTerrain.Engine.Audio;
using LatentTerrain.Engine.Datasets;
using LatentTerrain.Engine.Files;
using LatentTerrain.Controllers.Files;
using LatentTerrain.Controllers.Midi;
using LatentTerrain.Mappings;
using LatentTerrain.Models;
using Spectre.Console;

namespace LatentTerrain.Instrument.CommandLine;

/// <summary>
/// The <c>terrain</c> command line. Every command fails the same way: one line on standard error
/// naming the file and what is wrong, exit code 1, and no output file touched.
/// </summary>
public static class TerrainCommandLine
{
    /// <param name="console">Where progress and results go (the terminal unless a test gives its own).</param>
    /// <param name="error">Where the one-line failures go (standard error unless a test gives its own).</param>
    public static int Run(string[] args, IAnsiConsole? console = null, TextWriter? error = null)
    {
        console ??= AnsiConsole.Console;
        error ??= Console.Error;
        var root = new RootCommand("Latent Terrain: play the latent space of neural audio autoencoders through a trainable terrain.")
        {
            PlayCommand.Create(console),
            DevicesCommand.Create(console),
            RenderCommand.Create(console),
            EncodeCommand.Create(console),
            TrainCommand.Create(console),
            MapCommand.Create(console),
            ExportCommand.Create(console),
            DefaultsCommand.Create(console),
            ModelCommand.Create(console),
            SessionCommand.Create(console),
        };
        var parsed = root.Parse(args);
        // A mistyped option gets one line, not a screen of help (--help still shows it).
        if (parsed.Action is ParseErrorAction)
        {
            string command = parsed.CommandResult.Command == root ? "terrain" : $"terrain {parsed.CommandResult.Command.Name}";
            error.WriteLine($"terrain: {parsed.Errors[0].Message} (see '{command} --help')");
            return 1;
        }
        try
        {
            // Ctrl-C cancels a running play or training, which then has ten seconds to finish its files and give devices back.
            return parsed.Invoke(new InvocationConfiguration
            {
                Output = console.Profile.Out.Writer, Error = error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = TimeSpan.FromSeconds(10),
            });
        }
        catch (Exception e) when (Describe(e) is string message)
        {
            error.WriteLine($"terrain: {message}");
            return 1;
        }
    }

    /// <summary>The one line a person sees for a failure they can fix; null for a bug, which should surface whole.</summary>
    private static string? Describe(Exception e) => e switch
    {
        AudioDeviceException when e.Message == AudioDevices.NoOutputMessage => $"{e.Message} (`terrain devices` lists them; `terrain play --device NAME-OR-NUMBER` picks one)",
        UsageException or ModelException or MidiFileException or MidiException or MappingProfileException or TerrainFileException or DatasetException or AudioFileException or ResamplerException or AudioDeviceException or FormatException => e.Message,
        DllNotFoundException => $"a native library is missing ({e.Message}); ./terrain installs it",
        ArgumentException => e.Message,
        IOException or UnauthorizedAccessException => e.Message,
        _ => null,
    };
}
