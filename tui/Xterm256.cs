using LatentTerrain.Engine.Maps;

namespace LatentTerrain.Tui;

/// <summary>
/// Terminal.Gui 2.5 writes every colour as 24-bit, even where the terminal announces only 256
/// colours (TERM=tmux-256color without COLORTERM=truecolor): the terminal or tmux then picks a
/// palette entry itself, and greys fall onto the coarse colour cube. Snapping each pixel to the
/// nearest of the xterm palette's 24-step grey ramp and 6x6x6 cube first keeps the map's shading.
/// </summary>
internal static class Xterm256
{
    private static readonly byte[] CubeLevels = [0, 95, 135, 175, 215, 255];
    private static readonly byte[] NearestCube = Table(CubeLevels);
    /// <summary>The grey ramp (8, 18, ..., 238) with the cube's greys (0, 95, ..., 255).</summary>
    private static readonly byte[] NearestGrey = Table([.. Enumerable.Range(0, 24).Select(i => (byte)(8 + 10 * i)), .. CubeLevels]);

    /// <summary>True when the environment promises 256 colours but not 24-bit ones.</summary>
    public static bool TerminalIsLimited()
    {
        string colourTerm = Environment.GetEnvironmentVariable("COLORTERM") ?? "";
        string term = Environment.GetEnvironmentVariable("TERM") ?? "";
        return !(colourTerm.Contains("truecolor", StringComparison.OrdinalIgnoreCase) || colourTerm.Contains("24bit", StringComparison.OrdinalIgnoreCase))
            && term.Contains("256", StringComparison.Ordinal);
    }

    public static void SnapInPlace(MapImage image)
    {
        var pixels = image.Pixels;
        if (image.Format == PixelFormat.Grey8)
        {
            for (int i = 0; i < pixels.Length; i++) pixels[i] = NearestGrey[pixels[i]];
            return;
        }
        for (int i = 0; i < pixels.Length; i += 3)
        {
            byte r = pixels[i], g = pixels[i + 1], b = pixels[i + 2];
            byte cr = NearestCube[r], cg = NearestCube[g], cb = NearestCube[b];
            byte grey = NearestGrey[(r + g + b) / 3];
            if (Distance(r, g, b, grey, grey, grey) < Distance(r, g, b, cr, cg, cb)) (cr, cg, cb) = (grey, grey, grey);
            (pixels[i], pixels[i + 1], pixels[i + 2]) = (cr, cg, cb);
        }
    }

    private static int Distance(int r, int g, int b, int r2, int g2, int b2) => (r - r2) * (r - r2) + (g - g2) * (g - g2) + (b - b2) * (b - b2);

    private static byte[] Table(byte[] levels)
    {
        var table = new byte[256];
        for (int v = 0; v < 256; v++) table[v] = levels.MinBy(level => Math.Abs(level - v));
        return table;
    }
}
