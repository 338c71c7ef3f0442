namespace LatentTerrain.Engine.Maps;

/// <summary>
/// Which latent values map to black and to full intensity: a fixed range (values outside are
/// clamped), or the channel's own minimum and maximum over the rendered grid.
/// </summary>
public sealed record ChannelRange
{
    private ChannelRange(bool isAutomatic, float min, float max) => (IsAutomatic, Min, Max) = (isAutomatic, min, max);

    /// <summary>Each channel stretched over its own range on the grid; a flat channel draws at half intensity.</summary>
    public static ChannelRange Automatic { get; } = new(true, float.NaN, float.NaN);

    /// <summary>The reference's clamp, [−1, 4]: it fits the typical spread of RAVE latents.</summary>
    public static ChannelRange Reference { get; } = Fixed(-1f, 4f);

    public static ChannelRange Fixed(float min, float max) =>
        float.IsFinite(min) && float.IsFinite(max) && min < max ? new(false, min, max)
            : throw new ArgumentException($"a fixed range needs finite bounds, the first smaller, not [{min}, {max}]");

    public bool IsAutomatic { get; }
    /// <summary>The value drawn black; NaN when automatic.</summary>
    public float Min { get; }
    /// <summary>The value drawn at full intensity; NaN when automatic.</summary>
    public float Max { get; }
}
