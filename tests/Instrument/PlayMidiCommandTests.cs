using LatentTerrain.Controllers.Midi;
using LatentTerrain.Engine.Audio;
using LatentTerrain.Tests.Midi;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Instrument;

/// <summary><c>terrain play --midi</c> and <c>--mapping</c> through the command line, against a JACK server of the test's own.</summary>
[Collection(JackServer.Collection)]
public sealed class PlayMidiCommandTests
{
    [JackFact]
    public void Play_with_midi_prints_the_opened_controller_and_plays_for_the_seconds_asked()
    {
        using var server = JackServer.Start();
        using var seaboard = MidiOutput.OpenVirtual("Seaboard", clientName: "roli");

        var result = CommandResult.Run("play", "--midi", "Seaboard", "--seconds", "1");

        Assert.True(result.ExitCode == 0, $"exit code {result.ExitCode}: {result.Error}");
        Assert.Contains("MIDI input 'roli:Seaboard' (JACK): mpe-keyboard, profile built-in mpe-keyboard\n", result.Output);
        Assert.Contains("stopped after 1.", result.Output);
        Assert.Equal("", result.Error);
    }

    /// <summary>
    /// Ctrl-C in the terminal ends `terrain play` as its end of time does: the recording is written,
    /// the Launchpad it put in programmer mode gets its live mode back (its own setup menu is locked
    /// otherwise), and the closing lines are printed.
    /// </summary>
    [JackFact]
    public void Ctrl_C_writes_the_recording_and_gives_a_Launchpad_its_live_mode_back()
    {
        string recording = Path.Combine(Paths.NewScratch(), "take.wav");
        using var server = JackServer.Start();
        using var pads = MidiOutput.OpenVirtual("Launchpad X LPX MIDI", clientName: "lpx");
        var leds = new MessageLog();
        using var device = MidiInput.OpenVirtual("Launchpad X LPX MIDI", leds, clientName: "lpx-leds");
        byte[] programmer = [0xF0, 0x00, 0x20, 0x29, 0x02, 0x0C, 0x0E, 0x01, 0xF7], live = [.. programmer[..7], 0x00, 0xF7];

        // Interrupted once the status has come twice: by then the Launchpad has its picture.
        int statuses = 0;
        var (exitCode, output, error) = TestProgram.RunTerrainAndInterrupt(TimeSpan.FromSeconds(60),
            line => line.Contains(" | voices ", StringComparison.Ordinal) && ++statuses == 2, "play", "--midi", "lpx", "--seconds", "30", "--record", recording);

        Assert.True(exitCode == 0 && output.Contains("stopped after", StringComparison.Ordinal) && output.Contains($"recorded -> {recording}", StringComparison.Ordinal),
            $"exit {exitCode}: {output}{error}");
        Assert.True(AudioFile.Read(recording).Frames > 48000, "the recording holds the seconds played");
        Assert.Equal(programmer, leds.WaitFor(1)[0]);
        SpinWait.SpinUntil(() => leds.Messages[^1].SequenceEqual(live), TimeSpan.FromSeconds(5));
        Assert.Equal(live, leds.Messages[^1]);
    }

    [JackFact]
    public void Play_with_a_malformed_mapping_says_so_in_one_line_and_still_plays()
    {
        using var server = JackServer.Start();
        using var seaboard = MidiOutput.OpenVirtual("Seaboard", clientName: "roli");
        string path = Path.Combine(Paths.NewScratch(), "broken.json");
        File.WriteAllText(path, """{ "kind": "mpe-keyboard", "x": { "dimension": "sideways" }, "y": { "dimension": "y" }, "gain": { "source": "pressure" } }""");

        var result = CommandResult.Run("play", "--midi", "Seaboard", "--mapping", path, "--seconds", "1");

        Assert.True(result.ExitCode == 0, $"exit code {result.ExitCode}: {result.Error}");
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"terrain: {path}: field 'x.dimension'", line);
        Assert.EndsWith("; every device plays its default profile", line);
        Assert.Contains("MIDI input 'roli:Seaboard' (JACK): mpe-keyboard, profile built-in mpe-keyboard\n", result.Output);
        Assert.Contains("stopped after 1.", result.Output);
    }

    [JackFact]
    public void Play_with_midi_none_opens_no_input_and_an_unknown_port_fails_in_one_line()
    {
        using var server = JackServer.Start();
        using var seaboard = MidiOutput.OpenVirtual("Seaboard", clientName: "roli");

        var none = CommandResult.Run("play", "--midi", "none", "--seconds", "0.5");
        Assert.True(none.ExitCode == 0, $"exit code {none.ExitCode}: {none.Error}");
        Assert.DoesNotContain("MIDI input", none.Output);

        CommandResult.Run("play", "--midi", "Osmose", "--seconds", "0.5")
            .AssertFailedWith("--midi Osmose: no MIDI input port is called that; the input ports are 0 'roli:Seaboard' (JACK)");
    }
}
