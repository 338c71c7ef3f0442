namespace LatentTerrain.Controllers.Midi;

/// <summary>
/// Turns a MIDI 1.0 byte stream into messages, in whatever pieces the bytes arrive (one call per
/// packet from a port, or byte by byte). One parser per stream, used by one thread.
/// </summary>
/// <remarks>
/// Follows the MIDI 1.0 specification's receiver rules:
/// <list type="bullet">
/// <item>Running status: data bytes after a complete channel message repeat its status. System
/// common messages and SysEx cancel it; real-time bytes do not.</item>
/// <item>Real-time bytes (F8..FF) are delivered at once wherever they appear, also between a
/// status byte and its data or inside a SysEx, and change nothing else. F9 and FD are undefined
/// and ignored.</item>
/// <item>SysEx may be split over any number of <see cref="Feed"/> calls. It ends at F7; any other
/// status byte ends it too, and then it is incomplete and dropped (<see cref="DroppedSysEx"/>),
/// and the status byte starts its own message.</item>
/// <item>A SysEx longer than <see cref="MaxSysExLength"/> (F0 and F7 included) is dropped whole
/// rather than delivered truncated: a cut message could be read as a different, valid one. Its
/// remaining bytes are skipped up to its end.</item>
/// <item>Data bytes with no status to belong to (at the start, after system common or SysEx) are
/// ignored (<see cref="StrayDataBytes"/>); the parser is in step again at the next status byte.
/// F7 outside SysEx and the undefined F4, F5 are ignored and cancel running status.</item>
/// </list>
/// Nothing is allocated in steady state: messages are values, and the SysEx buffer grows by
/// doubling up to <see cref="MaxSysExLength"/>, then is reused.
/// </remarks>
public sealed class MidiParser
{
    public const int DefaultMaxSysExLength = 64 * 1024;
    private const int InitialSysExCapacity = 256;

    private byte[] _sysEx = new byte[InitialSysExCapacity];
    private int _sysExLength;
    private bool _inSysEx, _sysExTooLong;

    /// <summary>The status of the message being assembled (0 when none), and whether it may run on.</summary>
    private byte _status;
    private bool _statusRuns;
    private int _expected, _received;
    private byte _data1;

    public MidiParser(int maxSysExLength = DefaultMaxSysExLength)
    {
        if (maxSysExLength < 2) throw new ArgumentOutOfRangeException(nameof(maxSysExLength), $"a SysEx needs at least 2 bytes (F0 F7), not {maxSysExLength}");
        MaxSysExLength = maxSysExLength;
    }

    /// <summary>The longest SysEx delivered, F0 and F7 included.</summary>
    public int MaxSysExLength { get; }

    /// <summary>Data bytes that belonged to no message and were skipped.</summary>
    public long StrayDataBytes { get; private set; }

    /// <summary>SysEx messages dropped: longer than <see cref="MaxSysExLength"/>, or cut short by another status byte.</summary>
    public long DroppedSysEx { get; private set; }

    /// <summary>Whether the parser is inside a SysEx that has not ended yet.</summary>
    public bool InSysEx => _inSysEx;

    /// <summary>Parses <paramref name="bytes"/>, delivering each message to <paramref name="receiver"/> as soon as it is complete.</summary>
    public void Feed(ReadOnlySpan<byte> bytes, IMidiReceiver receiver)
    {
        foreach (byte b in bytes)
        {
            if (b >= 0xF8)
            {
                if (b is not (0xF9 or 0xFD)) receiver.Receive(new MidiMessage(b));
            }
            else if (_inSysEx)
            {
                if (b < 0x80) AppendSysEx(b);
                else
                {
                    EndSysEx(b == 0xF7, receiver);
                    if (b != 0xF7) StartStatus(b, receiver);
                }
            }
            else if (b >= 0x80) StartStatus(b, receiver);
            else if (_status == 0) StrayDataBytes++;
            else Data(b, receiver);
        }
    }

    /// <summary>Forgets any half-received message or SysEx and the running status (for example after a device reconnects).</summary>
    public void Reset()
    {
        _inSysEx = _sysExTooLong = false;
        _sysExLength = 0;
        _status = 0;
        _statusRuns = false;
        _received = 0;
    }

    private void StartStatus(byte status, IMidiReceiver receiver)
    {
        _received = 0;
        if (status == 0xF0)
        {
            _status = 0;
            _inSysEx = true;
            _sysExTooLong = false;
            _sysExLength = 0;
            AppendSysEx(status);
            return;
        }
        int length = MidiMessage.DataLength(status);
        if (length < 0)
        {
            _status = 0; // F4, F5 and a lone F7: nothing to assemble, and running status is cancelled.
            return;
        }
        _statusRuns = status < 0xF0;
        if (length == 0)
        {
            _status = 0;
            receiver.Receive(new MidiMessage(status));
            return;
        }
        _status = status;
        _expected = length;
    }

    private void Data(byte b, IMidiReceiver receiver)
    {
        if (_received == 0)
        {
            _data1 = b;
            _received = 1;
            if (_expected == 1) Complete(new MidiMessage(_status, b), receiver);
            return;
        }
        Complete(new MidiMessage(_status, _data1, b), receiver);
    }

    private void Complete(in MidiMessage message, IMidiReceiver receiver)
    {
        _received = 0;
        if (!_statusRuns) _status = 0;
        receiver.Receive(message);
    }

    private void AppendSysEx(byte b)
    {
        if (_sysExTooLong) return;
        if (_sysExLength == MaxSysExLength)
        {
            _sysExTooLong = true;
            return;
        }
        if (_sysExLength == _sysEx.Length) Array.Resize(ref _sysEx, Math.Min(MaxSysExLength, _sysEx.Length * 2));
        _sysEx[_sysExLength++] = b;
    }

    private void EndSysEx(bool complete, IMidiReceiver receiver)
    {
        _inSysEx = false;
        if (complete) AppendSysEx(0xF7);
        if (!complete || _sysExTooLong) DroppedSysEx++;
        else receiver.ReceiveSysEx(_sysEx.AsSpan(0, _sysExLength));
        _sysExLength = 0;
        _sysExTooLong = false;
    }
}
