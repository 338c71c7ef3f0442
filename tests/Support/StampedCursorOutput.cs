using LatentTerrain.Engine.Synthesis;
using LatentTerrain.Instrument.Live;
using LatentTerrain.Mappings;

namespace LatentTerrain.Tests.Support;

/// <summary>
/// Writes the cursor board as the live instrument does, then notes, on the writing (MIDI) thread,
/// how long after the message's arrival the write was done (a touch carries the arrival time
/// RtMidi's C callback took on JACK's thread, <see cref="Controllers.Midi.MidiInput.ArrivalTimestamp"/>) and how
/// many bytes that thread has allocated so far. Preallocated, so noting allocates nothing.
/// </summary>
public sealed class StampedCursorOutput(CursorBoard board, int capacity) : ICursorOutput
{
    private readonly CursorBoardOutput _board = new(board);
    private readonly double[] _latencies = new double[capacity];
    private readonly long[] _allocated = new long[capacity];
    private int _count;

    /// <summary>Board writes so far.</summary>
    public int Count => Volatile.Read(ref _count);

    public void Move(int cursor, float x, float y, float gain, double time)
    {
        _board.Move(cursor, x, y, gain, time);
        Stamp(time);
    }

    public void Release(int cursor, double time)
    {
        _board.Release(cursor, time);
        Stamp(time);
    }

    /// <summary>Seconds from arrival to board write, of writes <paramref name="from"/> to the latest.</summary>
    public double[] Latencies(int from) => _latencies[from..Count];

    /// <summary>Bytes the writing thread allocated between write <paramref name="from"/> and the latest.</summary>
    public long AllocatedSince(int from) => _allocated[Count - 1] - _allocated[from];

    /// <summary>Waits until <paramref name="writes"/> writes were done, or none came for half a second; returns how many were.</summary>
    public int WaitFor(int writes)
    {
        var quiet = System.Diagnostics.Stopwatch.StartNew();
        int seen = Count;
        while (seen < writes && quiet.Elapsed < TimeSpan.FromSeconds(0.5))
        {
            Thread.Sleep(1);
            if (Count == seen) continue;
            seen = Count;
            quiet.Restart();
        }
        return seen;
    }

    private void Stamp(double arrival)
    {
        double latency = LiveControllers.Now - arrival;
        int at = _count;
        if (at >= _latencies.Length) return;
        _latencies[at] = latency;
        _allocated[at] = GC.GetAllocatedBytesForCurrentThread();
        Volatile.Write(ref _count, at + 1);
    }
}
