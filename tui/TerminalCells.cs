using System.Text;
using Microsoft.Win32.SafeHandles;
using Attribute = Terminal.Gui.Drawing.Attribute;

namespace LatentTerrain.Tui;

/// <summary>
/// Writes map cells to the terminal itself, as ANSI sequences in one reused buffer, allocating
/// nothing. Terminal.Gui's own output rebuilds the text of every row that holds a changed cell,
/// which with many cursors moving allocated enough for a collection every few hundred
/// milliseconds (docs/interface.md), each pausing the synth thread too. The map's cells still go
/// into Terminal.Gui's buffer (clean, so it never writes them itself) to keep its picture of the
/// screen true.
/// </summary>
/// <remarks>
/// UI thread only, between Terminal.Gui's frames (its output is flushed by then). A batch saves and
/// restores the cursor (DECSC, DECRC), so a text field's cursor stays where Terminal.Gui put it.
/// </remarks>
internal sealed class TerminalCells : IDisposable
{
    private readonly FileStream _terminal = new(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);
    private readonly byte[] _bytes = new byte[1 << 20];
    private int _length;
    private int _row = -1, _column = -1;
    private Attribute? _attribute;

    /// <summary>Queues one cell at a screen position (0-based); sequences that follow on the same row need no cursor move.</summary>
    public void Cell(int row, int column, Attribute attribute, string grapheme)
    {
        // Room for the longest cell: a move, both colours and a grapheme of a few bytes.
        if (_length > _bytes.Length - 96) Flush();
        if (_length == 0) Append("\u001b7"u8);
        if (row != _row || column != _column)
        {
            Append("\u001b["u8);
            Number(row + 1);
            Append(";"u8);
            Number(column + 1);
            Append("H"u8);
        }
        if (_attribute != attribute)
        {
            var (fg, bg) = (attribute.Foreground, attribute.Background);
            Append("\u001b[0;38;2;"u8);
            Number(fg.R);
            Append(";"u8);
            Number(fg.G);
            Append(";"u8);
            Number(fg.B);
            Append(";48;2;"u8);
            Number(bg.R);
            Append(";"u8);
            Number(bg.G);
            Append(";"u8);
            Number(bg.B);
            Append("m"u8);
            _attribute = attribute;
        }
        _length += Encoding.UTF8.GetBytes(grapheme, _bytes.AsSpan(_length));
        (_row, _column) = (row, column + 1);
    }

    /// <summary>Writes what is queued, ending with the cursor and attributes as they were.</summary>
    public void Flush()
    {
        if (_length == 0) return;
        Append("\u001b[0m\u001b8"u8);
        _terminal.Write(_bytes, 0, _length);
        _length = 0;
        (_row, _column, _attribute) = (-1, -1, null);
    }

    public void Dispose() => _terminal.Dispose();

    private void Append(ReadOnlySpan<byte> text)
    {
        text.CopyTo(_bytes.AsSpan(_length));
        _length += text.Length;
    }

    private void Number(int value)
    {
        value.TryFormat(_bytes.AsSpan(_length), out int written, provider: System.Globalization.CultureInfo.InvariantCulture);
        _length += written;
    }
}
