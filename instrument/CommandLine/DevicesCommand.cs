using System.CommandLine;
using LatentTerrain.Engine.Audio;
using Spectre.Console;

namespace LatentTerrain.Instrument.CommandLine;

/// <summary><c>terrain devices</c>: the audio outputs PortAudio sees, the defaults marked.</summary>
internal static class DevicesCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var command = new Command("devices", "List the audio output devices (and their host APIs), marking the default.");
        command.SetAction(_ =>
        {
            var devices = AudioDevices.List().OutputDevices;
            if (devices.Count == 0)
            {
                console.WriteLine("no audio output devices: start a JACK server or connect a sound card");
                return 0;
            }
            var table = new Table().AddColumns("", "#", "device", "host API", "channels", "rate", "latency");
            foreach (var d in devices)
                table.AddRow(d.IsDefault ? "*" : "", d.Index.ToString(), Markup.Escape(d.Name), Markup.Escape(d.HostApi), d.MaxOutputChannels.ToString(),
                    $"{d.DefaultSampleRate:F0} Hz", $"{d.DefaultLowOutputLatency * 1000:F1} ms");
            console.Write(table);
            console.WriteLine("* the default output; choose another with `terrain play --device NAME-OR-INDEX`");
            return 0;
        });
        return command;
    }
}
