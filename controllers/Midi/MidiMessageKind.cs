namespace LatentTerrain.Controllers.Midi;

/// <summary>What a <see cref="MidiMessage"/> is. Channel messages carry their status's high nibble as value.</summary>
public enum MidiMessageKind : byte
{
    NoteOff = 0x80,
    NoteOn = 0x90,
    PolyAftertouch = 0xA0,
    ControlChange = 0xB0,
    ProgramChange = 0xC0,
    ChannelPressure = 0xD0,
    PitchBend = 0xE0,
    // System common.
    TimeCodeQuarterFrame = 0xF1,
    SongPosition = 0xF2,
    SongSelect = 0xF3,
    TuneRequest = 0xF6,
    // System real-time: single bytes, allowed anywhere in the stream.
    TimingClock = 0xF8,
    Start = 0xFA,
    Continue = 0xFB,
    Stop = 0xFC,
    ActiveSensing = 0xFE,
    Reset = 0xFF,
}
