namespace LatentTerrain.Controllers.Files;

/// <summary>A standard MIDI file that cannot be read; the message names the file and where (track, byte offset) it went wrong.</summary>
public sealed class MidiFileException(string message, Exception? inner = null) : Exception(message, inner);
