using LatentTerrain.Instrument.CommandLine;
using Spectre.Console;

namespace LatentTerrain.Tests.Instrument;

/// <summary>Runs the <c>terrain</c> command line in-process and keeps what it printed.</summary>
internal sealed record CommandResult(int ExitCode, string Output, string Error)
{
    public static CommandResult Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        int code = TerrainCommandLine.Run(args, console, error);
        return new CommandResult(code, output.ToString(), error.ToString());
    }

    /// <summary>Asserts the failure contract: exit code 1 and exactly one line on standard error, containing each fragment.</summary>
    public void AssertFailedWith(params string[] fragments)
    {
        Assert.True(ExitCode == 1, $"exit code {ExitCode}; output: {Output}; error: {Error}");
        var lines = Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line on standard error, got:\n{Error}");
        foreach (var fragment in fragments) Assert.Contains(fragment, lines[0]);
    }
}
