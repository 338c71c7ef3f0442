using System.Diagnostics;
using LatentTerrain.Engine.Audio;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Audio;

/// <summary>Playing a ring through our JACK client into JACK servers of the tests' own (dummy driver, 48 kHz, 128-frame periods).</summary>
[Collection(JackServer.Collection)]
public sealed class AudioOutputTests
{
    private const int Rate = 48000;

    [JackFact]
    public void Opens_starts_stops_and_closes_with_JACKs_latency()
    {
        using var server = JackServer.Start();
        using var output = AudioOutput.Open(new AudioRing(8192, 2), Rate);

        Assert.Equal(("system", 2, Rate, 128), (output.DeviceName, output.Channels, output.SampleRate, output.FramesPerBuffer));
        Assert.Equal(128.0 / Rate, output.ReportedLatency, 1e-9);
        Assert.False(output.IsActive);

        output.Start();
        Assert.True(output.IsActive);
        // Once connected, the playback latency JACK reports for the system ports: at least a period.
        Assert.InRange(output.ReportedLatency, 128.0 / Rate, 4 * 128.0 / Rate);
        Assert.Contains("terrain:out_0", server.Ports());
        double startTime = output.StreamTime;
        WaitFor(() => output.FramesPlayed >= Rate / 10);
        long played = output.FramesPlayed;
        // It plays in whole periods, and its clock runs (how fast is the server's affair and the machine's).
        Assert.True(played >= Rate / 10, $"only {played} frames played in 10 s");
        Assert.Equal(0, played % 128);
        Assert.True(output.StreamTime > startTime, "the stream's clock stood still");

        output.Stop();
        Assert.False(output.IsActive);
        Assert.False(output.Lost);
        long stopped = output.FramesPlayed;
        Thread.Sleep(100);
        Assert.Equal(stopped, output.FramesPlayed);

        output.Start();
        WaitFor(() => output.FramesPlayed > stopped);
        Assert.True(output.FramesPlayed > stopped);
        Assert.False(output.Lost);
    }

    [JackFact]
    public void Chooses_a_device_by_part_of_its_name_or_by_its_number()
    {
        using var server = JackServer.Start();
        var system = AudioDevices.List().DefaultOutput!;

        using (var byName = AudioOutput.Open(new AudioRing(1024, 2), Rate, "SYS"))
            Assert.Equal(system, byName.Device);
        using (var byNumber = AudioOutput.Open(new AudioRing(1024, 2), Rate, $"{system.Index}"))
            Assert.Equal(system, byNumber.Device);
    }

    [JackFact]
    public void An_unknown_device_is_refused_with_the_list_of_devices()
    {
        using var server = JackServer.Start();

        var byName = Assert.Throws<AudioDeviceException>(() => AudioOutput.Open(new AudioRing(1024, 2), Rate, "Focusrite"));
        Assert.Equal("no audio output device is called 'Focusrite': the output devices are 0 'system' (JACK Audio Connection Kit)", byName.Message);

        var byNumber = Assert.Throws<AudioDeviceException>(() => AudioOutput.Open(new AudioRing(1024, 2), Rate, "7"));
        Assert.Equal("there is no audio output device 7: the output devices are 0 'system' (JACK Audio Connection Kit)", byNumber.Message);
    }

    [JackFact]
    public void A_rate_other_than_JACKs_is_refused_with_the_servers_rate()
    {
        using var server = JackServer.Start();

        var error = Assert.Throws<AudioDeviceException>(() => AudioOutput.Open(new AudioRing(1024, 2), 44100));

        Assert.Equal("opening 'system' (JACK Audio Connection Kit) for 2 channels at 44100 Hz: Invalid sample rate (the JACK server runs at 48000 Hz)", error.Message);
        Assert.Equal(-9997, error.PortAudioError);
        Assert.False(PortAudioLibrary.IsInitialised);
    }

    [JackFact]
    public void More_channels_than_the_device_has_are_refused()
    {
        using var server = JackServer.Start();

        var error = Assert.Throws<AudioDeviceException>(() => AudioOutput.Open(new AudioRing(1024, 3), Rate));

        Assert.Equal("opening 'system' (JACK Audio Connection Kit) for 3 channels at 48000 Hz: Invalid number of channels (it has 2 output channels)", error.Message);
    }

