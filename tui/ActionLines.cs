using System.Globalization;
using System.Text;

namespace LatentTerrain.Tui;

/// <summary>
/// The action lines the interface's teaching sends (docs/actions.md), formatted as standard input
/// takes them: a dot for decimals whatever the culture, coordinates to four decimals (a ten-thousandth
/// of a plane unit is far below a cell).
/// </summary>
internal static class ActionLines
{
    private static string Number(float value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    /// <summary><c>path N X,Y X,Y ...</c></summary>
    public static string Path(int fragment, IReadOnlyList<(float X, float Y)> anchors)
    {
        var line = new StringBuilder("path ").Append(fragment.ToString(CultureInfo.InvariantCulture));
        foreach (var (x, y) in anchors) line.Append(' ').Append(Number(x)).Append(',').Append(Number(y));
        return line.ToString();
    }

    /// <summary><c>point X Y SOURCE</c>, the source as <see cref="PointSource.Words"/> says it.</summary>
    public static string Point(float x, float y, string source) => $"point {Number(x)} {Number(y)} {source}";

    public static string MovePoint(int point, float x, float y) => $"move point {point} {Number(x)} {Number(y)}";

    public static string Store(int position, float x, float y) => $"store {position} {Number(x)} {Number(y)}";

    /// <summary>Seconds into a fragment, to a tenth (the step of <c>,</c> and <c>.</c>).</summary>
    public static string Seconds(double seconds) => seconds.ToString("0.0", CultureInfo.InvariantCulture);
}
