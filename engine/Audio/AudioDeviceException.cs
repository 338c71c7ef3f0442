namespace LatentTerrain.Engine.Audio;

/// <summary>
/// Audio output cannot be listed, opened or played. The message is one line fit to show a
/// performer as it is: what was being done, then what is wrong, in PortAudio's own words where
/// it had any ("opening 'system' (JACK Audio Connection Kit) at 44100 Hz: Invalid sample rate
/// (the device runs at 48000 Hz)"), or what to do when there is nothing to play on.
/// </summary>
public sealed class AudioDeviceException : Exception
{
    public AudioDeviceException(string message, int? portAudioError = null)
        : base(message)
    {
        PortAudioError = portAudioError;
    }

    /// <summary>PortAudio's error code (a negative PaError such as -9997, invalid sample rate) when PortAudio refused.</summary>
    public int? PortAudioError { get; }
}
