using System.Diagnostics;
using LatentTerrain.Engine.Audio;
using LatentTerrain.Engine.Rendering;
using LatentTerrain.Engine.Terrain;
using LatentTerrain.Instrument;
using LatentTerrain.Instrument.Live;
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

        var (recording, underruns) = Take(server, () =>
        {
            using var codec = new BuiltInCodec(new BuiltInCodecOptions { SampleRate = Rate, Ratio = 128 });
            using var instrument = new LiveInstrument(codec, DefaultTerrain.Load(), new LiveSettings());
            instrument.Start();
            var recording = Record(server, scratch, 5.0, () =>
            {
                Thread.Sleep(500);
                instrument.Play(gesture);
            });
            instrument.Stop();
            return (recording, instrument.Output.Underruns);
        });

        int lag = Alignment.Lag(render, recording);
        double correlation = Alignment.Correlation(render, recording, lag);
        Assert.True(correlation > 0.99, $"correlation {correlation:F4} at lag {lag}; {underruns} underruns");
        Assert.Equal(0, underruns);
    }

    /// <summary>
    /// A minute of eight moving voices while the terrain trains without pause, played by the
    /// `terrain play` program itself (a process of its own, as on stage: the test host's own
    /// garbage would pause the synth thread): the callback never runs dry, the server never waits
    /// for us, the synth thread allocates nothing, no garbage collection runs, and the sound
    /// follows the trainer.
    /// </summary>
    [JackFact]
    public void A_minute_of_eight_voices_while_training_has_no_underrun()
    {
        using var server = JackServer.Start();
        string scratch = Paths.NewScratch(), gesture = Path.Combine(scratch, "eight.csv");
        GestureFile.Save(Performances.Circling(voices: 8, seconds: 60), gesture);
        string dataset = Path.Combine(Paths.Repository, "models", "Defaults", BuiltInDefaults.DatasetFileName);
        // A minute the server spoiled itself (its timer woke late, see JackServer.Xruns) is played once more.
        string output = "", health = "", log = "";
        int serverLate = 0, clientLate = 0;
        for (int take = 0; take < 2; take++)
        {
            int logged = server.Logged().Length;
            var (exitCode, printed, error) = TestProgram.RunTerrain(TimeSpan.FromSeconds(120),
                "play", "--gesture", gesture, "--train", dataset, "--seconds", "60", "--midi", "none");
            Assert.True(exitCode == 0, $"exit {exitCode}: {error}");
            output = printed;
            log = server.Logged()[logged..];
            (serverLate, clientLate) = JackServer.Xruns(log);
            health = output.Split('\n').Single(line => line.StartsWith("health: ", StringComparison.Ordinal));
            if (serverLate == 0) break;
        }
        Assert.True(health == "health: underruns 0, device gaps 0, synth thread allocated 0 B, garbage collections 0" && clientLate == 0,
            $"{health}; {clientLate} cycles the server waited for us ({serverLate} it started late itself): {log}");
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
        var (recording, underruns) = Take(server, () =>
        {
            using var instrument = new LiveInstrument(new SineAutoencoder(ratio: 128), LinearTerrain.PitchAlongX(), new LiveSettings());
            instrument.Start();
            var recording = Record(server, scratch, 3.5, () =>
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
        });

        int onset = Alignment.Onset(recording);
        var note = recording.AsSpan(onset, Rate * 3);
        // The attack's first samples are quieter than the steady tone, the settled 622 Hz tone the steepest.
        float steady = Spectrum.LargestStep(note[^(Rate / 4)..]);
        float largest = Spectrum.LargestStep(note);
        Assert.True(Spectrum.Magnitude(note[^(Rate / 4)..], 622.25, Rate) > 0.1, "the last model does not sound");
        Assert.True(largest <= 1.1f * steady, $"largest step {largest}, steady {steady}");
        Assert.Equal(0, underruns);
    }

    /// <summary>
    /// Plays and records a take; one the server spoiled itself (its timer woke late: on a busy
    /// virtual machine its recording client misses what was played, whatever we do, see
    /// <see cref="JackServer.Xruns"/>) is taken again, three times at most.
    /// </summary>
    private static (float[] Recording, long Underruns) Take(JackServer server, Func<(float[], long)> take)
    {
        string spoiled = "";
        for (int attempt = 0; attempt < 3; attempt++)
        {
            int logged = server.Logged().Length;
            var result = take();
            string log = server.Logged()[logged..];
            if (JackServer.Xruns(log).ServerLate == 0) return result;
            spoiled = log;
        }
        throw new InvalidOperationException($"the JACK server itself was late in three takes out of three (the machine is too busy to judge): {spoiled}");
    }

    /// <summary>
    /// Records <paramref name="seconds"/> of what the server plays while <paramref name="perform"/>
    /// runs, and returns the first channel.
    /// </summary>
    private static float[] Record(JackServer server, string scratch, double seconds, Action perform)
    {
        string path = Path.Combine(scratch, $"recording-{Guid.NewGuid():N}.wav");
        var recording = Task.Run(() => server.Record(seconds, path));
        perform();
        recording.Wait();
        return AudioFile.Read(path).Channel(0).ToArray();
    }
}
