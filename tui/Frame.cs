using Terminal.Gui.Drawing;
using Terminal.Gui.ViewBase;
using Attribute = Terminal.Gui.Drawing.Attribute;

namespace LatentTerrain.Tui;

/// <summary>
/// A rounded border with a caption around one view (the map, a panel's text), drawn straight into
/// the driver's buffer. A Terminal.Gui border is redrawn whenever anything inside it is, and
/// allocates heavily each time (docs/interface.md); every collection pauses the synth thread too.
/// Terminal.Gui draws a view's own content only when the view itself needs it, not when only what
/// is inside does, so this is drawn when laid out, uncovered or re-captioned; never over a dialog.
/// </summary>
internal class Frame : View
{
    private static readonly Attribute LineColour = new(new Color(110, 110, 110), new Color(0, 0, 0));
    private static readonly Attribute CaptionColour = new(new Color(170, 170, 170), new Color(0, 0, 0));
    private string _caption;

    public Frame(View inside, string caption = "")
    {
        CanFocus = false;
        _caption = caption;
        inside.X = 1;
        inside.Y = 1;
        inside.Width = Dim.Fill(1);
        inside.Height = Dim.Fill(1);
        Add(inside);
        // Moved or resized (also the first layout): drawn afresh.
        FrameChanged += (_, _) => Redraw();
    }

    public string Caption
    {
        get => _caption;
        set
        {
            if (value == _caption) return;
            _caption = value;
            Redraw();
        }
    }

    /// <summary>Draws the frame again at the next draw (it was hidden, or covered).</summary>
    public void Redraw() => SetNeedsDraw();

    protected override bool OnClearingViewport() => true;

    protected override bool OnDrawingContent(DrawContext? context)
    {
        int width = Viewport.Width, height = Viewport.Height;
        if (App?.Driver?.GetOutputBuffer() is not { } buffer || width < 2 || height < 2) return true;
        var origin = ViewportToScreen(System.Drawing.Point.Empty);
        var clip = App.Driver.Clip;
        void Put(int x, int y, string text, Attribute attribute)
        {
            int column = origin.X + x, row = origin.Y + y;
            var contents = buffer.Contents;
            if (contents == null || row < 0 || column < 0 || row >= contents.GetLength(0) || column >= contents.GetLength(1)) return;
            if (clip != null && !clip.Contains(column, row)) return;
            contents[row, column] = new Cell(attribute, true, text);
            buffer.DirtyLines[row] = true;
        }
        for (int x = 1; x < width - 1; x++)
        {
            Put(x, 0, "─", LineColour);
            Put(x, height - 1, "─", LineColour);
        }
        for (int y = 1; y < height - 1; y++)
        {
            Put(0, y, "│", LineColour);
            Put(width - 1, y, "│", LineColour);
        }
        Put(0, 0, "╭", LineColour);
        Put(width - 1, 0, "╮", LineColour);
        Put(0, height - 1, "╰", LineColour);
        Put(width - 1, height - 1, "╯", LineColour);
        // "┤caption├" from the second column, cut to the width.
        int room = width - 4;
        if (room > 0 && _caption.Length > 0)
        {
            Put(1, 0, "┤", LineColour);
            string caption = _caption.Length > room ? _caption[..room] : _caption;
            for (int i = 0; i < caption.Length; i++) Put(2 + i, 0, caption[i].ToString(), CaptionColour);
            Put(2 + caption.Length, 0, "├", LineColour);
        }
        return true;
    }
}
