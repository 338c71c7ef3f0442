using System.Text.RegularExpressions;

namespace LatentTerrain.Controllers.Midi;

/// <summary>Whether a port sends MIDI to us (an input: a keyboard, a pad) or takes MIDI from us (an output: pad lights, a synth).</summary>
public enum MidiDirection
{
    Input,
    Output,
}

/// <summary>A MIDI port of the system, as a listing found it.</summary>
/// <param name="Number">Its place among the ports of its direction, all APIs together, in that listing: what a person types to choose it.</param>
/// <param name="Name">RtMidi's name for it: on JACK the port's full name ("client:port").</param>
/// <param name="PortIndex">RtMidi's port number within its API at listing time.</param>
public sealed partial record MidiPort(MidiApi Api, MidiDirection Direction, int Number, string Name, int PortIndex)
{
    /// <summary>
    /// The name without what changes when the device comes back: the ALSA sequencer's
    /// "client:port" numbers at the end of RtMidi's ALSA names ("Launchpad X:Launchpad X LPX MIDI 24:1").
    /// Two ports with the same identity on the same API are the same device.
    /// </summary>
    public string Identity => Identify(Api, Name);

    /// <summary>How messages name it: 'client:port' (JACK).</summary>
    public override string ToString() => $"'{Name}' ({Api.DisplayName()})";

    internal static string Identify(MidiApi api, string name) => api == MidiApi.Alsa ? AlsaAddress().Replace(name, "") : name;

    [GeneratedRegex(@" \d+:\d+$")]
    private static partial Regex AlsaAddress();
}
