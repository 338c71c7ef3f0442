using LatentTerrain.Controllers.Midi;
using LatentTerrain.Controllers.Touches;

namespace LatentTerrain.Controllers.Devices;

/// <summary>
/// A controller on a MIDI input: bytes in (as they arrive from a port or a file), touches out. Each
/// has its own stream parser; one thread feeds it.
/// </summary>
public abstract class MidiController(ITouchSink touches) : IMidiReceiver
{
    protected ITouchSink Touches { get; } = touches;

    /// <summary>The time given with the bytes being parsed, stamped on the touches they cause.</summary>
    protected double Now { get; private set; }

    /// <summary>The stream parser (its counters tell of stray bytes and dropped SysEx).</summary>
    public MidiParser Parser { get; } = new();

    /// <summary>Parses bytes that arrived at <paramref name="time"/> seconds; touches go to the sink before this returns.</summary>
    public void Feed(ReadOnlySpan<byte> bytes, double time)
    {
        Now = time;
        Parser.Feed(bytes, this);
    }

    public abstract void Receive(in MidiMessage message);

    public virtual void ReceiveSysEx(ReadOnlySpan<byte> message) { }

    /// <summary>Ends every touch (the device went away, or playing stops) and forgets half-parsed input.</summary>
    public void ReleaseAll(double time)
    {
        Now = time;
        Parser.Reset();
        EndAllTouches();
    }

    protected abstract void EndAllTouches();
}
