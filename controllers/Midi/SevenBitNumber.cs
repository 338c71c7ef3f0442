namespace LatentTerrain.Controllers.Midi;

/// <summary>A data byte's value 0..127: a note number, a velocity, a controller value, a pressure, a program.</summary>
public readonly record struct SevenBitNumber
{
    public const byte MaxValue = 127;

    public SevenBitNumber(int value)
    {
        if ((uint)value > MaxValue) throw new ArgumentOutOfRangeException(nameof(value), $"{value} is outside 0..127");
        Value = (byte)value;
    }

    public byte Value { get; }

    /// <summary>0..1, with 127 at exactly 1.</summary>
    public float Normalised => Value / 127f;

    public static implicit operator byte(SevenBitNumber number) => number.Value;

    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
