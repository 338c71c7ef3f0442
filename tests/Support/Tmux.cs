using System.Diagnostics;

namespace LatentTerrain.Tests.Support;

/// <summary>
/// A terminal a person would use, for tests that look at what the real program shows: a tmux
/// server of the test's own (its own socket, no configuration), one session of a given size
/// running a command, keys and SGR mouse sequences typed into it, the screen read back.
/// </summary>
public sealed class Tmux : IDisposable
{
    private readonly string _socket = $"terrain-test-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40];
    private const string Session = "play";

    /// <summary>Starts <paramref name="command"/> (one shell command line) in a terminal of <paramref name="columns"/> x <paramref name="rows"/> with 24-bit colour, kept on screen after it exits.</summary>
    public Tmux(int columns, int rows, string command)
    {
        // The shell says how the command ended (tmux's own pane_dead_status is sometimes left empty). The
        // headless tests' DisableRealDriverIO, inherited from this process, would keep Terminal.Gui silent.
        Run("-f", "/dev/null", "new-session", "-d", "-s", Session, "-x", $"{columns}", "-y", $"{rows}",
            $"env -u DisableRealDriverIO TERM=tmux-256color COLORTERM=truecolor {command}; echo \"[exited $?]\"");
        Run("set-option", "-t", Session, "remain-on-exit", "on");
        // A lone Esc must not wait half a second for a sequence to follow.
        Run("set-option", "-s", "escape-time", "10");
    }

    /// <summary>The screen's text now, one line a row.</summary>
    public string Screen() => Run("capture-pane", "-t", Session, "-p");

    /// <summary>The screen with its colours (SGR sequences as tmux re-renders them).</summary>
    public string ScreenWithColours() => Run("capture-pane", "-t", Session, "-p", "-e");

    /// <summary>Whether the program switched to the alternate screen, as full-screen programs do.</summary>
    public bool AlternateScreen => Run("display", "-p", "-t", Session, "#{alternate_on}").Trim() == "1";

    /// <summary>The program's exit status once it has ended (128 + N for signal N), else null.</summary>
    public int? ExitStatus
    {
        get
        {
            var ended = System.Text.RegularExpressions.Regex.Match(Screen(), @"\[exited (\d+)\]");
            return ended.Success ? int.Parse(ended.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
        }
    }

    /// <summary>Keys by tmux's names (C-q, Escape, Enter, ...).</summary>
    public void Keys(params string[] keys) => Run(["send-keys", "-t", Session, .. keys]);

    /// <summary>Text typed as it is.</summary>
    public void Type(string text) => Run("send-keys", "-t", Session, "-l", text);

    /// <summary>Left button pressed, dragged to and released at cells (columns and rows from 1), in SGR mouse sequences.</summary>
    public void Press(int column, int row) => Type($"\u001b[<0;{column};{row}M");
    public void Drag(int column, int row) => Type($"\u001b[<32;{column};{row}M");
    public void Release(int column, int row) => Type($"\u001b[<0;{column};{row}m");

    /// <summary>Waits until <paramref name="condition"/> holds of the screen; the failure shows the screen.</summary>
    public void WaitFor(Func<string, bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        string screen = "";
        while (clock.Elapsed < timeout)
        {
            screen = Screen();
            if (condition(screen)) return;
            Thread.Sleep(100);
        }
        throw new TimeoutException($"{what} did not happen within {timeout.TotalSeconds} s; the screen:\n{screen}");
    }

    public void Dispose() => Run("kill-server");

    private string Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-L");
        start.ArgumentList.Add(_socket);
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output;
    }
}
