namespace LatentTerrain.Controllers.Midi;

/// <summary>Where a <see cref="MidiParser"/> delivers what it finds, on the thread that feeds it.</summary>
public interface IMidiReceiver
{
    void Receive(in MidiMessage message);

    /// <summary>
    /// A whole system-exclusive message, F0 to F7 included. The span is the parser's buffer:
    /// valid only during the call (copy what must be kept).
    /// </summary>
    void ReceiveSysEx(ReadOnlySpan<byte> message);
}
