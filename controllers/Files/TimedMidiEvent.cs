namespace LatentTerrain.Controllers.Files;

/// <summary>
/// One event of a MIDI file as it would arrive on a port: a whole channel message (running status
/// written out), a SysEx (F0 ..., F7 when the file had it in one piece) or the raw bytes of an F7
/// escape; at <see cref="Seconds"/> through the file's tempo map.
/// </summary>
public sealed record TimedMidiEvent(long Tick, double Seconds, int Track, byte[] Bytes);
