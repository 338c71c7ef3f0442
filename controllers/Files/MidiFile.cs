using System.Buffers.Binary;
using LatentTerrain.Controllers.Midi;

namespace LatentTerrain.Controllers.Files;

/// <summary>
/// A standard MIDI file (SMF type 0 or 1) read into time-stamped events, every track merged in time
/// order (at equal ticks, the lower track first). Running status is written out; SysEx, escapes and
/// meta events are read, Set Tempo builds the tempo map (120 bpm until the first), the other meta
/// events are skipped. SMPTE time division (frames per second x ticks per frame) ignores tempo, as
/// the standard says. Unknown chunks are skipped. Type 2 (independent sequences) is refused.
/// </summary>
public sealed class MidiFile
{
    private MidiFile(int format, int ticksPerQuarter, IReadOnlyList<TimedMidiEvent> events, IReadOnlyList<TempoChange> tempos)
        => (Format, TicksPerQuarter, Events, Tempos) = (format, ticksPerQuarter, events, tempos);

    /// <summary>0 (one track) or 1 (several tracks played together).</summary>
    public int Format { get; }

    /// <summary>Ticks per quarter note, or 0 for SMPTE time division.</summary>
    public int TicksPerQuarter { get; }

    /// <summary>Every MIDI and SysEx event of every track, in time order.</summary>
    public IReadOnlyList<TimedMidiEvent> Events { get; }

    /// <summary>The tempo map: the Set Tempo events in time order (empty when the file sets none, or uses SMPTE time).</summary>
    public IReadOnlyList<TempoChange> Tempos { get; }

    /// <summary>The time of the last event.</summary>
    public double Duration => Events.Count == 0 ? 0 : Events[^1].Seconds;

