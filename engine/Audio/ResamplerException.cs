namespace LatentTerrain.Engine.Audio;

/// <summary>libsoxr refused to resample; the message names the operation and carries soxr's own words.</summary>
public sealed class ResamplerException : Exception
{
    public ResamplerException(string operation, string nativeMessage)
        : base($"{operation}: {nativeMessage}")
    {
    }
}
