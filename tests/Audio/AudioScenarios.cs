using System.Diagnostics;
using LatentTerrain.Engine.Audio;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Audio;

/// <summary>
/// Audio scenarios that run in a process of their own (<see cref="TestProgram"/>), each
/// printing what it saw as "key: value" lines for the test that started it.
/// </summary>
public static class AudioScenarios
{
    public const string Command = "audio-scenario";
    public const string JackLoss = "jack-loss";
    public const string Quiet = "quiet";

    public static int Run(string[] arguments) => arguments switch
    {
        [JackLoss] => LoseJack(),
        [Quiet] => ListAndPlay(),
        _ => throw new ArgumentException($"unknown audio scenario '{string.Join(' ', arguments)}'"),
    };

    /// <summary>The scenario's "key: value" lines as a dictionary.</summary>
    public static Dictionary<string, string> Parse(string output) => output
        .Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Select(line => line.Split(": ", 2))
        .Where(parts => parts.Length == 2)
        .ToDictionary(parts => parts[0], parts => parts[1].Trim());

    /// <summary>
    /// The JACK server dies (SIGKILL, like a crash) under a playing output and an open one never
    /// started: both must see the loss, nothing may hang, no JACK client may open while a dead one
    /// is still open (libjack would free it behind its owner's back), reopening fails clearly
    /// without a server, and a server started again under the same name is played again, and its
    /// input recorded again through the playing output's client. In a process of its own, so that
    /// nothing the test host holds of JACK is touched.
    /// </summary>
    private static int LoseJack()
    {
        using var server = JackServer.Start();
        var playing = AudioOutput.Open(new AudioRing(4096, 2), 48000);
        var idle = AudioOutput.Open(new AudioRing(4096, 2), 48000);
        var input = AudioInput.Open(playing, seconds: 5);
        playing.Start();
        WaitFor(() => playing.FramesPlayed >= 12000, TimeSpan.FromSeconds(5));
        Report("played", playing.FramesPlayed);
        Report("playing", playing.IsActive && !playing.Lost);
        Report("idle-lost-before", idle.Lost);
        Report("input-connected", server.Connected("system:capture_1", "terrain:in_0"));

        server.Kill();
        var clock = Stopwatch.StartNew();
        WaitFor(() => playing.Lost, TimeSpan.FromSeconds(5));
        Report("lost", playing.Lost);
        Report("lost-after-ms", clock.ElapsedMilliseconds);
        // Each output hears of the loss on its own; the idle one may a moment after the other.
        WaitFor(() => idle.Lost, TimeSpan.FromSeconds(5));
        Report("idle-lost", idle.Lost);
        Report("holds-dead-client", idle.HoldsDeadJackClient);
        long frames = playing.FramesPlayed;
        Thread.Sleep(200);
        Report("frames-after-loss", playing.FramesPlayed - frames);
        Report("active-after-loss", playing.IsActive);

        Report("reopen-beside-a-dead-client", TryReopen(playing));
        idle.ReleaseLost();
        Report("released-dead-client", !idle.HoldsDeadJackClient);
        Report("reopen-without-server", TryReopen(playing));
        server.Restart();
        Report("reopen-with-server", TryReopen(playing));
        Report("still-lost", playing.Lost);
        frames = playing.FramesPlayed;
        WaitFor(() => playing.FramesPlayed >= frames + 12000, TimeSpan.FromSeconds(5));
        Report("plays-again", playing.FramesPlayed >= frames + 12000 && playing.IsActive);
        Report("input-connected-again", server.Connected("system:capture_1", "terrain:in_0") && server.Connected("system:capture_2", "terrain:in_1"));
        frames = input.History.FramesWritten;
        WaitFor(() => input.History.FramesWritten >= frames + 12000, TimeSpan.FromSeconds(5));
        Report("input-records-again", input.History.FramesWritten >= frames + 12000 && !input.Lost);
        Report("idle-reopen", TryReopen(idle));
        Report("idle-still-lost", idle.Lost);

        clock.Restart();
        playing.Stop();
        playing.Dispose();
        idle.Dispose();
        input.Dispose();
        Report("dispose-ms", clock.ElapsedMilliseconds);
        return 0;
    }

    /// <summary>Lists devices without JACK and with it, and plays a moment: everything ALSA, JACK or PortAudio print goes to this process's stderr.</summary>
    private static int ListAndPlay()
    {
        using (JackServer.SelectNone()) Report("outputs-without-jack", AudioDevices.List().OutputDevices.Count);
        using var server = JackServer.Start();
        Report("outputs-with-jack", AudioDevices.List().OutputDevices.Count);
        using var output = AudioOutput.Open(new AudioRing(4096, 2), 48000);
        output.Start();
        WaitFor(() => output.FramesPlayed >= 4800, TimeSpan.FromSeconds(5));
        output.Stop();
        Report("played", output.FramesPlayed);
        return 0;
    }

    private static string TryReopen(AudioOutput output)
    {
        try
        {
            output.Reopen();
            return "reopened";
        }
        catch (AudioDeviceException e)
        {
            return e.Message;
        }
    }

    private static void WaitFor(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!condition() && clock.Elapsed < timeout) Thread.Sleep(5);
    }

    private static void Report(string key, object value) => Console.WriteLine($"{key}: {value}");
}
