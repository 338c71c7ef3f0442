using System.CommandLine;
using LatentTerrain.Controllers.Midi;
using LatentTerrain.Engine.Audio;
using Spectre.Console;

namespace LatentTerrain.Instrument.CommandLine;

/// <summary><c>terrain devices</c>: the audio outputs PortAudio sees, the defaults marked, then the MIDI ports RtMidi sees.</summary>
internal static class DevicesCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var command = new Command("devices",
            "List the audio output devices (and their host APIs), marking the default, then the MIDI input and output ports (and their APIs).");
        command.SetAction(_ =>
        {
            ListAudio(console);
            ListMidi(console);
            return 0;
        });
        return command;
    }

    private static void ListAudio(IAnsiConsole console)
    {
        var devices = AudioDevices.List().OutputDevices;
        if (devices.Count == 0)
        {
            console.WriteLine("no audio output devices: start a JACK server or connect a sound card");
            return;
        }
        var table = new Table().AddColumns("", "#", "device", "host API", "channels", "rate", "latency");
        foreach (var d in devices)
            table.AddRow(d.IsDefault ? "*" : "", d.Index.ToString(), Markup.Escape(d.Name), Markup.Escape(d.HostApi), d.MaxOutputChannels.ToString(),
                $"{d.DefaultSampleRate:F0} Hz", $"{d.DefaultLowOutputLatency * 1000:F1} ms");
        console.Write(table);
        console.WriteLine("* the default output; choose another with `terrain play --device NAME-OR-INDEX`");
    }

    private static void ListMidi(IAnsiConsole console)
    {
        var ports = MidiPorts.ListOnce();
        console.WriteLine();
        if (ports.Inputs.Count + ports.Outputs.Count == 0)
        {
            console.WriteLine("no MIDI ports: connect a MIDI device, or start a JACK server (JACK's MIDI ports are listed)");
        }
        else
        {
            var table = new Table().AddColumns("direction", "#", "MIDI port", "API");
            foreach (var port in ports.Inputs.Concat(ports.Outputs))
                table.AddRow(port.Direction == MidiDirection.Input ? "input" : "output", port.Number.ToString(), Markup.Escape(port.Name), port.Api.DisplayName());
            console.Write(table);
        }
        foreach (var api in ports.Apis.Where(api => api.Problem != null)) console.WriteLine(api.Problem!);
    }
}
