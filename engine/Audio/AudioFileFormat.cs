namespace LatentTerrain.Engine.Audio;

/// <summary>The kinds of sound file the instrument writes. It reads whatever libsndfile reads.</summary>
public enum AudioFileFormat
{
    /// <summary>WAV, 32-bit float: lossless for our float audio, and the default for renders.</summary>
    WavFloat32,
    WavPcm16,
    WavPcm24,
    Flac16,
    Flac24,
    Aiff16,
    Aiff24,
    /// <summary>Ogg Vorbis: lossy, small. Not reproducible byte for byte (each file gets a random stream serial number).</summary>
    OggVorbis,
}

public static class AudioFileFormats
{
    /// <summary>The format a file name asks for: .wav (32-bit float), .flac (24-bit), .aiff or .aif (24-bit), .ogg (Vorbis).</summary>
    /// <exception cref="AudioFileException">The extension is none of these.</exception>
    public static AudioFileFormat FromPath(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".wav" => AudioFileFormat.WavFloat32,
        ".flac" => AudioFileFormat.Flac24,
        ".aiff" or ".aif" => AudioFileFormat.Aiff24,
        ".ogg" => AudioFileFormat.OggVorbis,
        var other => throw new AudioFileException(path,
            (other.Length == 0 ? "no file extension" : $"unknown sound file extension '{other}'")
            + " to choose a format from (use .wav, .flac, .aiff, .aif or .ogg)"),
    };

    /// <summary>A name for messages: "FLAC 24-bit".</summary>
    public static string Name(this AudioFileFormat format) => format switch
    {
        AudioFileFormat.WavFloat32 => "WAV 32-bit float",
        AudioFileFormat.WavPcm16 => "WAV 16-bit",
        AudioFileFormat.WavPcm24 => "WAV 24-bit",
        AudioFileFormat.Flac16 => "FLAC 16-bit",
        AudioFileFormat.Flac24 => "FLAC 24-bit",
        AudioFileFormat.Aiff16 => "AIFF 16-bit",
        AudioFileFormat.Aiff24 => "AIFF 24-bit",
        AudioFileFormat.OggVorbis => "Ogg Vorbis",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };
}
