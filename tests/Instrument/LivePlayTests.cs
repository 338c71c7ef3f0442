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
/// server's monitor ports: what an audience would hear. These check the wiring (sound gets through,
/// at its pitch and level) with measures a late cycle on a busy machine cannot spoil; that the live
/// sound is its render sample for sample, and that swaps make no jump, is checked exactly on a
/// simulated device (Synthesis/LiveSynthTests).
/// </summary>
[Collection(JackServer.Collection)]
public sealed class LivePlayTests
{
    private const int Rate = 48000;

    /// <summary>
    /// A gesture played live reaches the server as loud as `terrain render` writes it: the level of
    /// the take from its onset is that of the render, within a factor of two (a missed or repeated
    /// period moves it by a fraction of a percent; silence, or a wrong gain, far more).
    /// </summary>
    [JackFact]
    public void A_gesture_played_live_reaches_the_server_at_its_renders_level()
    {
        using var server = JackServer.Start();
        string scratch = Paths.NewScratch();
        var gesture = Performances.Circling(voices: 2, seconds: 3);
        string gesturePath = Path.Combine(scratch, "gesture.csv"), renderPath = Path.Combine(scratch, "render.wav");
        GestureFile.Save(gesture, gesturePath);
        Assert.Equal(0, CommandResult.Run("render", "--gesture", gesturePath, "--out", renderPath).ExitCode);
        var render = AudioFile.Read(renderPath).Channel(0).ToArray();

        using var model = new BuiltInCodec(new BuiltInCodecOptions { SampleRate = Rate, Ratio = 128 });
        var (recording, account) = Play(server, scratch, model, DefaultTerrain.Load(), 5.0, instrument =>
        {
            Thread.Sleep(500);
            instrument.Play(gesture);
        });

        var take = recording.AsSpan(Alignment.Onset(recording));
        int length = Math.Min(take.Length, render.Length);
        double level = Spectrum.Rms(take[..length]) / Spectrum.Rms(render.AsSpan(Alignment.Onset(render))[..length]);
        Assert.True(level is > 0.5 and < 2, $"the take is {level:F3} times as loud as the render; {account}");
    }

    /// <summary>
    /// A model at another rate than the server's (the sine model at 44.1 kHz on a 48 kHz server, as a
    /// 44.1 kHz RAVE model on a 48 kHz interface) is resampled live: its 220 Hz note sounds at
    /// 220 Hz, not at the 239.5 Hz its samples would make played unresampled at 48 kHz.
    /// </summary>
    [JackFact]
    public void A_model_at_another_rate_is_resampled_live_to_its_pitch()
    {
        using var server = JackServer.Start();
        using var model = new SineAutoencoder(ratio: 128, sampleRate: 44100);
        var (recording, account) = Play(server, Paths.NewScratch(), model, LinearTerrain.PitchAlongX(), 2.0, instrument =>
        {
            Thread.Sleep(300);
            instrument.Synth.Cursors.Move(0, 0f, 0f, 1f);
        });

        var held = recording.AsSpan(recording.Length - Rate / 2);
        double atPitch = Spectrum.Magnitude(held, 220, Rate), unresampled = Spectrum.Magnitude(held, 220 * 48000.0 / 44100, Rate);
        Assert.True(atPitch > 0.2 && unresampled < atPitch / 10, $"220 Hz at {atPitch:F3}, 239.5 Hz at {unresampled:F3}; {account}");
    }

