using LatentTerrain.Controllers.Midi;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Instrument;

/// <summary><c>terrain devices</c> against a JACK server of the test's own.</summary>
[Collection(JackServer.Collection)]
public sealed class DevicesCommandTests
{
    [JackFact]
    public void Devices_lists_the_audio_outputs_then_the_MIDI_ports_with_their_API()
    {
        using var server = JackServer.Start();
        using var keys = MidiOutput.OpenVirtual("keys", clientName: "seaboard");
        using var lights = MidiInput.OpenVirtual("lights", new Midi.MessageLog(), clientName: "launchpad");

        var result = CommandResult.Run("devices");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Error);
        var lines = result.Output.Split('\n');
        int audio = Array.FindIndex(lines, line => line.Contains("system") && line.Contains("JACK Audio Connection Kit"));
        int input = Array.FindIndex(lines, line => line.Contains("input") && line.Contains("seaboard:keys") && line.Contains("JACK"));
        int output = Array.FindIndex(lines, line => line.Contains("output") && line.Contains("launchpad:lights") && line.Contains("JACK"));
        Assert.True(audio >= 0 && input > audio && output > input, result.Output);
        Assert.Contains("* the default output", result.Output);
        if (!File.Exists("/dev/snd/seq")) Assert.Contains("ALSA MIDI is unavailable: ", result.Output);
    }
}
