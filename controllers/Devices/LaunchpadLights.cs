namespace LatentTerrain.Controllers.Devices;

/// <summary>
/// What a Launchpad's 8x8 pads show: a greyscale picture (the terrain's map) with the pads under
/// active cursors lit in a colour, sent as one RGB SysEx frame,
/// <c>header 03 (03 index r g b) x 64 F7</c>, 7 + 64 x 5 + 1 = 328 bytes, levels 0..127. A frame is
/// built only when something changed and at most once per <see cref="MinimumInterval"/>, so a
/// moving finger cannot flood the device's USB link; allocation-free after construction. The
/// right-hand side buttons have a frame of their own (<see cref="TryTakeSideFrame"/>, 48 bytes),
/// sent only when which of them are lit changes.
/// </summary>
public sealed class LaunchpadLights
{
    public const int Size = 8;
    public const int FrameLength = 7 + Size * Size * 5 + 1;
    public const int SideFrameLength = 7 + Launchpad.SideButtons * 5 + 1;

    /// <summary>The colour of a lit side button (<see cref="SetLitSideButtons"/>): green, apart from the cursors' amber.</summary>
    public static readonly (byte R, byte G, byte B) SideColour = (0, 127, 24);

    private readonly byte[] _frame = new byte[FrameLength];
    private readonly byte[] _levels = new byte[Size * Size];
    private ulong _lit;
    private readonly (byte R, byte G, byte B) _litColour;
    private double _lastSent = double.NegativeInfinity;
    private bool _changed = true;
    private readonly byte[] _sideFrame = new byte[SideFrameLength];
    /// <summary>The side buttons to light and those the device was last sent; -1 before the first of each.</summary>
    private int _sideLit = -1, _sideShown = -1;

    /// <param name="minimumInterval">Seconds between frames (default 1/30 s).</param>
    /// <param name="litColour">Colour of the pads under cursors, 0..127 each (default amber).</param>
    public LaunchpadLights(LaunchpadModel model, double minimumInterval = 1.0 / 30, (byte R, byte G, byte B)? litColour = null)
    {
        if (!(minimumInterval >= 0)) throw new ArgumentOutOfRangeException(nameof(minimumInterval), $"the interval between frames must be 0 s or more, not {minimumInterval}");
        _litColour = litColour ?? (127, 48, 0);
        if (_litColour.R > 127 || _litColour.G > 127 || _litColour.B > 127) throw new ArgumentOutOfRangeException(nameof(litColour), $"Launchpad colour levels are 0..127, not {_litColour}");
        MinimumInterval = minimumInterval;
        LaunchpadProtocol.Header(model).CopyTo(_frame, 0);
        _frame[6] = 0x03;
        _frame[^1] = 0xF7;
        _frame.AsSpan(0, 7).CopyTo(_sideFrame);
        _sideFrame[^1] = 0xF7;
    }

    public double MinimumInterval { get; }

    /// <summary>
    /// The picture: 64 grey levels 0..255, row by row from the top (as <c>TerrainMap</c> draws an 8x8
    /// grey map); pads show them at half scale, 0..127.
    /// </summary>
    public void SetPicture(ReadOnlySpan<byte> grey)
    {
        if (grey.Length != Size * Size) throw new ArgumentException($"a Launchpad picture has {Size * Size} grey levels, not {grey.Length}");
        for (int imageRow = 0; imageRow < Size; imageRow++)
            for (int column = 0; column < Size; column++)
            {
                int pad = (Size - 1 - imageRow) * Size + column;
                byte level = (byte)(grey[imageRow * Size + column] >> 1);
                if (_levels[pad] == level) continue;
                _levels[pad] = level;
                _changed = true;
            }
    }

    /// <summary>The bit of pad (<paramref name="column"/>, <paramref name="row"/>), 0..7 from the bottom-left, in a mask for <see cref="SetLitPads"/>.</summary>
    public static ulong PadBit(int column, int row)
    {
        if ((uint)column >= Size || (uint)row >= Size) throw new ArgumentOutOfRangeException(nameof(column), $"pad ({column}, {row}) is outside the 8 x 8 grid");
        return 1UL << (row * Size + column);
    }

    /// <summary>Which pads are lit (one bit per pad, <see cref="PadBit"/>); the others show the picture.</summary>
    public void SetLitPads(ulong pads)
    {
        if (pads == _lit) return;
        _lit = pads;
        _changed = true;
    }

    /// <summary>
    /// The frame to send now, if something changed since the last one and <see cref="MinimumInterval"/>
    /// has passed since it (<paramref name="now"/> in seconds); a change held back is sent by a later
    /// call. The span is this object's buffer, valid until the next call.
    /// </summary>
    public bool TryTakeFrame(double now, out ReadOnlySpan<byte> frame)
    {
        frame = default;
        if (!_changed || now - _lastSent < MinimumInterval) return false;
        for (int pad = 0; pad < Size * Size; pad++)
        {
            int at = 7 + pad * 5;
            _frame[at] = 0x03;
            _frame[at + 1] = (byte)(10 * (pad / Size + 1) + pad % Size + 1);
            (byte r, byte g, byte b) = (_lit >> pad & 1) != 0 ? _litColour : (_levels[pad], _levels[pad], _levels[pad]);
            (_frame[at + 2], _frame[at + 3], _frame[at + 4]) = (r, g, b);
        }
        _lastSent = now;
        _changed = false;
        frame = _frame;
        return true;
    }

    /// <summary>Which side buttons are lit: bit b for button b + 1 (<see cref="Launchpad.IsSideButton"/>, 1 at the top); until the first call they are left as they are.</summary>
    public void SetLitSideButtons(byte buttons) => _sideLit = buttons;

    /// <summary>
    /// The side buttons' frame, <c>header 03 (03 cc r g b) x 8 F7</c>, when which are lit changed
    /// since the last one (the first is always sent, so a light a previous program left is put out).
    /// The span is this object's buffer, valid until the next call.
    /// </summary>
    public bool TryTakeSideFrame(out ReadOnlySpan<byte> frame)
    {
        frame = default;
        if (_sideLit == _sideShown) return false;
        for (int button = 1; button <= Launchpad.SideButtons; button++)
        {
            int at = 7 + (button - 1) * 5;
            _sideFrame[at] = 0x03;
            _sideFrame[at + 1] = (byte)Launchpad.SideButtonController(button);
            (byte r, byte g, byte b) = (_sideLit >> (button - 1) & 1) != 0 ? SideColour : ((byte)0, (byte)0, (byte)0);
            (_sideFrame[at + 2], _sideFrame[at + 3], _sideFrame[at + 4]) = (r, g, b);
        }
        _sideShown = _sideLit;
        frame = _sideFrame;
        return true;
    }
}
