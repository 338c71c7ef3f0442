using LatentTerrain.Controllers.Midi;
using LatentTerrain.Engine.Audio;
using LatentTerrain.Tests.Support;
using LatentTerrain.Tests.Audio;

namespace LatentTerrain.Tests.Instrument;

/// <summary><c>terrain play</c>'s options, through the command line, against a JACK server of the test's own.</summary>
[Collection(JackServer.Collection)]
public sealed class PlayCommandTests
{
    [Theory]
    [InlineData("--ahead", "0", "--ahead 0: must be 1..8 blocks")]
    [InlineData("--ahead", "9", "--ahead 9: must be 1..8 blocks")]
    [InlineData("--frames", "8", "--frames 8: must be 16..4096")]
    [InlineData("--lead", "200", "--lead 200: must be 0..100 ms")]
    [InlineData("--seconds", "0", "--seconds 0: must be more than 0 and at most 86400")]
    public void An_option_out_of_range_fails_in_one_line_before_any_sound(string option, string value, string message)
    {
        CommandResult.Run("play", option, value, "--midi", "none").AssertFailedWith(message);
    }

    /// <summary>No JACK server and no card: one line saying so and how to choose a device, exit 1, before any rate is guessed.</summary>
    [NoSoundCardFact]
    public void Without_an_output_device_play_says_so_in_one_line()
    {
        using var none = JackServer.SelectNone();
        CommandResult.Run("play", "--midi", "none", "--seconds", "0.5").AssertFailedWith(LatentTerrain.Engine.Audio.AudioDevices.NoOutputMessage);
        CommandResult.Run("play", "--midi", "none", "--seconds", "0.5", "--sample-rate", "48000").AssertFailedWith(LatentTerrain.Engine.Audio.AudioDevices.NoOutputMessage);
    }

    /// <summary>
    /// The JACK server dies while a typed note and an MPE keyboard's note sound, and starts again
    /// under the same name: the instrument lives on and says so, the typed note (its cursor kept)
    /// sounds on the new server, and the keyboard, back on the new server, plays again.
    /// </summary>
    [JackFact]
    public void A_JACK_server_that_dies_and_comes_back_is_played_again_and_the_keyboard_too()
    {
        using var server = JackServer.Start();
        var keyboard = MidiOutput.OpenVirtual("Seaboard", clientName: "roli");
        using var terrain = TestProgram.StartTerrain("play", "--midi", "Seaboard");
        var wait = TimeSpan.FromSeconds(30);
        terrain.WaitFor("MIDI input 'roli:Seaboard' (JACK): mpe-keyboard", wait);
        terrain.Type("0 -8 1 0.9");
        Send(keyboard, "B0 64 06", "B0 65 00", "B0 06 0F", "91 42 64");   // MPE on, then a key on channel 2
        terrain.WaitFor("voices  2", wait);

        server.Kill();
        // The test's own client of the dead server goes before any JACK client opens in this process.
        keyboard.Dispose();
        terrain.WaitFor("terrain: the audio output 'system' (JACK Audio Connection Kit) is gone", wait);
        terrain.WaitFor("terrain: MIDI input 'roli:Seaboard' is gone", wait);
        int lost = terrain.Printed.Length;

        server.Restart();
        terrain.WaitFor("terrain: the audio output 'system' (JACK Audio Connection Kit) is back", wait, lost);
        // The keyboard's touch was released; its note fades out once the sound runs again. The typed one is kept.
        terrain.WaitFor("voices  1", wait, lost);
        string take = Path.Combine(Paths.NewScratch(), "take.wav");
        server.Record(1.0, take);
        double level = Signals.Rms(AudioFile.Read(take).Channel(0)[4800..]);
        Assert.True(level > 0.01, $"the typed note is silent on the new server (RMS {level}); it printed:\n{terrain.Printed}");
        Assert.Contains("terrain:out_0", server.Connections());

        using var back = MidiOutput.OpenVirtual("Seaboard", clientName: "roli");
        terrain.WaitFor("terrain: MIDI input 'roli:Seaboard' is back", wait, lost);
        int returned = terrain.Printed.Length;
        Send(back, "B0 64 06", "B0 65 00", "B0 06 0F", "92 30 7F");
        terrain.WaitFor("voices  2", wait, returned);

        Assert.Equal(0, terrain.Quit(wait));
        Assert.Contains("health: underruns", terrain.Printed);
    }

