using System.Diagnostics;
using LatentTerrain.Engine.Audio;
using LatentTerrain.Engine.Rendering;
using LatentTerrain.Engine.Synthesis;
using LatentTerrain.Engine.Terrain;
using LatentTerrain.Instrument;
using LatentTerrain.Instrument.Live;
using LatentTerrain.Models;
using LatentTerrain.Models.BuiltIn;
using LatentTerrain.Models.Defaults;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Instrument;

/// <summary>
/// The live instrument through PortAudio into a JACK server of the test's own, recorded from the
/// server's monitor ports: what an audience would hear.
/// </summary>
[Collection(JackServer.Collection)]
public sealed class LivePlayTests
{
    private const int Rate = 48000;

    /// <summary>
    /// A gesture played live is what `terrain render` writes for it: gestures are played on the
    /// audio clock, so the two differ only by where the recording started.
    /// </summary>
    [JackFact]
    public void A_gesture_played_live_sounds_as_its_render()
    {
        using var server = JackServer.Start();
        string scratch = Paths.NewScratch();
        var gesture = Performances.Circling(voices: 2, seconds: 3);
        string gesturePath = Path.Combine(scratch, "gesture.csv"), renderPath = Path.Combine(scratch, "render.wav");
        GestureFile.Save(gesture, gesturePath);
        Assert.Equal(0, CommandResult.Run("render", "--gesture", gesturePath, "--out", renderPath).ExitCode);
        var render = AudioFile.Read(renderPath).Channel(0).ToArray();

        PlaysAsItsRender(server, scratch, () => new BuiltInCodec(new BuiltInCodecOptions { SampleRate = Rate, Ratio = 128 }), gesture, render);
    }

    /// <summary>
    /// A model at another rate than the device's (the built-in codec at 44.1 kHz on a 48 kHz
    /// server, as a 44.1 kHz RAVE model on a 48 kHz interface) is resampled live, and what is heard
    /// is the offline render of the same synth: the same pitch, the same gesture, in time.
    /// </summary>
    [JackFact]
    public void A_model_at_another_rate_is_resampled_live_as_in_its_render()
    {
        using var server = JackServer.Start();
        string scratch = Paths.NewScratch();
        var gesture = Performances.Circling(voices: 2, seconds: 3);
        BuiltInCodec Codec() => new(new BuiltInCodecOptions { SampleRate = 44100, Ratio = 128 });
        float[] render;
        using (var codec = Codec())
        using (var synth = new Synth(codec, new TerrainSnapshots(DefaultTerrain.Load()), new SynthSettings { OutputChannels = 2, SampleRate = Rate }))
        {
            var interleaved = OfflineRenderer.Render(synth, gesture);
            render = Enumerable.Range(0, interleaved.Length / 2).Select(i => interleaved[2 * i]).ToArray();
        }

        PlaysAsItsRender(server, scratch, Codec, gesture, render);
    }

    /// <summary>
    /// Plays <paramref name="gesture"/> live on the model <paramref name="open"/> makes and checks that
    /// the recording, aligned, is <paramref name="render"/> (correlation above 0.99).
    /// </summary>
    private static void PlaysAsItsRender(JackServer server, string scratch, Func<IAutoencoder> open, Gesture gesture, float[] render)
    {
        var (recording, account) = Take(server, () =>
        {
            using var model = open();
            using var instrument = new LiveInstrument(model, DefaultTerrain.Load(), new LiveSettings { SampleRate = Rate });
            Assert.Equal(Rate, instrument.Synth.SampleRate);
            instrument.Start();
            var recording = Record(server, scratch, 5.0, () =>
            {
                Thread.Sleep(500);
                instrument.Play(gesture);
            });
            instrument.Stop();
            return (recording, instrument.Output.Underruns);
        }, take => Alignment.Correlation(render, take, Alignment.Lag(render, take)) > 0.99);

        int lag = Alignment.Lag(render, recording);
        double correlation = Alignment.Correlation(render, recording, lag);
        Assert.True(correlation > 0.99,
            $"correlation {correlation:F4} at lag {lag}; departures: {Alignment.Departures(render, recording, lag)}; {account}");
    }

