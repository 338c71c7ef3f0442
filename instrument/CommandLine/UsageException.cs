namespace LatentTerrain.Instrument.CommandLine;

/// <summary>Bad input from the person at the terminal: its message is the one line they see.</summary>
public sealed class UsageException(string message) : Exception(message);
