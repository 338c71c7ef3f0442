namespace LatentTerrain.Mappings;

/// <summary>From <see cref="Start"/> to <see cref="End"/>; End may be below Start, which turns a mapping around.</summary>
public readonly record struct ValueRange(float Start, float End)
{
    public static ValueRange Unit => new(0f, 1f);

    /// <summary>Where <paramref name="value"/> lies from Start (0) to End (1), clamped to 0..1.</summary>
    public float Position(float value) => Start == End ? 0f : Math.Clamp((value - Start) / (End - Start), 0f, 1f);

    /// <summary>The point at <paramref name="position"/> 0..1 from Start to End.</summary>
    public float At(float position) => Start + (End - Start) * position;
}