    /// <summary>
    /// A minute of eight moving voices while the terrain trains without pause, played by the
    /// `terrain play` program itself (a process of its own, as on stage: the test host's own
    /// garbage would pause the synth thread): the callback never runs dry, the server never waits
    /// for us, the synth thread allocates nothing, no garbage collection runs, and the sound
    /// follows the trainer. (The JACK server's own late cycles are counted apart: see below.)
    /// </summary>
    [JackFact]
    public void A_minute_of_eight_voices_while_training_has_no_underrun()
    {
        using var server = JackServer.Start();
        string scratch = Paths.NewScratch(), gesture = Path.Combine(scratch, "eight.csv");
        GestureFile.Save(Performances.Circling(voices: 8, seconds: 60), gesture);
        string dataset = Path.Combine(Paths.Repository, "models", "Defaults", BuiltInDefaults.DatasetFileName);
        // JACK counts the cycles in which it activates a new client as not finished by it (its
        // process thread's first wake-ups, before any callback of ours): the log is read from the
        // second status line, a second into playing.
        int logged = -1, statuses = 0;
        var (exitCode, output, error) = TestProgram.RunTerrain(TimeSpan.FromSeconds(120),
            line => { if (line.Contains(" | voices ", StringComparison.Ordinal) && ++statuses == 2) logged = server.Logged().Length; },
            "play", "--gesture", gesture, "--train", dataset, "--seconds", "60", "--midi", "none");

        Assert.True(exitCode == 0 && logged >= 0, $"exit {exitCode}: {error}{output}");
        string log = server.Logged()[logged..];
        var (serverLate, clientLate) = JackServer.Xruns(log);
        var health = Health.Parse(output);
        Assert.Contains("underruns by cause: synth too slow ", health.Line);
        // Every gap must be the server's own doing: on this virtual machine its timer wakes late
        // several times a minute (JackServer.Xruns), and a cycle that starts late may find the queue
        // short. Cycles JACK marks as "not finished" by us while our thread was still "Triggered"
        // are the kernel not waking JACK's thread in our process in time (our callback is C and
        // takes microseconds; AudioOutputTests proves no collection can hold it up): they are
        // reported, not judged here.
        Assert.True(health.Underruns <= serverLate && health.AllocatedBytes == 0 && health.Collections == 0,
            $"{health.Line}; {clientLate} cycles the server waited for our process, {serverLate} it started late itself: {log}");
        // The trainer ran all along: the status line told of its epochs every second.
        var epochs = output.Split('\n').Where(line => line.Contains("training epoch", StringComparison.Ordinal)).ToArray();
        Assert.True(epochs.Length > 30, $"the status told of training {epochs.Length} times: {output}");
    }

    /// <summary>
    /// New weights (the whole terrain an octave up) and then another model arrive while a note
    /// sounds: the recording never jumps further from one sample to the next than the highest
    /// steady tone does, so neither a click nor a gap.
    /// </summary>
    [JackFact]
    public void New_weights_and_another_model_while_playing_make_no_jump()
    {
        using var server = JackServer.Start();
        string scratch = Paths.NewScratch();
        var (recording, account) = Take(server, () =>
        {
            using var instrument = new LiveInstrument(new SineAutoencoder(ratio: 128), LinearTerrain.PitchAlongX(), new LiveSettings());
            instrument.Start();
            var recording = Record(server, scratch, 4.5, () =>
            {
                Thread.Sleep(300);
                instrument.Synth.Cursors.Move(0, 0f, 0f, 1f);       // 220 Hz
                Thread.Sleep(1000);
                instrument.Terrain.Publish(LinearTerrain.PitchAlongX(offset: 1f)); // 440 Hz
                Thread.Sleep(1000);
                instrument.Load(new SineAutoencoder(ratio: 256, octaveOffset: 0.5f)); // 622 Hz
            });
            instrument.Stop();
            return (recording, instrument.Output.Underruns);
        }, take => Steps(take).Largest <= 1.1f * Steps(take).Steady);

        var note = recording.AsSpan(Alignment.Onset(recording), Rate * 3);
        var (largest, steady) = Steps(recording);
        Assert.True(Spectrum.Magnitude(note[^(Rate / 4)..], 622.25, Rate) > 0.1, "the last model does not sound");
        Assert.True(largest <= 1.1f * steady, $"largest step {largest}, steady {steady}; {account}");
    }