    /// <summary>
    /// Half a minute of eight moving voices while the terrain trains without pause, played by the
    /// `terrain play` program itself (a process of its own, as on stage: the test host's own
    /// garbage would pause the synth thread): the synth thread allocates nothing, the trainer runs
    /// all along, and the health line tells underruns by cause. How many underruns there are is
    /// the machine's as much as ours: that is measured (`-- soak`, docs/performance.md), not asserted here.
    /// </summary>
    [JackFact]
    public void Eight_voices_while_training_allocate_nothing_on_the_synth_thread()
    {
        using var server = JackServer.Start();
        string scratch = Paths.NewScratch(), gesture = Path.Combine(scratch, "eight.csv");
        GestureFile.Save(Performances.Circling(voices: 8, seconds: 30), gesture);
        string dataset = Path.Combine(Paths.Repository, "models", "Defaults", BuiltInDefaults.DatasetFileName);
        var (exitCode, output, error) = TestProgram.RunTerrain(TimeSpan.FromSeconds(120), null,
            "play", "--gesture", gesture, "--train", dataset, "--seconds", "30", "--midi", "none");

        Assert.True(exitCode == 0, $"exit {exitCode}: {error}{output}");
        var health = Health.Parse(output);
        Assert.Contains("underruns by cause: synth too slow ", health.Line);
        Assert.True(health.AllocatedBytes == 0, $"{health.Line}; the server said: {server.Logged()}");
        // The trainer ran all along: the status line told of its epochs every second.
        var epochs = output.Split('\n').Where(line => line.Contains("training epoch", StringComparison.Ordinal)).ToArray();
        Assert.True(epochs.Length > 15, $"the status told of training {epochs.Length} times: {output}");
    }

    /// <summary>
    /// New weights (the whole terrain an octave up) and then another model reach a playing
    /// instrument: its note sounds at 220 Hz, then 440 Hz, then 622 Hz, each for some quarter second
    /// of the take, whenever the changes fall.
    /// </summary>
    [JackFact]
    public void New_weights_and_another_model_reach_a_playing_instrument()
    {
        using var server = JackServer.Start();
        var (recording, account) = Play(server, Paths.NewScratch(), new SineAutoencoder(ratio: 128), LinearTerrain.PitchAlongX(), 4.5, instrument =>
        {
            Thread.Sleep(300);
            instrument.Synth.Cursors.Move(0, 0f, 0f, 1f);       // 220 Hz
            Thread.Sleep(1000);
            instrument.Terrain.Publish(LinearTerrain.PitchAlongX(offset: 1f)); // 440 Hz
            Thread.Sleep(1000);
            instrument.Load(new SineAutoencoder(ratio: 256, octaveOffset: 0.5f)); // 622 Hz
        });

        foreach (double frequency in new[] { 220, 440, 622.25 })
        {
            bool sounds = Enumerable.Range(0, recording.Length / (Rate / 4))
                .Any(quarter => Spectrum.Magnitude(recording.AsSpan(quarter * (Rate / 4), Rate / 4), frequency, Rate) > 0.1);
            Assert.True(sounds, $"{frequency} Hz sounds in no quarter second of the take; {account}");
        }
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
    /// Records <paramref name="seconds"/> of a live instrument playing <paramref name="model"/> on
    /// <paramref name="terrain"/> while <paramref name="perform"/> plays it, and an account of the take
    /// for a failure's message: underruns, and the xruns the server logged and jack_capture was told
    /// of (late cycles: the server's timer woke late, or the kernel did not wake a client's thread in
    /// time, on a busy machine; the recording then misses or repeats a period).
    /// </summary>
    private static (float[] Recording, string Account) Play(JackServer server, string scratch, IAutoencoder model, TerrainNetwork terrain, double seconds, Action<LiveInstrument> perform)
    {
        int logged = server.Logged().Length;
        using var instrument = new LiveInstrument(model, terrain, new LiveSettings { SampleRate = Rate });
        Assert.Equal(Rate, instrument.Synth.SampleRate);
        instrument.Start();
        var recorded = Record(server, scratch, seconds, () => perform(instrument));
        instrument.Stop();
        string log = server.Logged()[logged..];
        var (serverLate, clientLate) = JackServer.Xruns(log);
        return (recorded.Samples, $"{instrument.Output.Underruns} underruns, {serverLate} cycles the server started late, " +
            $"{clientLate} a client did not finish; jack_capture said: {recorded.Capture.Said}; the server's log of the take: {log}");
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
