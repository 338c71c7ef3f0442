namespace LatentTerrain.Controllers.Midi;

/// <summary>
/// Where an open <see cref="MidiInput"/> delivers what arrives: one whole MIDI message per call
/// (a SysEx message whole, however many packets it came in), on the input's own thread
/// (<see cref="MidiInput"/>: "midi &lt;port&gt;"), in arrival order. Should not block or allocate: the
/// input's later messages wait meanwhile. The span is valid only during the call; when the message
/// arrived is <see cref="MidiInput.ArrivalTimestamp"/>.
/// </summary>
public interface IRawMidiReceiver
{
    /// <param name="message">The message's bytes, status byte first.</param>
    /// <param name="deltaSeconds">Seconds since the previous message on this input (0 for the first); JACK quantises it to its process cycles.</param>
    void Receive(ReadOnlySpan<byte> message, double deltaSeconds);
}
