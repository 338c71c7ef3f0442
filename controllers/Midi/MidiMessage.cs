namespace LatentTerrain.Controllers.Midi;

/// <summary>
/// One MIDI 1.0 message other than system exclusive: a status byte and up to two data bytes, passed
/// by value so that parsing allocates nothing. The typed properties read the data bytes as the
/// message's kind defines them; reading one that the kind lacks gives a meaningless value.
/// </summary>
public readonly record struct MidiMessage(byte Status, byte Data1 = 0, byte Data2 = 0)
{
    public MidiMessageKind Kind => Status < 0xF0 ? (MidiMessageKind)(Status & 0xF0) : (MidiMessageKind)Status;

    public bool IsChannelMessage => Status is >= 0x80 and < 0xF0;
    public MidiChannel Channel => MidiChannel.OfStatus(Status);

    public SevenBitNumber Note => new(Data1);
    public SevenBitNumber Velocity => new(Data2);
    public SevenBitNumber Controller => new(Data1);
    public SevenBitNumber ControlValue => new(Data2);
    public SevenBitNumber Program => new(Data1);
    /// <summary>Channel pressure's value (one data byte) or poly aftertouch's (the second).</summary>
    public SevenBitNumber Pressure => Kind == MidiMessageKind.ChannelPressure ? new(Data1) : new(Data2);
    public PitchBend PitchBend => PitchBend.FromBytes(Data1, Data2);

    /// <summary>A Note Off, or a Note On with velocity 0, which means the same (release velocity 64).</summary>
    public bool IsNoteRelease => Kind == MidiMessageKind.NoteOff || (Kind == MidiMessageKind.NoteOn && Data2 == 0);

    /// <summary>The number of data bytes that follow a status byte, or -1 for a status byte that starts no message here (SysEx, undefined ones).</summary>
    public static int DataLength(byte status) => status switch
    {
        < 0x80 => -1,
        < 0xC0 => 2,
        < 0xE0 => 1,
        < 0xF0 => 2,
        0xF1 or 0xF3 => 1,
        0xF2 => 2,
        0xF6 or 0xF8 or 0xFA or 0xFB or 0xFC or 0xFE or 0xFF => 0,
        _ => -1,
    };

    /// <summary>The message's length on the wire (without running status).</summary>
    public int Length => 1 + Math.Max(0, DataLength(Status));

    /// <summary>Writes the message's bytes (status first) and returns how many.</summary>
    public int CopyTo(Span<byte> destination)
    {
        int length = Length;
        destination[0] = Status;
        if (length > 1) destination[1] = Data1;
        if (length > 2) destination[2] = Data2;
        return length;
    }

    public static MidiMessage NoteOn(MidiChannel channel, SevenBitNumber note, SevenBitNumber velocity) => new((byte)(0x90 | channel.Index), note, velocity);
    public static MidiMessage NoteOff(MidiChannel channel, SevenBitNumber note, SevenBitNumber velocity) => new((byte)(0x80 | channel.Index), note, velocity);
    public static MidiMessage ControlChange(MidiChannel channel, SevenBitNumber controller, SevenBitNumber value) => new((byte)(0xB0 | channel.Index), controller, value);
    public static MidiMessage ChannelPressure(MidiChannel channel, SevenBitNumber pressure) => new((byte)(0xD0 | channel.Index), pressure);
    public static MidiMessage PolyAftertouch(MidiChannel channel, SevenBitNumber note, SevenBitNumber pressure) => new((byte)(0xA0 | channel.Index), note, pressure);
    public static MidiMessage ProgramChange(MidiChannel channel, SevenBitNumber program) => new((byte)(0xC0 | channel.Index), program);
    public static MidiMessage Bend(MidiChannel channel, PitchBend bend) => new((byte)(0xE0 | channel.Index), (byte)(bend.Value & 0x7F), (byte)(bend.Value >> 7));

    public override string ToString() => Length switch
    {
        1 => $"{Kind}",
        2 => $"{Kind} {Status:X2} {Data1:X2}",
        _ => $"{Kind} {Status:X2} {Data1:X2} {Data2:X2}",
    };
}
