using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using LatentTerrain.Engine.Audio;

namespace LatentTerrain.Tests.Support;

/// <summary>
/// A JACK server of a test's own: jackd with the dummy driver (no hardware, paced in real
/// time) at 48 kHz with 128-frame periods, under a name no one else uses, with
/// system:monitor_* ports that carry a copy of what is played. While it runs,
/// JACK_DEFAULT_SERVER names it in this process, so libjack's clients find it.
/// </summary>
/// <remarks>
/// libjack reads JACK_DEFAULT_SERVER from the native environment when a client opens, which
/// .NET's Environment.SetEnvironmentVariable does not change on Linux: so the variable is set
/// with libc's setenv. That environment is the whole process's, and libjack serves one server
/// per process at a time, so every test that uses JACK or PortAudio belongs to the
/// <see cref="Collection"/> collection, which runs alone, and closes its clients before its
/// server stops.
/// </remarks>
public sealed partial class JackServer : IDisposable
{
    /// <summary>The xunit collection of tests that use JACK or PortAudio: they run one at a time, with nothing beside them.</summary>
    public const string Collection = "JACK and PortAudio";

    public const string Variable = "JACK_DEFAULT_SERVER";

    private static readonly Lazy<string?> Missing = new(FindMissing);
    private static int servers;

    private readonly EnvironmentChange selection;
    private Process process;
    private readonly StringBuilder log = new();

    private JackServer(string name, int sampleRate, int period, bool synchronous)
    {
        Name = name;
        SampleRate = sampleRate;
        Period = period;
        Synchronous = synchronous;
        selection = Select(name);
        try
        {
            process = LaunchIntoRoom();
        }
        catch
        {
            selection.Dispose();
            throw;
        }
    }

    /// <summary>Why JACK servers cannot run here (jackd, jack_lsp, jack_connect or jack_capture missing), or null when they can.</summary>
    public static string? MissingReason => Missing.Value;

    public string Name { get; }
    public int SampleRate { get; }
    public int Period { get; }
    /// <summary>
    /// Whether the server runs in synchronous mode (jackd -S): it waits for its clients within
    /// the cycle and plays their output in that same cycle, a period sooner than JACK 2's default
    /// asynchronous mode, which plays what clients wrote in the cycle before.
    /// </summary>
    public bool Synchronous { get; }
    public int ProcessId => process.Id;

    /// <summary>Starts a server under a fresh name and waits until clients can connect.</summary>
    public static JackServer Start(int sampleRate = 48000, int period = 128, bool synchronous = false)
    {
        int number = Interlocked.Increment(ref servers);
        if (number == 1) StopOrphans();
        return new JackServer($"lt{Environment.ProcessId}-{number}", sampleRate, period, synchronous);
    }