    private static void Send(MidiOutput output, params string[] messages)
    {
        foreach (string message in messages) output.Send(Convert.FromHexString(message.Replace(" ", "")));
    }

    /// <summary>One block queued instead of two: a period less of latency, by the device's figures too (standard input, empty here, ends the play at once).</summary>
    [JackFact]
    public void One_block_ahead_plays_and_says_a_period_less_latency()
    {
        using var server = JackServer.Start();
        var two = CommandResult.Run("play", "--midi", "none", "--seconds", "0.5");
        var one = CommandResult.Run("play", "--ahead", "1", "--midi", "none", "--seconds", "0.5");

        Assert.True(two.ExitCode == 0 && one.ExitCode == 0, $"{two.Error}{one.Error}");
        Assert.True(one.Output.Contains("stopped after", StringComparison.Ordinal), one.Output);
        double Latency(CommandResult result) => double.Parse(
            System.Text.RegularExpressions.Regex.Match(result.Output, @"latency about ([0-9.]+) ms").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        // Each figure is printed to a tenth of a millisecond, so their difference is a period within two roundings.
        Assert.InRange(Latency(two) - Latency(one), 128.0 / 48000 * 1000 - 0.1, 128.0 / 48000 * 1000 + 0.1);
        Assert.Contains("queue 2 blocks)", two.Output);
        Assert.Contains("queue 1 block)", one.Output);
    }

    /// <summary>
    /// `model NAME` typed while a note sounds: a file that is not there is one line on standard error
    /// and the instrument plays on; the model already playing is said so.
    /// </summary>
    [JackFact]
    public void A_typed_model_that_cannot_be_played_is_one_line_and_the_play_goes_on()
    {
        using var server = JackServer.Start();
        string missing = Path.Combine(Paths.NewScratch(), "missing.ts");
        var (exitCode, output, error) = TestProgram.RunTerrainTyping(TimeSpan.FromSeconds(60),
            $"0 -8 1 0.9\nmodel {missing}\nmodel builtin\n0 -4 1 0.9\n", TimeSpan.FromSeconds(1), "play", "--midi", "none");

        Assert.True(exitCode == 0, $"exit {exitCode}: {error}{output}");
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines is [var line] && line.Contains($"model {missing}: ", StringComparison.Ordinal) && line.Contains("missing.ts", StringComparison.Ordinal), error);
        Assert.Contains("already playing built-in codec", output);
        Assert.Contains("voices  1", output);
    }

    /// <summary>
    /// `model NAME` typed while a note sounds switches to an nn~ model (44.1 kHz, so resampled on this
    /// 48 kHz server) with a crossfade, and back: what is recorded keeps sounding through both.
    /// </summary>
    [JackPeerFact]
    public void A_typed_model_crossfades_in_while_playing()
    {
        using var server = JackServer.Start();
        string take = Path.Combine(Paths.NewScratch(), "take.wav"), model = TestModels.File("streaming_r44100.ts");
        var (exitCode, output, error) = TestProgram.RunTerrainTyping(TimeSpan.FromSeconds(60),
            $"0 -8 1 0.9\nmodel {model}\n", TimeSpan.FromSeconds(3), "play", "--midi", "none", "--record", take);

        Assert.True(exitCode == 0 && error == "", $"exit {exitCode}: {error}{output}");
        Assert.Contains("now playing streaming_r44100", output);
        Assert.Contains("resampled live from 44100 Hz", output);
        var recorded = LatentTerrain.Engine.Audio.AudioFile.Read(take).Channel(0);
        Assert.True(Spectrum.Rms(recorded[^(48000 / 2)..]) > 1e-3, "the new model is silent");
    }
}
