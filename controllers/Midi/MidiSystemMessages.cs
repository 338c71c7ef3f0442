namespace LatentTerrain.Controllers.Midi;

/// <summary>The system messages a <see cref="MidiInput"/> passes on; the others are dropped before they reach the receiver.</summary>
[Flags]
public enum MidiSystemMessages
{
    None = 0,
    /// <summary>System exclusive (F0 ... F7): device inquiry replies, Launchpad and Sensel messages.</summary>
    SysEx = 1,
    /// <summary>MIDI time code (F1) and timing clock (F8), up to 96 a second per port.</summary>
    Timing = 2,
    /// <summary>Active sensing (FE), about three a second from some keyboards.</summary>
    ActiveSensing = 4,
}