    /// <summary>
    /// Stops the servers of test processes that died without stopping them (a crashed test host
    /// leaves its last server running): they would hold slots of JACK's registry of servers, eight
    /// at most on a machine. A server of ours is named lt&lt;test process id&gt;-&lt;n&gt;.
    /// </summary>
    internal static void StopOrphans()
    {
        foreach (string folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out int id)) continue;
            string[] arguments;
            try
            {
                arguments = File.ReadAllText(Path.Combine(folder, "cmdline")).Split('\0');
            }
            catch (IOException)
            {
                continue;   // gone meanwhile
            }
            int name = Array.IndexOf(arguments, "-n") + 1;
            if (arguments.Length == 0 || Path.GetFileName(arguments[0]) != "jackd" || name == 0 || name >= arguments.Length) continue;
            var ours = Regex.Match(arguments[name], @"^lt(\d+)-\d+$");
            if (!ours.Success || Directory.Exists($"/proc/{ours.Groups[1].Value}")) continue;
            ProcessSignals.Kill(id);
            RemoveLeftovers(arguments[name]);
        }
    }

    /// <summary>
    /// JACK keeps its servers in a registry in /dev/shm, and frees a killed server's entry only when
    /// one of the same name starts again: killed test servers would fill it over runs ("Too many
    /// servers already active"). When it is full and no jackd runs on the machine, nobody needs it:
    /// removed, it is made afresh by the next server. Returns whether it was removed (a machine where
    /// a jackd runs keeps it untouched).
    /// </summary>
    private static bool ForgetDeadServers()
    {
        bool anyRunning = Directory.EnumerateDirectories("/proc").Any(folder =>
        {
            try
            {
                return int.TryParse(Path.GetFileName(folder), out _) && Path.GetFileName(File.ReadAllText(Path.Combine(folder, "cmdline")).Split('\0')[0]) == "jackd";
            }
            catch (IOException)
            {
                return false;
            }
        });
        if (anyRunning) return false;
        foreach (string path in new[] { "/dev/shm/jack-shm-registry" }.Concat(Directory.Exists("/dev/shm") ? Directory.EnumerateFiles("/dev/shm", "jack-*-*") : []))
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another user's: theirs to keep.
            }
        }
        return true;
    }

    /// <summary>
    /// Points JACK_DEFAULT_SERVER at a server that does not exist (until disposed), so
    /// PortAudio finds no JACK, whatever else runs on the machine.
    /// </summary>
    public static IDisposable SelectNone() => Select($"lt{Environment.ProcessId}-none");

    /// <summary>Kills the server with SIGKILL, as a crash would, and waits until it is gone.</summary>
    public void Kill()
    {
        process.Kill();
        process.WaitForExit();
        RemoveLeftovers();
    }

    /// <summary>Starts the server again under the same name (after <see cref="Kill"/>) and waits until clients can connect.</summary>
    public void Restart()
    {
        if (!process.HasExited) throw new InvalidOperationException($"JACK server '{Name}' still runs");
        process.Dispose();
        process = Launch();
    }

    /// <summary>The server's ports, as jack_lsp lists them.</summary>
    public string Connections() => Run("jack_lsp", TimeSpan.FromSeconds(10), "-c").Output;

    /// <summary>Whether <paramref name="source"/> feeds <paramref name="destination"/> (jack_lsp -c lists each port's connections indented under it).</summary>
    public bool Connected(string source, string destination)
    {
        var lines = Connections().Split('\n');
        int port = Array.IndexOf(lines, source);
        return port >= 0 && lines.Skip(port + 1).TakeWhile(line => line.StartsWith(' ')).Any(line => line.Trim() == destination);
    }

    /// <summary>Connects <paramref name="source"/> to <paramref name="destination"/> with jack_connect, which returns once the server has.</summary>
    public void Connect(string source, string destination)
    {
        var (exitCode, output) = Run("jack_connect", TimeSpan.FromSeconds(10), source, destination);
        if (exitCode != 0) throw new InvalidOperationException($"jack_connect {source} {destination} failed ({exitCode}): {output}");
    }

    public string[] Ports()
    {
        var (exitCode, output) = Run("jack_lsp", TimeSpan.FromSeconds(10));
        return exitCode == 0
            ? output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : throw new InvalidOperationException($"jack_lsp failed ({exitCode}): {output}");
    }

    /// <summary>
    /// Records <paramref name="seconds"/> of <paramref name="ports"/> (by default both
    /// system:monitor ports: what is played) into a 32-bit float WAV at <paramref name="path"/>,
    /// one channel per port, with jack_capture; returns when the file is written, with what
    /// jack_capture said and the xruns JACK told it of while it recorded (some of which the
    /// server's log does not show: see <see cref="Xruns"/>). The file's first period is recorded
    /// before the connections carry sound: it holds silence, or the last period the server played
    /// before (a previous take's).
    /// </summary>
    public Capture Record(double seconds, string path, params string[] ports)
    {
        if (ports.Length == 0) ports = ["system:monitor_1", "system:monitor_2"];
        // Console off and no stdin, but its warnings kept; a buffer for the whole take, so a slow
        // disk on a busy machine cannot make it drop frames.
        string duration = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string buffer = (seconds + 2).ToString(System.Globalization.CultureInfo.InvariantCulture);
        string[] arguments = ["-d", duration, "-ns", "-dc", "-B", buffer,
            .. ports.SelectMany(port => new[] { "--port", port }), path];
        var (exitCode, output) = Run("jack_capture", TimeSpan.FromSeconds(seconds + 20), arguments);
        if (exitCode != 0 || !File.Exists(path))
            throw new InvalidOperationException($"jack_capture {string.Join(' ', arguments)} failed ({exitCode}): {output}");
        string said = Regex.Replace(output, @"\e\[[0-9;]*m", "").Trim();
        var xruns = Regex.Match(said, @"encountered (\d+) jack x-runs");
        return new Capture(said, xruns.Success ? int.Parse(xruns.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0);
    }

    /// <summary>What jack_capture said, and how many xruns JACK notified it of while it recorded.</summary>
    public sealed record Capture(string Said, int Xruns);

    /// <summary>Stops the server by its process id: SIGTERM, then SIGKILL if it lingers for three seconds.</summary>
    public void Dispose()
    {
        if (!process.HasExited)
        {
            ProcessSignals.Terminate(process.Id);
            if (!process.WaitForExit(TimeSpan.FromSeconds(3))) process.Kill();
            process.WaitForExit();
        }
        RemoveLeftovers();
        process.Dispose();
        selection.Dispose();
    }

    /// <summary>Launches the server, making room in JACK's registry once if dead servers fill it.</summary>
    private Process LaunchIntoRoom()
    {
        try
        {
            return Launch();
        }
        catch (InvalidOperationException full) when (full.Message.Contains("Too many servers already active", StringComparison.Ordinal) && ForgetDeadServers())
        {
            return Launch();
        }
    }

    private Process Launch()
    {
        var start = new ProcessStartInfo("jackd")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Real-time scheduling where it is allowed (root, as in CI), as on a stage: without it a busy
        // machine makes JACK miss its 2.7 ms deadlines (docs/performance.md, The machine).
        // "-r" before "-d" would mean no-realtime; after "-d dummy" it is the driver's sample rate.
        string scheduling = Environment.IsPrivilegedProcess ? "-R" : "--no-realtime";
        string[] mode = Synchronous ? ["-S"] : [];
        string[] arguments = ["-n", Name, scheduling, .. mode, "-d", "dummy", "-r", $"{SampleRate}", "-p", $"{Period}", "-m"];
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        var started = Process.Start(start) ?? throw new InvalidOperationException("cannot start jackd");
        started.OutputDataReceived += (_, line) => Log(line.Data);
        started.ErrorDataReceived += (_, line) => Log(line.Data);
        started.BeginOutputReadLine();
        started.BeginErrorReadLine();
        try
        {
            WaitUntilReady(started);
        }
        catch
        {
            // A server that never became ready would otherwise outlive the test and hold its
            // slot in JACK's registry of servers (eight at most on a machine).
            if (!started.HasExited) started.Kill();
            started.WaitForExit();
            RemoveLeftovers();
            throw;
        }
        return started;
    }

    // Ready in about 150 ms: when jack_lsp, a client, sees the driver's ports.
    private void WaitUntilReady(Process server)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (server.HasExited)
                throw new InvalidOperationException($"jackd '{Name}' exited with {server.ExitCode}: {Logged()}");
            var (exitCode, output) = Run("jack_lsp", TimeSpan.FromSeconds(5));
            if (exitCode == 0 && output.Contains("system:playback_1")) return;
            Thread.Sleep(20);
        }
        throw new TimeoutException($"jackd '{Name}' was not ready after 10 s: {Logged()}");
    }

    private (int ExitCode, string Output) Run(string program, TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        start.Environment[Variable] = Name;
        using var child = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {program}");
        var output = child.StandardOutput.ReadToEndAsync();
        var error = child.StandardError.ReadToEndAsync();
        if (!child.WaitForExit(timeout))
        {
            child.Kill();
            child.WaitForExit();
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} ran longer than {timeout.TotalSeconds} s");
        }
        return (child.ExitCode, output.Result + error.Result);
    }

    // A server killed with SIGKILL leaves its socket and semaphores in /dev/shm (its shared
    // memory segments are reclaimed by the next jackd that starts). The names are this
    // server's own: jack_<name>_<uid>_<n> and jack_sem.<uid>_<name>_<client>.
    private void RemoveLeftovers() => RemoveLeftovers(Name);

    private static void RemoveLeftovers(string name)
    {
        string[] prefixes = [$"jack_{name}_", $"jack_sem.{getuid()}_{name}_"];
        if (!Directory.Exists("/dev/shm")) return;
        foreach (string path in Directory.EnumerateFileSystemEntries("/dev/shm"))
        {
            string file = Path.GetFileName(path);
            if (prefixes.Any(prefix => file.StartsWith(prefix, StringComparison.Ordinal))) File.Delete(path);
        }
    }

    private void Log(string? line)
    {
        if (line == null) return;
        lock (log) log.AppendLine(line);
    }

    /// <summary>What jackd has printed so far (its xrun reports among it).</summary>
    public string Logged()
    {
        lock (log) return log.ToString().Trim();
    }

    /// <summary>
    /// The xruns in a stretch of the server's log, in two kinds: the server's own (the dummy
    /// driver's timer woke late, "JackTimedDriver::Process XRun = N usec": the machine's doing,
    /// whatever the clients do), and cycles a client did not finish in time
    /// ("client = X was not finished") other than those right after a late wake-up of the server,
    /// which left the client less than a period. Only the second kind is a client's fault.
    /// </summary>
    public static (int ServerLate, int ClientLate) Xruns(string log)
    {
        int serverLate = 0, clientLate = 0;
        bool afterServerLate = false;
        foreach (string line in log.Split('\n'))
        {
            if (line.Contains("JackTimedDriver::Process XRun"))
            {
                serverLate++;
                afterServerLate = true;
            }
            else if (line.Contains("was not finished"))
            {
                if (!afterServerLate) clientLate++;
            }
            else if (!line.Contains("Process error")) afterServerLate = false;
        }
        return (serverLate, clientLate);
    }

    private static EnvironmentChange Select(string name) => new(Variable, name);

    /// <summary>JACK_DEFAULT_SERVER as libjack would read it now: from the native environment.</summary>
    public static string? NativeVariable() => Marshal.PtrToStringUTF8(getenv(Variable));

    private static string? FindMissing()
    {
        string[] programs = ["jackd", "jack_lsp", "jack_connect", "jack_capture"];
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries);
        var missing = programs.Where(program => !path.Any(folder => File.Exists(Path.Combine(folder, program)))).ToArray();
        return missing.Length == 0 ? null : $"{string.Join(", ", missing)} not found (install jackd2 and jack-capture)";
    }

    /// <summary>
    /// Sets an environment variable in the native environment (where libjack reads it) and in
    /// .NET's copy (which child processes inherit), and puts back what was there on dispose.
    /// </summary>
    private sealed class EnvironmentChange : IDisposable
    {
        private readonly string name;
        private readonly string? previous;

        public EnvironmentChange(string name, string value)
        {
            this.name = name;
            previous = Environment.GetEnvironmentVariable(name);
            Set(value);
        }

        public void Dispose() => Set(previous);

        private void Set(string? value)
        {
            if ((value == null ? unsetenv(name) : setenv(name, value, 1)) != 0)
                throw new InvalidOperationException($"cannot set {name}: errno {Marshal.GetLastPInvokeError()}");
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    [LibraryImport("libc.so.6")]
    private static partial uint getuid();

    [LibraryImport("libc.so.6", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint getenv(string name);

    [LibraryImport("libc.so.6", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int setenv(string name, string value, int overwrite);

    [LibraryImport("libc.so.6", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int unsetenv(string name);
}

/// <summary>The tests that use JACK or PortAudio: run one at a time, after the others, since they share the process's environment and PortAudio.</summary>
[CollectionDefinition(JackServer.Collection, DisableParallelization = true)]
public sealed class JackCollection;

/// <summary>A test that needs JACK servers: skipped, with the reason, where jackd or jack_capture is missing.</summary>
public sealed class JackFactAttribute : FactAttribute
{
    public JackFactAttribute()
    {
        if (JackServer.MissingReason is string reason) Skip = reason;
    }
}
