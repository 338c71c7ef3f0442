using System.Globalization;
using System.Text;
using LatentTerrain.Engine.Files;

namespace LatentTerrain.Engine.Rendering;

/// <summary>
/// Gesture files: CSV with the header <c>time_s,cursor,x,y,pressure</c>, one event per line, times
/// in seconds from the start, pressure 0 ending a touch. Blank lines and lines starting with # are
/// skipped. Errors are <see cref="FormatException"/>s naming the file and the line.
/// </summary>
public static class GestureFile
{
    public const string Header = "time_s,cursor,x,y,pressure";

    public static Gesture Load(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new FormatException($"{path}: no such file", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FormatException($"{path}: cannot be read ({e.Message})", e);
        }
        return Parse(lines, path);
    }

    public static Gesture Parse(IReadOnlyList<string> lines, string source)
    {
        int first = 0;
        while (first < lines.Count && IsSkipped(lines[first])) first++;
        if (first == lines.Count) throw new FormatException($"{source}: the file is empty (expected the header {Header})");
        if (lines[first].Trim().Replace(" ", "") != Header)
            throw new FormatException($"{source}: line {first + 1}: expected the header {Header}, found '{lines[first].Trim()}'");

        var events = new List<GestureEvent>();
        for (int n = first + 1; n < lines.Count; n++)
        {
            if (IsSkipped(lines[n])) continue;
            var fields = lines[n].Split(',');
            if (fields.Length != 5) throw new FormatException($"{source}: line {n + 1}: expected 5 fields ({Header}), found {fields.Length}");
            double time = Number(fields[0], "time_s");
            if (!int.TryParse(fields[1].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int cursor))
                throw new FormatException($"{source}: line {n + 1}: cursor '{fields[1].Trim()}' is not a whole number");
            events.Add(new GestureEvent(time, cursor, (float)Number(fields[2], "x"), (float)Number(fields[3], "y"), (float)Number(fields[4], "pressure")));

            double Number(string field, string name)
            {
                if (double.TryParse(field.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value)) return value;
                throw new FormatException($"{source}: line {n + 1}: {name} '{field.Trim()}' is not a finite number");
            }
        }
        try
        {
            return new Gesture(events);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"{source}: {e.Message}", e);
        }
    }

    /// <summary>Writes a gesture atomically in the same format (the instrument records performances with it).</summary>
    public static void Save(Gesture gesture, string path)
    {
        var text = new StringBuilder(Header).Append('\n');
        foreach (var e in gesture.Events)
            text.Append(CultureInfo.InvariantCulture, $"{e.Time:R},{e.Cursor},{e.X:R},{e.Y:R},{e.Pressure:R}\n");
        AtomicFile.Write(path, stream => stream.Write(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static bool IsSkipped(string line) => line.Trim() is "" || line.TrimStart().StartsWith('#');
}
