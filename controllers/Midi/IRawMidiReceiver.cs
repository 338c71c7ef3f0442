namespace LatentTerrain.Controllers.Midi;

/// <summary>
/// Where an open <see cref="MidiInput"/> delivers what arrives: one whole MIDI message per call
/// (a SysEx message whole, however many packets it came in), on the MIDI API's own thread
/// (JACK's real-time process thread). Must not block or allocate; the span is valid only
/// during the call.
/// </summary>
public interface IRawMidiReceiver
{
    /// <param name="message">The message's bytes, status byte first.</param>
    /// <param name="deltaSeconds">Seconds since the previous message on this input (0 for the first); JACK quantises it to its process cycles.</param>
    void Receive(ReadOnlySpan<byte> message, double deltaSeconds);
}
