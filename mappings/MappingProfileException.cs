namespace LatentTerrain.Mappings;

/// <summary>A mapping profile that cannot be used: one line naming the file and the field. The caller falls back to the kind's default profile.</summary>
public sealed class MappingProfileException(string message, Exception? inner = null) : Exception(message, inner);
