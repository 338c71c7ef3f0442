using System.Diagnostics;

namespace LatentTerrain.Tests.Support;

/// <summary>
/// Runs this test assembly as a program of its own (see Benchmarks/Program.cs), for scenarios
/// that leave a process unfit for the tests after them, or whose standard error is the point;
/// and the instrument's own program, for what must be measured in a process like the one on stage.
/// </summary>
public static class TestProgram
{
    static TestProgram() => ProcessSignals.LetChildrenHearInterrupts();

    /// <summary>Runs the assembly with <paramref name="arguments"/> and returns what it printed; kills it after <paramref name="timeout"/>.</summary>
    public static (int ExitCode, string Output, string Error) Run(TimeSpan timeout, params string[] arguments) =>
        Execute(typeof(TestProgram).Assembly.Location, timeout, arguments);

    /// <summary>
    /// Runs the instrument's own program (the Release build scripts/setup made), as `./terrain` does;
    /// <paramref name="onLine"/> sees each line it prints, as it prints it.
    /// </summary>
    public static (int ExitCode, string Output, string Error) RunTerrain(TimeSpan timeout, Action<string>? onLine, params string[] arguments) =>
        Execute(Terrain, timeout, arguments, onLine == null ? null : (line, _) => onLine(line));

    /// <summary>
    /// Runs the instrument's own program with <paramref name="standardInput"/> typed into it, and ends
    /// its standard input <paramref name="thenEndAfter"/> later.
    /// </summary>
    public static (int ExitCode, string Output, string Error) RunTerrainTyping(TimeSpan timeout, string standardInput, TimeSpan thenEndAfter, params string[] arguments) =>
        Execute(Terrain, timeout, arguments, standardInput: (standardInput, thenEndAfter));

    /// <summary>
    /// Runs the instrument's own program and presses Ctrl-C, as a terminal does (SIGINT to the
    /// process), right after it prints a line <paramref name="interruptAfter"/> accepts.
    /// </summary>
    public static (int ExitCode, string Output, string Error) RunTerrainAndInterrupt(TimeSpan timeout, Func<string, bool> interruptAfter, params string[] arguments) =>
        Execute(Terrain, timeout, arguments, (line, process) =>
        {
            if (interruptAfter(line)) ProcessSignals.Interrupt(process.Id);
        });

    /// <summary>
    /// Starts the instrument's own program and leaves it running: the test types into it, waits for
    /// what it prints, and ends it (<see cref="RunningTerrain"/>).
    /// </summary>
    public static RunningTerrain StartTerrain(params string[] arguments) => StartTerrainWithSessionsIn(Paths.NewScratch(), arguments);

    /// <summary>As <see cref="StartTerrain(string[])"/>, with the sessions of <paramref name="dataHome"/> (`terrain play` alone opens the last one there).</summary>
    public static RunningTerrain StartTerrainWithSessionsIn(string dataHome, params string[] arguments)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { "exec", Terrain }.Concat(arguments))
            start.ArgumentList.Add(argument);
        start.Environment["XDG_DATA_HOME"] = dataHome;
        return new RunningTerrain(Process.Start(start) ?? throw new InvalidOperationException("cannot start dotnet"));
    }

    /// <summary>The instrument's program with <paramref name="arguments"/> as one shell command line (for a terminal such as <see cref="Tmux"/>).</summary>
    public static string TerrainCommandLine(params string[] arguments) =>
        string.Join(' ', new[] { DotnetHost(), "exec", Terrain }.Concat(arguments).Select(argument => $"'{argument.Replace("'", "'\\''")}'"));

    private static string Terrain => Path.Combine(Paths.Repository, "instrument", "bin", "Release", "net10.0", "terrain.dll");

    private static (int ExitCode, string Output, string Error) Execute(string assembly, TimeSpan timeout, string[] arguments,
        Action<string, Process>? onLine = null, (string Text, TimeSpan EndAfter)? standardInput = null)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput != null,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { "exec", assembly }.Concat(arguments))
            start.ArgumentList.Add(argument);
        // Each run its own sessions: one run's teaching is never the next one's "last session".
        start.Environment["XDG_DATA_HOME"] = Paths.NewScratch();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start dotnet");
        if (standardInput is var (text, endAfter))
        {
            process.StandardInput.Write(text);
            process.StandardInput.Flush();
            Task.Delay(endAfter).ContinueWith(_ => process.StandardInput.Close());
        }
        var output = Task.Run(() =>
        {
            var printed = new System.Text.StringBuilder();
            while (process.StandardOutput.ReadLine() is string line)
            {
                printed.AppendLine(line);
                onLine?.Invoke(line, process);
            }
            return printed.ToString();
        });
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"{string.Join(' ', arguments)} ran longer than {timeout.TotalSeconds} s; it printed: {output.Result}{error.Result}");
        }
        return (process.ExitCode, output.Result, error.Result);
    }

    // The test host usually runs under the dotnet host itself; dotnet test names it in DOTNET_HOST_PATH otherwise.
    private static string DotnetHost() =>
        Environment.ProcessPath is string path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path
        : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
}

/// <summary>The instrument's program running beside a test: what it printed so far, typing into it, waiting for a line.</summary>
public sealed class RunningTerrain : IDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _printed = new();
    private readonly Task _output, _error;

    internal RunningTerrain(Process process)
    {
        _process = process;
        _output = Task.Run(() => Collect(process.StandardOutput));
        _error = Task.Run(() => Collect(process.StandardError));
    }

    /// <summary>Everything printed so far, standard output and error interleaved as they came.</summary>
    public string Printed
    {
        get { lock (_printed) return _printed.ToString(); }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The program's process (dotnet running it), for a signal.</summary>
    public int ProcessId => _process.Id;

    public bool WaitForExit(TimeSpan timeout) => _process.WaitForExit(timeout);

    public void Type(string line)
    {
        _process.StandardInput.WriteLine(line);
        _process.StandardInput.Flush();
    }

    /// <summary>Waits until a line printed after <paramref name="from"/> characters of <see cref="Printed"/> contains <paramref name="text"/>; the failure says what was printed.</summary>
    public void WaitFor(string text, TimeSpan timeout, int from = 0)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            string printed = Printed;
            if (printed.IndexOf(text, Math.Min(from, printed.Length), StringComparison.Ordinal) >= 0) return;
            if (_process.HasExited) break;
            Thread.Sleep(50);
        }
        throw new TimeoutException($"terrain did not print '{text}' within {timeout.TotalSeconds} s{(_process.HasExited ? $" (it exited with {_process.ExitCode})" : "")}; it printed:\n{Printed}");
    }

    /// <summary>Types `quit` and waits for the exit code.</summary>
    public int Quit(TimeSpan timeout)
    {
        Type("quit");
        if (!_process.WaitForExit(timeout)) throw new TimeoutException($"terrain did not quit within {timeout.TotalSeconds} s; it printed:\n{Printed}");
        Task.WaitAll(_output, _error);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
    }

    private void Collect(StreamReader reader)
    {
        while (reader.ReadLine() is string line)
            lock (_printed) _printed.AppendLine(line);
    }
}
