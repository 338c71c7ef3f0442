using System.Diagnostics;

namespace LatentTerrain.Tests.Support;

/// <summary>
/// The peer scripts of tests/peer: the same work done in PyTorch, run with Debian's
/// /usr/bin/python3 (python3-torch), whose results the tests compare with ours.
/// </summary>
public static class PeerPython
{
    public const string Interpreter = "/usr/bin/python3";

    private static readonly Lazy<string?> Missing = new(FindMissing);

    /// <summary>Why the peers cannot run here, or null when they can.</summary>
    public static string? MissingReason => Missing.Value;

    /// <summary>Runs tests/peer/<paramref name="script"/> and returns what it printed; throws with its error output if it fails.</summary>
    public static string Run(string script, params string[] arguments) => RunWithInput(script, null, arguments);

    /// <summary>As <see cref="Run"/>, with <paramref name="input"/> written to the script's standard input.</summary>
    public static string RunWithInput(string script, string? input, params string[] arguments)
    {
        var (exitCode, output, error) = Execute([Path.Combine(Paths.Repository, "tests", "peer", script), .. arguments], input);
        if (exitCode != 0) throw new InvalidOperationException($"{script} exited with {exitCode}: {error}");
        return output;
    }

    private static string? FindMissing()
    {
        if (!File.Exists(Interpreter)) return $"{Interpreter} is missing (install python3)";
        var (exitCode, _, _) = Execute(["-c", "import torch, numpy"]);
        return exitCode == 0 ? null : $"torch or numpy is missing for {Interpreter} (install python3-torch)";
    }

    private static (int ExitCode, string Output, string Error) Execute(string[] arguments, string? input = null)
    {
        var start = new ProcessStartInfo(Interpreter)
        {
            RedirectStandardInput = input != null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {Interpreter}");
        // Both pipes drain at once, so neither can fill up and stall the script.
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (input != null)
        {
            process.StandardInput.Write(input);
            process.StandardInput.Close();
        }
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Interpreter} {string.Join(' ', arguments)} ran longer than two minutes");
        }
        return (process.ExitCode, output.Result, error.Result);
    }
}

/// <summary>A test that needs the PyTorch peers: skipped, with the reason, where they cannot run.</summary>
public sealed class PeerFactAttribute : FactAttribute
{
    public PeerFactAttribute()
    {
        if (PeerPython.MissingReason is string reason) Skip = reason;
    }
}

/// <summary>A theory that needs the PyTorch peers: skipped, with the reason, where they cannot run.</summary>
public sealed class PeerTheoryAttribute : TheoryAttribute
{
    public PeerTheoryAttribute()
    {
        if (PeerPython.MissingReason is string reason) Skip = reason;
    }
}

/// <summary>A test that needs both a JACK server and the PyTorch peers: skipped, with the reason, where either is missing.</summary>
public sealed class JackPeerFactAttribute : FactAttribute
{
    public JackPeerFactAttribute()
    {
        if ((JackServer.MissingReason ?? PeerPython.MissingReason) is string reason) Skip = reason;
    }
}
