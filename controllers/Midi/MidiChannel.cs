namespace LatentTerrain.Controllers.Midi;

/// <summary>A MIDI channel: <see cref="Index"/> 0..15 on the wire, <see cref="Number"/> 1..16 as people count.</summary>
public readonly record struct MidiChannel
{
    public MidiChannel(int index)
    {
        if ((uint)index > 15) throw new ArgumentOutOfRangeException(nameof(index), $"MIDI channel index {index} is outside 0..15");
        Index = (byte)index;
    }

    public byte Index { get; }

    /// <summary>The channel as printed on devices and in DAWs, 1..16.</summary>
    public int Number => Index + 1;

    /// <summary>The channel of a status byte 0x80..0xEF (its low four bits).</summary>
    public static MidiChannel OfStatus(byte status) => new(status & 0x0F);

    /// <summary>By number 1..16, as people say it (the MPE lower zone's manager is channel 1, the upper's 16).</summary>
    public static MidiChannel FromNumber(int number) => new(number - 1);

    public override string ToString() => $"channel {Number}";
}
