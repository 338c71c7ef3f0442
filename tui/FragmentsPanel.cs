using System.Globalization;
using System.Text;
using LatentTerrain.Engine.Terrain;
using Terminal.Gui.Drawing;
using Attribute = Terminal.Gui.Drawing.Attribute;

namespace LatentTerrain.Tui;

/// <summary>
/// The fragments to teach from, one a row: number, whether its path is drawn (○ none, ◐ too short,
/// ● complete), name, length, frames ("encoding…" until encoded); the selected one highlighted with
/// its warning below it, others with a warning marked '!'. While the input records: "● rec 3.2 s"
/// and a level meter. The caption counts the points.
/// </summary>
/// <remarks>
/// The instrument publishes a new <see cref="TeachingStatus"/> with every level of the input while it
/// records: the panel's text is then made four times a second, like the training's.
/// </remarks>
internal sealed class FragmentsPanel : Panel
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private const float MeterFloorDecibels = -48;
    // Styles (TextBlock palette indices from 1): marks, the selected row, the warning, the recording.
    private const byte Complete = 1, Incomplete = 2, NoPath = 3, Selected = 4, SelectedComplete = 5, SelectedIncomplete = 6, SelectedNoPath = 7,
        Warning = 8, Recording = 9, Green = 10, Amber = 11, Red = 12;
    private static readonly Color Ground = new(0, 0, 0), Highlight = new(30, 50, 90);

    private readonly StringBuilder _text = new();
    private readonly List<byte> _styles = [];
    private TeachingStatus? _shown;
    private int? _selected;
    private int _points = -1, _lines, _first;
    private long _shownAt;

    public FragmentsPanel() : base("fragments",
        new Attribute(new Color(110, 170, 255), Ground), new Attribute(new Color(120, 120, 120), Ground), new Attribute(new Color(80, 80, 80), Ground),
        new Attribute(new Color(240, 240, 240), Highlight), new Attribute(new Color(110, 170, 255), Highlight), new Attribute(new Color(140, 140, 140), Highlight),
        new Attribute(new Color(100, 100, 100), Highlight),
        new Attribute(new Color(150, 120, 60), Ground), new Attribute(new Color(230, 60, 60), Ground),
        new Attribute(new Color(80, 200, 80), Ground), new Attribute(new Color(230, 180, 50), Ground), new Attribute(new Color(230, 60, 60), Ground))
    {
    }

    public void Update(TeachingStatus teaching, TaughtShapes taught, int? selected)
    {
        int lines = Body.Viewport.Height;
        if (taught.Points.Count != _points)
        {
            _points = taught.Points.Count;
            Caption = _points == 0 ? "fragments" : $"fragments · {_points} point{(_points == 1 ? "" : "s")}";
        }
        bool sameRows = _shown is { } before && ReferenceEquals(teaching.Fragments, before.Fragments) && selected == _selected && lines == _lines;
        bool recording = teaching.RecordingSeconds != null;
        if (sameRows && (_shown!.RecordingSeconds != null) == recording
            && (!recording || System.Diagnostics.Stopwatch.GetElapsedTime(_shownAt) < Interval)) return;
        _shownAt = System.Diagnostics.Stopwatch.GetTimestamp();
        (_shown, _selected, _lines) = (teaching, selected, lines);
        Build(teaching, selected, Math.Max(1, Body.Viewport.Width), Math.Max(1, lines));
    }

    private void Build(TeachingStatus teaching, int? selected, int width, int lines)
    {
        _text.Clear();
        _styles.Clear();
        if (teaching.RecordingSeconds is { } seconds)
        {
            string rec = string.Create(CultureInfo.InvariantCulture, $"● rec {seconds:0.0} s ");
            Append(rec, Recording);
            Meter(teaching.InputLevel, Math.Min(20, width - rec.Length));
            NewLine();
            lines--;
        }
        var fragments = teaching.Fragments;
        if (fragments.Count == 0)
        {
            if (teaching.RecordingSeconds == null) Append("none yet: o adds a sound file, r records", 0);
            Finish();
            return;
        }
        int chosen = -1;
        for (int i = 0; i < fragments.Count; i++)
            if (fragments[i].Number == selected) chosen = i;
        // Rows scroll so the selected one (and its warning) stays in sight.
        int room = Math.Max(1, lines - (chosen >= 0 && fragments[chosen].Warning != null ? 1 : 0));
        if (chosen >= 0 && chosen < _first) _first = chosen;
        if (chosen >= _first + room) _first = chosen - room + 1;
        _first = Math.Clamp(_first, 0, Math.Max(0, fragments.Count - room));
        for (int i = _first; i < fragments.Count && lines > 0; i++, lines--)
        {
            Row(fragments[i], i == chosen, width);
            if (i == chosen && fragments[i].Warning is { } warning && lines > 1)
            {
                NewLine();
                Append("   ! ", Warning);
                Append(warning, Warning);
                lines--;
            }
            if (i + 1 < fragments.Count && lines > 1) NewLine();
        }
        Finish();
    }

    /// <summary>"▸ 2 ● kick loop       2.0s  43f": the name is cut to what the row leaves it.</summary>
    private void Row(FragmentRow fragment, bool selected, int width)
    {
        string tail = fragment.Encoding ? "encoding…" : string.Create(CultureInfo.InvariantCulture, $"{fragment.Seconds:0.0}s {fragment.Frames,3}f");
        bool flagged = fragment.Warning != null && !selected;
        string number = string.Create(CultureInfo.InvariantCulture, $"{(selected ? '▸' : ' ')}{fragment.Number,2} ");
        var (mark, markStyle) = fragment.Path switch
        {
            PathState.Complete => ('●', selected ? SelectedComplete : Complete),
            PathState.Incomplete => ('◐', selected ? SelectedIncomplete : Incomplete),
            _ => ('○', selected ? SelectedNoPath : NoPath),
        };
        byte style = selected ? Selected : (byte)0;
        int nameWidth = Math.Max(1, width - number.Length - 2 - 1 - tail.Length - (flagged ? 1 : 0));
        string name = fragment.Name.Length <= nameWidth ? fragment.Name.PadRight(nameWidth) : fragment.Name[..(nameWidth - 1)] + "…";
        Append(number, style);
        Append(mark.ToString(), markStyle);
        Append(" ", style);
        Append(name, style);
        Append(" ", style);
        Append(tail, style);
        if (flagged) Append("!", Warning);
    }

    /// <summary>The input's peak on a decibel scale (-48..0 dB), green, then amber above -6 dB and red above -1 dB.</summary>
    private void Meter(float level, int width)
    {
        if (width <= 0) return;
        float decibels = level > 0 ? 20 * MathF.Log10(level) : MeterFloorDecibels;
        int filled = (int)MathF.Round(Math.Clamp(1 - decibels / MeterFloorDecibels, 0, 1) * width);
        for (int i = 0; i < width; i++)
        {
            float at = MeterFloorDecibels * (1 - (i + 1f) / width);
            Append(i < filled ? "█" : "·", i >= filled ? (byte)0 : at > -1 ? Red : at > -6 ? Amber : Green);
        }
    }

    private void Append(string text, byte style)
    {
        _text.Append(text);
        for (int i = 0; i < text.Length; i++) _styles.Add(style);
    }

    private void NewLine() => Append("\n", 0);

    private void Finish() => Body.Show(_text.ToString(), [.. _styles]);
}
