namespace LatentTerrain.Controllers.Midi;

/// <summary>A 14-bit pitch-bend value, 0..16383 with no bend at <see cref="Centre"/> 8192.</summary>
public readonly record struct PitchBend
{
    public const int Centre = 8192;
    public const int MaxValue = 16383;

    public PitchBend(int value)
    {
        if ((uint)value > MaxValue) throw new ArgumentOutOfRangeException(nameof(value), $"pitch bend {value} is outside 0..16383");
        Value = (ushort)value;
    }

    public ushort Value { get; }

    /// <summary>From the two data bytes as they travel: least significant seven bits first.</summary>
    public static PitchBend FromBytes(byte lsb, byte msb) => new((msb & 0x7F) << 7 | (lsb & 0x7F));

    /// <summary>-1..1: -1 at 0, 0 at the centre, 1 at 16383 (the MPE specification scales both halves to the full range).</summary>
    public float Normalised => Value >= Centre ? (Value - Centre) / 8191f : (Value - Centre) / 8192f;

    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