    /// <summary>
    /// A tone written to the ring comes out of JACK's system ports: recorded from the monitor
    /// ports, each channel at its pitch and level, and without a gap unless JACK reported an
    /// xrun. With 1024-frame periods, because a server without real-time scheduling misses
    /// 128-frame deadlines on a busy machine (docs/performance.md, The machine).
    /// </summary>
    [JackFact]
    public void A_tone_in_the_ring_is_what_JACK_plays()
    {
        using var server = JackServer.Start(period: 1024);
        var ring = new AudioRing(2 * Rate + Rate / 2, 2);
        var left = Signals.Sine(1000, Rate, ring.Capacity, amplitude: 0.5);
        var right = Signals.Sine(1500, Rate, ring.Capacity, amplitude: 0.25);
        var interleaved = new float[2 * ring.Capacity];
        for (int i = 0; i < ring.Capacity; i++) (interleaved[2 * i], interleaved[2 * i + 1]) = (left[i], right[i]);
        Assert.Equal(ring.Capacity, ring.Write(interleaved));
        string path = Path.Combine(Paths.NewScratch(), "played.wav");

        using var output = AudioOutput.Open(ring, Rate);
        output.Start();
        server.Record(1, path);
        output.Stop();

        var recorded = AudioFile.Read(path);
        Assert.Equal((Rate, 2, Rate), (recorded.SampleRate, recorded.Channels, recorded.Frames));
        // jack_capture may record a period of silence before its connections carry sound.
        int start = recorded.Channel(0).IndexOfAnyExcept(0f);
        Assert.InRange(start, 0, server.Period);
        bool xruns = output.UnderflowFlags > 0;
        AssertTone(recorded.Channel(0)[start..], 1000, 0.5, xruns);
        AssertTone(recorded.Channel(1)[start..], 1500, 0.25, xruns);
        Assert.Equal(0, output.Underruns);
    }

    /// <summary>
    /// The callback never enters the .NET runtime, so garbage collections, which stop every
    /// managed thread, cannot hold it up: with a second of audio queued and a thread forcing full
    /// blocking collections of a heap of large arrays (which stalled a managed callback for up to
    /// 15 ms, research/platform.md), it plays without a gap and the server sees it finish every
    /// period (but those the server itself started late: see <see cref="JackServer.Xruns"/>).
    /// </summary>
    [JackFact]
    public void The_callback_plays_through_garbage_collections()
    {
        using var server = JackServer.Start();
        using var ring = new AudioRing(Rate * 4, 2);
        ring.Write(new float[2 * Rate * 3]);
        using var output = AudioOutput.Open(ring, Rate);
        output.Start();
        // JACK reports an xrun to its clients late, from a thread of its own: let those of the start pass.
        WaitFor(() => output.FramesPlayed >= Rate / 2);
        int logged = server.Logged().Length;
        long underruns = output.Underruns;

        int collections = GC.CollectionCount(2);
        var paused = GC.GetTotalPauseDuration();
        var keep = new List<float[]>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(1))
        {
            keep.Add(new float[1 << 20]);
            if (keep.Count > 48) keep.RemoveRange(0, 24);
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        }
        Thread.Sleep(300);
        long played = output.FramesPlayed;
        output.Stop();

