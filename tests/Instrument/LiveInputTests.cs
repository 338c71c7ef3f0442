using System.Diagnostics;
using LatentTerrain.Engine.Audio;
using LatentTerrain.Instrument.Live;
using LatentTerrain.Tests.Audio;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Instrument;

/// <summary>The live instrument's audio input on a JACK server of the test's own, and an instrument without one.</summary>
[Collection(JackServer.Collection)]
public sealed class LiveInputTests
{
    private const int Rate = 48000;

    /// <summary>
    /// A JACK client of the test's own plays a second of a stereo sweep into the instrument's input
    /// ports: from the mark taken before it played, the input's history holds the sweep, found by
    /// cross-correlation, sample for sample, and silence around it. Exactly, with no tolerance: JACK
    /// hands float samples on untouched and sums the connections of a port (the dummy driver's
    /// capture ports carry silence, and x + 0 is x), and the capture ring and the history copy them.
    /// A late cycle can drop or repeat a period of the sound (a busy machine): the take is taken
    /// again, five times at most, when JACK told the client of an xrun or the drain thread fell
    /// behind, and only then.
    /// </summary>
    [JackFact]
    public void A_sound_played_into_the_instruments_input_is_what_its_input_history_holds()
    {
        using var server = JackServer.Start();
        using var model = new SineAutoencoder(ratio: 128);
        using var instrument = new LiveInstrument(model, LinearTerrain.PitchAlongX(), new LiveSettings { SampleRate = Rate, InputSeconds = 10 });
        instrument.Start();
        var input = instrument.Input;
        Assert.True(input != null, instrument.InputProblem);
        Assert.Equal(("system", 2, Rate, true), (input.Name, input.Channels, input.SampleRate, input.IsOnJack));
        using var player = new JackPlayer(server, 2, "terrain:in_0", "terrain:in_1");
        var sound = AudioInputTests.Sweep(Rate);

        string? difference = null;
        for (int take = 1; take <= 5; take++)
        {
            long gaps = input.HostGaps, overruns = input.Overruns;
            long mark = input.History.FramesWritten;
            player.Play(sound);
            Await(() => input.History.FramesWritten >= mark + sound.Length / 2 + Rate / 2, "the sound and half a second after it");
            var recorded = AudioInputTests.Interleaved(input.History.Since(mark));
            difference = Difference(sound, recorded);
            if (difference == null) return;
            difference = $"take {take}: {difference}; {input.HostGaps - gaps} xruns, {input.Overruns - overruns} overruns; the server said: {server.Logged()}";
            if (input.HostGaps == gaps && input.Overruns == overruns) break;
        }
        Assert.Fail(difference);
    }

    /// <summary>An input device that is not there: no input, the reason in one line, and the instrument plays on.</summary>
    [JackFact]
    public void An_input_device_that_is_not_there_is_one_line_and_the_instrument_plays_on()
    {
        using var server = JackServer.Start();
        using var model = new SineAutoencoder(ratio: 128);
        using var instrument = new LiveInstrument(model, LinearTerrain.PitchAlongX(), new LiveSettings { SampleRate = Rate, InputDevice = "Focusrite" });
        instrument.Start();
        instrument.Synth.Cursors.Move(0, 0f, 0f, 1f);

        Assert.Null(instrument.Input);
        Assert.Equal("no audio input device is called 'Focusrite': the input devices are 0 'system' (JACK Audio Connection Kit)", instrument.InputProblem);
        Await(() => instrument.Output.FramesPlayed >= Rate / 10 && instrument.Played.Peak(Rate / 10) > 0.1f, "the note to be played");
        Assert.DoesNotContain("terrain:in_0", server.Ports());
    }

    /// <summary><c>--input none</c> opens none; and with no output at all, the input waits for the output it opens with.</summary>
    [JackFact]
    public void No_input_when_none_is_chosen_or_there_is_no_output()
    {
        using (var server = JackServer.Start())
        using (var model = new SineAutoencoder(ratio: 128))
        using (var chosen = new LiveInstrument(model, LinearTerrain.PitchAlongX(), new LiveSettings { SampleRate = Rate, InputDevice = AudioInput.None }))
        {
            Assert.Equal((null, "no audio input: none was chosen"), (chosen.Input, chosen.InputProblem));
            Assert.DoesNotContain("terrain:in_0", server.Ports());
        }
        using (JackServer.SelectNone())
        using (var model = new SineAutoencoder(ratio: 128))
        using (var silent = new LiveInstrument(model, LinearTerrain.PitchAlongX(), new LiveSettings { SampleRate = Rate }, withoutDevice: true))
            Assert.Equal((null, "no audio input: it opens with the audio output"), (silent.Input, silent.InputProblem));
    }

    /// <summary>Null when <paramref name="recorded"/> holds <paramref name="sound"/> (both interleaved stereo) exactly, with silence around it; else where it does not.</summary>
    private static string? Difference(float[] sound, float[] recorded)
    {
        float[] Left(float[] interleaved) => interleaved.Where((_, i) => i % 2 == 0).ToArray();
        int lag = Alignment.Lag(Left(sound), Left(recorded));
        if (lag < 0 || 2 * lag + sound.Length > recorded.Length) return $"the sound starts at frame {lag} of {recorded.Length / 2}";
        var around = recorded[..(2 * lag)].Concat(recorded[(2 * lag + sound.Length)..]).ToArray();
        if (Array.FindIndex(around, sample => sample != 0f) is int loud and >= 0) return $"not silent around the sound: {around[loud]} at sample {loud} of those around it";
        var take = recorded[(2 * lag)..(2 * lag + sound.Length)];
        if (take.SequenceEqual(sound)) return null;
        int first = Enumerable.Range(0, sound.Length).First(i => take[i] != sound[i]);
        return $"frame {first / 2} channel {first % 2} of the sound (found at frame {lag}) was {take[first]}, not {sound[first]}";
    }

    private static void Await(Func<bool> condition, string what)
    {
        var patience = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(patience.Elapsed < TimeSpan.FromSeconds(30), $"waited 30 s for {what}");
            Thread.Sleep(5);
        }
    }
}