    /// <summary>
    /// The largest sample-to-sample step of the three seconds from the note's start, and that of
    /// its settled last quarter second (the attack is quieter, the last 622 Hz tone the steepest).
    /// </summary>
    private static (float Largest, float Steady) Steps(float[] recording)
    {
        var note = recording.AsSpan(Alignment.Onset(recording), Rate * 3);
        return (Spectrum.LargestStep(note), Spectrum.LargestStep(note[^(Rate / 4)..]));
    }

    /// <summary>The health line `terrain play` closes with.</summary>
    private sealed record Health(string Line, long Underruns, long DeviceGaps, long AllocatedBytes, long Collections)
    {
        public static Health Parse(string output)
        {
            string line = output.Split('\n').Single(l => l.StartsWith("health: ", StringComparison.Ordinal)).Trim();
            var numbers = System.Text.RegularExpressions.Regex.Matches(line, @"\d+").Select(m => long.Parse(m.Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            return new Health(line, numbers[0], numbers[1], numbers[2], numbers[3]);
        }
    }

    /// <summary>
    /// Plays and records a take; a bad one spoiled by an xrun is taken again, five times at most. An
    /// xrun is a late cycle: the server's timer woke late, or the kernel did not wake a client's
    /// JACK thread in time, ours or the recorder's, on this busy 2-core virtual machine (our callback
    /// is C and never waits), and the recording then misses or repeats a period whatever we do. They
    /// are counted in the server's log (<see cref="JackServer.Xruns"/>) and by the notifications
    /// jack_capture received, which also tell of cycles the log leaves out. A bad take without
    /// such an excuse is returned at once, for the test to fail on. (These tests run in the test
    /// host, whose own garbage collections may pause the synth thread: underruns are judged by the
    /// minute test, in a process of its own.)
    /// </summary>
    private static (float[] Recording, string Account) Take(JackServer server, Func<(Recording, long Underruns)> take, Func<float[], bool> good)
    {
        for (int attempt = 1; ; attempt++)
        {
            int logged = server.Logged().Length;
            var (recorded, underruns) = take();
            string log = server.Logged()[logged..];
            var (serverLate, clientLate) = JackServer.Xruns(log);
            if (good(recorded.Samples) || serverLate + clientLate + recorded.Capture.Xruns == 0 || attempt == 5)
            {
                return (recorded.Samples, $"take {attempt}: {underruns} underruns, {serverLate} cycles the server started late, " +
                    $"{clientLate} a client did not finish; jack_capture said: {recorded.Capture.Said}; the server's log of the take: {log}");
            }
        }
    }

    /// <summary>A recording's first channel, and what jack_capture said while making it.</summary>
    private sealed record Recording(float[] Samples, JackServer.Capture Capture);

    /// <summary>
    /// Records <paramref name="seconds"/> of what the server plays while <paramref name="perform"/>
    /// runs: the first channel, without the period jack_capture records before it is connected.
    /// </summary>
    private static Recording Record(JackServer server, string scratch, double seconds, Action perform)
    {
        string path = Path.Combine(scratch, $"recording-{Guid.NewGuid():N}.wav");
        var recording = Task.Run(() => server.Record(seconds, path));
        // jack_capture takes a moment to start (long on a busy machine): play once it has opened its file.
        var patience = Stopwatch.StartNew();
        while (!File.Exists(path) && patience.Elapsed < TimeSpan.FromSeconds(10)) Thread.Sleep(10);
        Thread.Sleep(100);
        perform();
        var capture = recording.Result;
        return new Recording(AudioFile.Read(path).Channel(0)[server.Period..].ToArray(), capture);
    }
}
