namespace LatentTerrain.Engine.Synthesis;

/// <summary>
/// What went wrong in the voices' decoders while playing: a model that threw, or returned NaN or
/// infinite samples, for a frame. The voice plays that frame as silence, resets its decoder and,
/// after <see cref="Voice.MutedAfterFailures"/> such frames in a row, stays silent until its next
/// note; the synth plays on and the status line tells the performer. Written by the synth thread
/// only, read by anyone.
/// </summary>
public sealed class DecoderFaults
{
    private long _count;
    private volatile string? _last;

    /// <summary>Frames played as silence because their decoding failed.</summary>
    public long Count => Volatile.Read(ref _count);

    /// <summary>What the newest failure said, or null when there was none.</summary>
    public string? Last => _last;

    /// <summary>On the synth thread: allocates nothing (the message is the exception's own, or a constant).</summary>
    internal void Report(string message)
    {
        _last = message;
        Volatile.Write(ref _count, _count + 1);
    }
}