        // Paused for many periods in all: a callback inside the runtime would miss dozens of them.
        paused = GC.GetTotalPauseDuration() - paused;
        Assert.True(paused > TimeSpan.FromMilliseconds(100), $"the collections paused the runtime for only {paused.TotalMilliseconds:F0} ms");
        Assert.True(played >= Rate, $"only {played} frames played");
        string log = server.Logged()[logged..];
        var (serverLate, clientLate) = JackServer.Xruns(log);
        // A late cycle or a few happen on a busy machine without any collection (a stolen processor):
        // allowed, up to a quarter of the periods the collections paused the runtime for, all of
        // which a managed callback would miss.
        double pausedPeriods = paused.TotalSeconds * Rate / 128;
        Assert.True(underruns == output.Underruns && clientLate <= pausedPeriods / 4,
            $"{output.Underruns - underruns} underruns, {clientLate} late cycles of ours ({serverLate} of the server's own) while collections paused the runtime for {paused.TotalMilliseconds:F0} ms; the server said: {log}");
    }

    [JackFact]
    public void Reopening_a_stream_that_was_not_lost_plays_on()
    {
        using var server = JackServer.Start();
        using var output = AudioOutput.Open(new AudioRing(1024, 2), Rate);
        output.Start();
        WaitFor(() => output.FramesPlayed >= 4800);

        output.Reopen();

        long played = output.FramesPlayed;
        Assert.True(output.IsActive);
        WaitFor(() => output.FramesPlayed >= played + 4800);
        Assert.True(output.FramesPlayed >= played + 4800);
        Assert.False(output.Lost);
    }

    /// <summary>
    /// The JACK server dies under a playing output and an idle one, and starts again under the
    /// same name: the outputs are lost at once, a dead client must be let go of before any JACK
    /// client opens (libjack would free it behind its owner's back), and the new server is played.
    /// </summary>
    [JackFact]
    public void When_the_JACK_server_dies_the_output_is_lost_and_plays_again_on_the_next_one()
    {
        var (exitCode, output, error) = TestProgram.Run(TimeSpan.FromMinutes(1), AudioScenarios.Command, AudioScenarios.JackLoss);

        Assert.True(exitCode == 0, $"exit code {exitCode}: {output}{error}");
        var seen = AudioScenarios.Parse(output);
        void Saw(string key, string value) =>
            Assert.True(seen.GetValueOrDefault(key) == value, $"{key} was not {value}; the scenario printed:\n{output}{error}");
        Saw("playing", "True");
        Saw("idle-lost-before", "False");
        Saw("lost", "True");
        Assert.InRange(long.Parse(seen["lost-after-ms"]), 0, 1000);
        Saw("idle-lost", "True");
        Saw("holds-dead-client", "True");
        Saw("frames-after-loss", "0");
        Saw("active-after-loss", "False");
        Assert.EndsWith("an audio output of the JACK server that went away is still open; release it first (AudioOutput.ReleaseLost)",
            seen["reopen-beside-a-dead-client"]);
        Saw("released-dead-client", "True");
        Saw("reopen-without-server", $"'system' (JACK Audio Connection Kit) is gone; {AudioDevices.NoOutputMessage}");
        Saw("reopen-with-server", "reopened");
        Saw("still-lost", "False");
        Saw("plays-again", "True");
        Saw("input-connected", "True");
        Saw("input-connected-again", "True");
        Saw("input-records-again", "True");
        Saw("idle-reopen", "reopened");
        Saw("idle-still-lost", "False");
        Assert.InRange(long.Parse(seen["dispose-ms"]), 0, 1000);
        Assert.Equal("", error);
    }

    /// <summary>
    /// Pitch and level from tenths of a second, by their medians, so that an xrun (a period of
    /// silence, which shifts the phase of all that follows) spoils one or two of them, not all.
    /// </summary>
    private static void AssertTone(ReadOnlySpan<float> recorded, double frequency, double amplitude, bool xruns)
    {
        const int Block = Rate / 10;
        var frequencies = new List<double>();
        var levels = new List<double>();
        for (int start = 0; start + Block <= recorded.Length; start += Block)
        {
            frequencies.Add(Signals.Frequency(recorded.Slice(start, Block), Rate));
            levels.Add(Spectrum.Magnitude(recorded.Slice(start, Block), frequency, Rate));
        }
        Assert.InRange(Median(frequencies), frequency - 0.1, frequency + 0.1);
        Assert.InRange(Median(levels), 0.99 * amplitude, 1.01 * amplitude);
        // Without an xrun, not one gap: that would be a step far larger than the tone's own.
        double toneStep = 2 * Math.PI * frequency / Rate * amplitude;
        if (!xruns) Assert.InRange(Spectrum.LargestStep(recorded), 0, 1.01 * toneStep);
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static void WaitFor(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition() && clock.Elapsed < TimeSpan.FromSeconds(10)) Thread.Sleep(2);
    }
}
