using LatentTerrain.Engine.Maps;

namespace LatentTerrain.Tui;

/// <summary>Keeps a map style within the channels a terrain has, and names it for the map's title.</summary>
internal static class MapStyles
{
    /// <summary>The style with its channel moved into range; colour falls back to grey on a terrain of fewer than four channels.</summary>
    public static MapStyle Fit(MapStyle style, int latentSize)
    {
        var format = style.Format == PixelFormat.Rgb8 && latentSize < 4 ? PixelFormat.Grey8 : style.Format;
        int count = format == PixelFormat.Rgb8 ? 4 : 1;
        int channel = Math.Clamp(style.Channel, 0, latentSize - count);
        return channel == style.Channel && format == style.Format ? style : style with { Channel = channel, Format = format };
    }

    public static string Describe(MapStyle style)
    {
        string range = style.Range.IsAutomatic ? "auto" : $"[{style.Range.Min:0.##}, {style.Range.Max:0.##}]";
        return style.Format == PixelFormat.Rgb8
            ? $"channels {style.Channel}..{style.Channel + 3} colour {range}"
            : $"channel {style.Channel} grey {range}";
    }
}
