using LatentTerrain.Controllers.Midi;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Midi;

/// <summary>Listing and choosing MIDI ports through RtMidi, against JACK servers of the tests' own with real RtMidi virtual ports.</summary>
[Collection(JackServer.Collection)]
public sealed class MidiPortTests
{
    [JackFact]
    public void Listing_shows_the_virtual_ports_of_other_clients_on_JACK()
    {
        using var server = JackServer.Start();
        using var keys = MidiOutput.OpenVirtual("keys", clientName: "sender");
        using var lights = MidiInput.OpenVirtual("lights", new MessageLog(), clientName: "receiver");

        var list = MidiPorts.ListOnce();

        var input = Assert.Single(list.Inputs, port => port.Name == "sender:keys");
        Assert.Equal((MidiApi.Jack, MidiDirection.Input), (input.Api, input.Direction));
        var output = Assert.Single(list.Outputs, port => port.Name == "receiver:lights");
        Assert.Equal((MidiApi.Jack, MidiDirection.Output), (output.Api, output.Direction));
        Assert.Equal(Enumerable.Range(0, list.Inputs.Count), list.Inputs.Select(port => port.Number));
        Assert.Null(Assert.Single(list.Apis, api => api.Api == MidiApi.Jack).Problem);
        // jack_lsp, another program, sees the same ports.
        Assert.Contains("sender:keys", server.Ports());
        Assert.Contains("receiver:lights", server.Ports());
    }

    [JackFact]
    public void ALSA_without_its_sequencer_is_left_out_with_its_reason_and_JACK_still_lists()
    {
        using var server = JackServer.Start();
        using var keys = MidiOutput.OpenVirtual("keys", clientName: "sender");

        var list = MidiPorts.ListOnce();

        var alsa = Assert.Single(list.Apis, api => api.Api == MidiApi.Alsa);
        if (File.Exists("/dev/snd/seq")) Assert.Null(alsa.Problem);
        else
        {
            // ALSA's own line and RtMidi's, both read from what they printed.
            Assert.StartsWith("ALSA MIDI is unavailable: ", alsa.Problem);
            Assert.Contains("open /dev/snd/seq failed: No such file or directory", alsa.Problem);
            Assert.EndsWith("MidiInAlsa::initialize: error creating ALSA sequencer client object.", alsa.Problem);
        }
        Assert.Contains(list.Inputs, port => port.Name == "sender:keys");
    }
}
