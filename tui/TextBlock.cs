using Terminal.Gui.Drawing;
using Terminal.Gui.ViewBase;
using Attribute = Terminal.Gui.Drawing.Attribute;

namespace LatentTerrain.Tui;

/// <summary>
/// Lines of text drawn straight into the driver's buffer, cut to the view's width. Setting a
/// Terminal.Gui view's Text lays the whole screen out again (every view's text measured anew,
/// docs/interface.md), and every collection pauses the synth thread too.
/// Characters are turned into the buffer's strings once, so a redraw allocates nothing. A line may
/// colour characters of its own (<see cref="Show"/>), and the block draws nothing a dialog covers.
/// </summary>
internal sealed class TextBlock : View
{
    private static readonly string[] Ascii = [.. Enumerable.Range(0, 128).Select(c => ((char)c).ToString())];
    private readonly Dictionary<char, string> _others = [];
    private string _lines = "";
    private byte[] _styles = [];

    public TextBlock(Attribute colour, params Attribute[] palette)
    {
        Colour = colour;
        Palette = palette;
        CanFocus = false;
    }

    public Attribute Colour { get; }

    /// <summary>The colours <see cref="Show"/>'s styles pick, from 1 (0 is <see cref="Colour"/>).</summary>
    public Attribute[] Palette { get; }

    /// <summary>The text, lines separated by '\n'; drawn again only when it changed.</summary>
    public string Lines
    {
        get => _lines;
        set
        {
            if (value == _lines && _styles.Length == 0) return;
            (_lines, _styles) = (value, []);
            SetNeedsDraw();
        }
    }

    /// <summary>
    /// The text with a style for each of its characters: 0 draws in <see cref="Colour"/>, n in
    /// <see cref="Palette"/>[n - 1]; drawn again only when either changed.
    /// </summary>
    public void Show(string lines, byte[] styles)
    {
        if (lines == _lines && styles.AsSpan().SequenceEqual(_styles)) return;
        (_lines, _styles) = (lines, styles);
        SetNeedsDraw();
    }

    protected override bool OnClearingViewport() => true;

    protected override bool OnDrawingContent(DrawContext? context)
    {
        if (App?.Driver?.GetOutputBuffer() is not { } buffer || buffer.Contents is not { } contents) return true;
        var origin = ViewportToScreen(System.Drawing.Point.Empty);
        var clip = App.Driver.Clip;
        int width = Viewport.Width, height = Viewport.Height, at = 0;
        for (int row = 0; row < height; row++)
        {
            int end = at < _lines.Length ? _lines.IndexOf('\n', at) : -1;
            if (end < 0) end = _lines.Length;
            int y = origin.Y + row;
            if (y < 0 || y >= contents.GetLength(0)) break;
            for (int column = 0; column < width; column++)
            {
                int x = origin.X + column;
                if (x < 0 || x >= contents.GetLength(1)) break;
                if (clip != null && !clip.Contains(x, y)) continue;
                int index = at + column;
                string text = index < end ? Glyph(_lines[index]) : " ";
                var colour = index < end && index < _styles.Length && _styles[index] > 0 ? Palette[_styles[index] - 1] : Colour;
                ref var cell = ref contents[y, x];
                if (cell.Grapheme == text && cell.Attribute == colour) continue;
                cell = new Cell(colour, true, text);
                buffer.DirtyLines[y] = true;
            }
            at = Math.Min(end + 1, _lines.Length + 1);
        }
        return true;
    }

    private string Glyph(char c)
    {
        if (c < 128) return Ascii[c];
        if (!_others.TryGetValue(c, out var text)) _others[c] = text = c.ToString();
        return text;
    }
}
