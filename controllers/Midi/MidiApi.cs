namespace LatentTerrain.Controllers.Midi;

/// <summary>A way of reaching MIDI ports, as RtMidi names them (its <c>RtMidiApi</c> values).</summary>
public enum MidiApi
{
    Unspecified = 0,
    CoreMidi = 1,
    /// <summary>The ALSA sequencer: hardware and software ports on Linux (needs /dev/snd/seq).</summary>
    Alsa = 2,
    /// <summary>JACK's MIDI ports, on the JACK server JACK_DEFAULT_SERVER names (else "default").</summary>
    Jack = 3,
    WindowsMultimedia = 4,
    Dummy = 5,
}

public static class MidiApiNames
{
    /// <summary>How people call it: ALSA, JACK, ...</summary>
    public static string DisplayName(this MidiApi api) => api switch
    {
        MidiApi.Alsa => "ALSA",
        MidiApi.Jack => "JACK",
        MidiApi.CoreMidi => "CoreMIDI",
        MidiApi.WindowsMultimedia => "Windows MM",
        _ => api.ToString(),
    };
}
