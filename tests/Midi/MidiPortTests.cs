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
            // RtMidi's line, read from what it printed (after ALSA's own "open /dev/snd/seq failed",
            // unless PortAudio, once started in this process, silenced ALSA's messages).
            Assert.StartsWith("ALSA MIDI is unavailable: ", alsa.Problem);
            Assert.EndsWith("MidiInAlsa::initialize: error creating ALSA sequencer client object.", alsa.Problem);
        }
        Assert.Contains(list.Inputs, port => port.Name == "sender:keys");
    }

    [JackFact]
    public void A_bad_number_or_name_is_refused_naming_it_and_the_ports_there_are()
    {
        using var server = JackServer.Start();
        using var pads = MidiOutput.OpenVirtual("pads", clientName: "launchpad");
        using var keys = MidiOutput.OpenVirtual("keys", clientName: "seaboard");
        var list = MidiPorts.ListOnce();
        Assert.Equal(["launchpad:pads", "seaboard:keys"], list.Inputs.Where(port => port.Api == MidiApi.Jack).Select(port => port.Name));
        string ports = string.Join(", ", list.Inputs.Select(port => $"{port.Number} '{port.Name}' ({port.Api.DisplayName()})"));
        int beyond = list.Inputs.Count + 5;

        Assert.Equal($"there is no MIDI input port {beyond}: the input ports are {ports}",
            Assert.Throws<MidiException>(() => list.Input($"{beyond}")).Message);
        Assert.Equal($"no MIDI input port is called 'linnstrument': the input ports are {ports}",
            Assert.Throws<MidiException>(() => list.Input("linnstrument")).Message);
        var seaboard = list.Input("seaboard:keys");
        var launchpad = list.Input("launchpad:pads");
        Assert.Equal($"'d:' names several MIDI input ports, {launchpad.Number} 'launchpad:pads' (JACK), {seaboard.Number} 'seaboard:keys' (JACK): give its number or more of its name",
            Assert.Throws<MidiException>(() => list.Input("d:")).Message);
        Assert.Equal(launchpad, list.Input("PADS"));
        Assert.Equal(seaboard, list.Input($"{seaboard.Number}"));
        if (list.Outputs.Count == 0)
        {
            string why = string.Join("; ", list.Apis.Select(api => api.Problem).OfType<string>());
            Assert.Equal($"there is no MIDI output port, so none is called 'pads'{(why == "" ? "" : $" ({why})")}",
                Assert.Throws<MidiException>(() => list.Output("pads")).Message);
        }
    }

    [JackFact]
    public void Without_a_JACK_server_JACK_shows_no_ports_with_the_reason_and_a_virtual_port_is_refused_with_RtMidis()
    {
        using var none = JackServer.SelectNone();

        var list = MidiPorts.ListOnce();

        Assert.DoesNotContain(list.Inputs, port => port.Api == MidiApi.Jack);
        string? problem = Assert.Single(list.Apis, api => api.Api == MidiApi.Jack).Problem;
        Assert.Equal("JACK MIDI shows no ports: JACK server not running", problem);
        var refused = Assert.Throws<MidiException>(() => MidiOutput.OpenVirtual("keys"));
        Assert.StartsWith("opening the virtual MIDI output port 'keys' on JACK: ", refused.Message);
        Assert.Contains("JACK error creating virtual port", refused.Message);
    }

    [Fact]
    public void An_ALSA_port_is_the_same_device_whatever_sequencer_address_it_comes_back_at()
    {
        var before = new MidiPort(MidiApi.Alsa, MidiDirection.Input, 0, "Launchpad X:Launchpad X LPX MIDI 24:1", 3);
        var after = before with { Name = "Launchpad X:Launchpad X LPX MIDI 28:1" };
        Assert.Equal("Launchpad X:Launchpad X LPX MIDI", before.Identity);
        Assert.Equal(before.Identity, after.Identity);
        // JACK names carry no address: the whole name is the identity.
        Assert.Equal("a2j:Launchpad X 24:1", new MidiPort(MidiApi.Jack, MidiDirection.Input, 0, "a2j:Launchpad X 24:1", 0).Identity);
    }
}
