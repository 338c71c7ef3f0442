namespace LatentTerrain.Controllers.Midi;

/// <summary>A MIDI port could not be found, opened or used; the message names the port and says why.</summary>
public sealed class MidiException(string message) : Exception(message);
