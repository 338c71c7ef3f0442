using LatentTerrain.Engine.Audio;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Audio;

/// <summary>The tests' own JACK servers (Support/JackServer.cs), which other tests lean on.</summary>
[Collection(JackServer.Collection)]
public sealed class JackServerTests
{
    [JackFact]
    public void A_server_runs_under_its_own_name_records_and_is_gone_after_dispose()
    {
        string path = Path.Combine(Paths.NewScratch(), "silence.wav");
        string name;
        using (var server = JackServer.Start())
        {
            name = server.Name;
            Assert.Equal(name, Environment.GetEnvironmentVariable(JackServer.Variable));
            Assert.Contains("system:monitor_1", server.Ports());

            server.Record(0.5, path, "system:monitor_1");
        }

        var recorded = AudioFile.Read(path);
        Assert.Equal((48000, 1, 24000), (recorded.SampleRate, recorded.Channels, recorded.Frames));
        Assert.Equal(0, Spectrum.Peak(recorded.Samples));
        Assert.NotEqual(name, Environment.GetEnvironmentVariable(JackServer.Variable));
        Assert.DoesNotContain(Directory.GetFileSystemEntries("/dev/shm"), entry => Path.GetFileName(entry).Contains($"_{name}_"));
    }

    /// <summary>
    /// The latency measurement's recorder (Support/JackMonitorRecorder) hears exactly what is
    /// played, and places each sample in the server's clock: cycles a period apart, and the last
    /// one before the moment it stopped. A take during which the server logged a late
    /// cycle (which misses or repeats a period whatever the recorder does) is taken again, five
    /// times at most.
    /// </summary>
    [JackFact]
    public void The_monitor_recorder_hears_what_is_played_in_the_servers_clock()
    {
        const int Rate = 48000;
        using var server = JackServer.Start();
        var tone = Signals.Sine(440, Rate, Rate / 2, amplitude: 0.5);
        var interleaved = new float[2 * tone.Length];
        for (int i = 0; i < tone.Length; i++) interleaved[2 * i] = tone[i];

        for (int attempt = 1; ; attempt++)
        {
            int logged = server.Logged().Length;
            using var ring = new AudioRing(Rate, 2);
            ring.Write(interleaved);
            using var recorder = new JackMonitorRecorder(seconds: 2);
            using var output = AudioOutput.Open(ring, Rate);
            recorder.Start();
            output.Start();
            Thread.Sleep(700);
            output.Stop();
            var recorded = recorder.Stop();
            ulong stopped = JackMonitorRecorder.Now();
            string log = server.Logged()[logged..];
            var (serverLate, clientLate) = JackServer.Xruns(log);

            int first = Array.FindIndex(recorded, sample => sample != 0f);
            Assert.True(first >= 0, "the tone was not recorded");
            bool exact = recorded.AsSpan(first, tone.Length - 1).SequenceEqual(tone.AsSpan(1));
            if (!exact && serverLate + clientLate > 0 && attempt < 5) continue;
            // The sine's first sample is 0.
            Assert.True(exact, $"take {attempt}: the recording is not the tone; the server's log of the take: {log}");
            // Cycles a period apart on average: each one's own moment is when the server woke for it, a little late on a busy machine.
            long lastFrame = recorded.Length - server.Period;
            double span = recorder.MomentOf(lastFrame) - recorder.MomentOf(0);
            Assert.InRange(span, 0.9 * lastFrame * 1e6 / Rate, 1.1 * lastFrame * 1e6 / Rate);
            double lastCycle = recorder.MomentOf(recorded.Length - server.Period);
            Assert.True(lastCycle <= stopped, $"the last cycle is placed {lastCycle - stopped} µs after the recorder stopped");
            return;
        }
    }

    /// <summary>A server left running by a test process that died (a crash) is stopped by the next one.</summary>
    [JackFact]
    public void A_server_whose_test_process_died_is_stopped()
    {
        int dead = Enumerable.Range(4_000_000, 1000).First(id => !Directory.Exists($"/proc/{id}"));
        var start = new System.Diagnostics.ProcessStartInfo("jackd") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[] { "-n", $"lt{dead}-1", "--no-realtime", "-d", "dummy", "-r", "48000", "-p", "1024" }) start.ArgumentList.Add(argument);
        using var orphan = System.Diagnostics.Process.Start(start)!;
        Thread.Sleep(300);
        Assert.False(orphan.HasExited, "the stand-in orphan did not start");

        JackServer.StopOrphans();

        Assert.True(orphan.WaitForExit(TimeSpan.FromSeconds(5)), "the orphan still runs");
    }

    [JackFact]
    public void A_killed_server_starts_again_under_the_same_name()
    {
        using var server = JackServer.Start();
        int first = server.ProcessId;

        server.Kill();
        server.Restart();

        Assert.NotEqual(first, server.ProcessId);
        Assert.Contains("system:playback_1", server.Ports());
    }
}