    public static MidiFile Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new MidiFileException($"{path}: no such file", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MidiFileException($"{path}: cannot be read ({e.Message})", e);
        }
        return Parse(bytes, path);
    }

    /// <summary>Reads a file's bytes; <paramref name="source"/> names it in error messages.</summary>
    public static MidiFile Parse(ReadOnlySpan<byte> bytes, string source)
    {
        if (bytes.Length < 14 || !bytes[..4].SequenceEqual("MThd"u8))
            throw new MidiFileException($"{source}: not a standard MIDI file (it does not start with an MThd header)");
        int headerLength = checked((int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(bytes[4..]), int.MaxValue));
        if (headerLength < 6 || 8L + headerLength > bytes.Length) throw new MidiFileException($"{source}: the MThd header's length {headerLength} does not fit the file");
        int format = BinaryPrimitives.ReadUInt16BigEndian(bytes[8..]);
        int trackCount = BinaryPrimitives.ReadUInt16BigEndian(bytes[10..]);
        int division = BinaryPrimitives.ReadUInt16BigEndian(bytes[12..]);
        if (format > 1) throw new MidiFileException($"{source}: MIDI file type {format} is not supported (only types 0 and 1)");
        if (format == 0 && trackCount != 1) throw new MidiFileException($"{source}: a type 0 file has one track, this one says {trackCount}");
        if (division == 0) throw new MidiFileException($"{source}: the time division is 0 ticks per quarter note");
        double? smpte = null;
        if ((division & 0x8000) != 0)
        {
            int frames = -(sbyte)(division >> 8), ticksPerFrame = division & 0xFF;
            if (frames is not (24 or 25 or 29 or 30) || ticksPerFrame == 0)
                throw new MidiFileException($"{source}: SMPTE time division {frames} frames per second x {ticksPerFrame} ticks per frame is not valid");
            smpte = 1.0 / ((frames == 29 ? 29.97 : frames) * ticksPerFrame);
        }

        var raw = new List<(long Tick, int Track, int Order, byte[] Bytes)>();
        var tempoTicks = new List<(long Tick, int Track, int Order, int Microseconds)>();
        int offset = 8 + headerLength, track = 0;
        while (track < trackCount)
        {
            if (offset + 8 > bytes.Length) throw new MidiFileException($"{source}: the header announces {trackCount} tracks, the file ends after {track}");
            var id = bytes.Slice(offset, 4);
            long length = BinaryPrimitives.ReadUInt32BigEndian(bytes[(offset + 4)..]);
            if (offset + 8 + length > bytes.Length) throw new MidiFileException($"{source}: track {track + 1} at byte {offset} is {length} bytes long, past the end of the file");
            if (id.SequenceEqual("MTrk"u8)) ReadTrack(bytes.Slice(offset + 8, (int)length), offset + 8, track++, source, raw, tempoTicks);
            offset += 8 + (int)length;
        }

        raw.Sort((a, b) => a.Tick != b.Tick ? a.Tick.CompareTo(b.Tick) : a.Track != b.Track ? a.Track.CompareTo(b.Track) : a.Order.CompareTo(b.Order));
        tempoTicks.Sort((a, b) => a.Tick != b.Tick ? a.Tick.CompareTo(b.Tick) : a.Track != b.Track ? a.Track.CompareTo(b.Track) : a.Order.CompareTo(b.Order));
        int ticksPerQuarter = smpte is null ? division : 0;
        var tempos = new List<TempoChange>();
        if (smpte is null)
            foreach (var (tick, _, _, microseconds) in tempoTicks)
                tempos.Add(new TempoChange(tick, Seconds(tick, tempos, ticksPerQuarter), microseconds));
        var events = new List<TimedMidiEvent>(raw.Count);
        foreach (var (tick, trackIndex, _, eventBytes) in raw)
            events.Add(new TimedMidiEvent(tick, smpte is double perTick ? tick * perTick : Seconds(tick, tempos, ticksPerQuarter), trackIndex, eventBytes));
        return new MidiFile(format, ticksPerQuarter, events, tempos);
    }

    /// <summary>The time of a tick through the tempo changes before it (which must be in tick order).</summary>
    private static double Seconds(long tick, List<TempoChange> tempos, int ticksPerQuarter)
    {
        double seconds = 0;
        long from = 0;
        int microseconds = TempoChange.DefaultMicrosecondsPerQuarter;
        foreach (var change in tempos)
        {
            if (change.Tick > tick) break;
            seconds = change.Seconds;
            from = change.Tick;
            microseconds = change.MicrosecondsPerQuarter;
        }
        return seconds + (tick - from) * (microseconds / 1e6) / ticksPerQuarter;
    }

    private static void ReadTrack(ReadOnlySpan<byte> track, int start, int trackIndex, string source,
        List<(long, int, int, byte[])> events, List<(long, int, int, int)> tempos)
    {
        long tick = 0;
        int at = 0, order = 0;
        byte running = 0;
        string Where(int position) => $"{source}: track {trackIndex + 1}, byte {start + position}";

        while (at < track.Length)
        {
            tick += VariableLength(track, ref at, Where);
            if (at >= track.Length) throw new MidiFileException($"{Where(at)}: the track ends after a delta time, with no event");
            int eventStart = at;
            byte status = track[at];
            if (status == 0xFF)
            {
                if (at + 2 > track.Length) throw new MidiFileException($"{Where(eventStart)}: a meta event runs past the end of the track");
                byte type = track[at + 1];
                at += 2;
                int length = (int)VariableLength(track, ref at, Where);
                if (at + length > track.Length) throw new MidiFileException($"{Where(eventStart)}: meta event {type:X2} of {length} bytes runs past the end of the track");
                if (type == 0x51)
                {
                    if (length != 3) throw new MidiFileException($"{Where(eventStart)}: a Set Tempo meta event has 3 bytes, this one {length}");
                    int microseconds = track[at] << 16 | track[at + 1] << 8 | track[at + 2];
                    if (microseconds == 0) throw new MidiFileException($"{Where(eventStart)}: Set Tempo to 0 microseconds per quarter note");
                    tempos.Add((tick, trackIndex, order++, microseconds));
                }
                at += length;
                running = 0; // meta events and SysEx cancel running status
                if (type == 0x2F) return; // End of Track: whatever follows is not part of it
                continue;
            }
            if (status is 0xF0 or 0xF7)
            {
                at++;
                int length = (int)VariableLength(track, ref at, Where);
                if (at + length > track.Length) throw new MidiFileException($"{Where(eventStart)}: a SysEx of {length} bytes runs past the end of the track");
                byte[] sysEx = status == 0xF0 ? [0xF0, .. track.Slice(at, length)] : track.Slice(at, length).ToArray();
                events.Add((tick, trackIndex, order++, sysEx));
                at += length;
                running = 0;
                continue;
            }
            if (status >= 0x80)
            {
                if (status >= 0xF0) throw new MidiFileException($"{Where(eventStart)}: status byte {status:X2} does not belong in a MIDI file");
                running = status;
                at++;
            }
            else if (running == 0) throw new MidiFileException($"{Where(eventStart)}: data byte {status:X2} with no running status to continue");
            int dataLength = MidiMessage.DataLength(running);
            if (at + dataLength > track.Length) throw new MidiFileException($"{Where(eventStart)}: a {(MidiMessageKind)(running & 0xF0)} message runs past the end of the track");
            var message = new byte[1 + dataLength];
            message[0] = running;
            for (int i = 0; i < dataLength; i++)
            {
                if (track[at + i] >= 0x80) throw new MidiFileException($"{Where(at + i)}: expected a data byte (below 80) in a {(MidiMessageKind)(running & 0xF0)} message, found {track[at + i]:X2}");
                message[1 + i] = track[at + i];
            }
            at += dataLength;
            events.Add((tick, trackIndex, order++, message));
        }
    }

    private static long VariableLength(ReadOnlySpan<byte> track, ref int at, Func<int, string> where)
    {
        long value = 0;
        for (int i = 0; i < 4; i++)
        {
            if (at >= track.Length) throw new MidiFileException($"{where(at)}: a variable-length number runs past the end of the track");
            byte b = track[at++];
            value = value << 7 | (uint)(b & 0x7F);
            if (b < 0x80) return value;
        }
        throw new MidiFileException($"{where(at - 4)}: a variable-length number longer than 4 bytes");
    }
}
