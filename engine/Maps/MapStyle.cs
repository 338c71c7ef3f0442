namespace LatentTerrain.Engine.Maps;

/// <summary>
/// What a terrain map shows. Greyscale: latent channel <see cref="Channel"/> as grey. Colour:
/// channel c as brightness and channels c+1, c+2, c+3 as red, green and blue, each scaled by the
/// brightness (as the reference's multi-channel view does).
/// </summary>
public sealed record MapStyle
{
    /// <summary>The first latent channel drawn (0-based).</summary>
    public int Channel { get; init; }
    public PixelFormat Format { get; init; } = PixelFormat.Grey8;
    /// <summary>Applies to every drawn channel on its own: automatic ranges are per channel.</summary>
    public ChannelRange Range { get; init; } = ChannelRange.Reference;

    /// <summary>How many consecutive latent channels, from <see cref="Channel"/>, the style reads.</summary>
    public int ChannelCount => Format == PixelFormat.Rgb8 ? 4 : 1;
}
