using System.Numerics;

namespace LatentTerrain.Engine.Audio;

/// <summary>
/// A lock-free ring of interleaved float frames between exactly one writer (the synth thread)
/// and exactly one reader (the audio callback). Neither side ever waits for the other, and
/// nothing is allocated after construction, so both may run on a real-time thread.
/// </summary>
/// <remarks>
/// Every count is in frames (one sample per channel); spans hold whole interleaved frames.
/// Each side owns one position and only reads the other's: the writer publishes frames with a
/// release write of its position after copying them, and the reader sees them whole through an
/// acquire read, and the same holds the other way for freed space. Positions are 64-bit
/// counters that never wrap in practice (at 192 kHz they would take three million years), so
/// full and empty need no spare slot.
/// </remarks>
public sealed class AudioRing
{
    private readonly float[] samples;
    private readonly int mask;
    private long written;
    private long read;

    /// <param name="capacity">Frames the ring holds at least; rounded up to a power of two.</param>
    /// <param name="channels">Samples per frame.</param>
    public AudioRing(int capacity, int channels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, 1 << 24);
        Capacity = (int)BitOperations.RoundUpToPowerOf2((uint)capacity);
        Channels = channels;
        mask = Capacity - 1;
        samples = new float[checked(Capacity * channels)];
    }

    /// <summary>Frames the ring holds when full: a power of two.</summary>
    public int Capacity { get; }

    public int Channels { get; }

    /// <summary>Frames waiting to be read. Exact for the reader; for anyone else a snapshot.</summary>
    public int Count => (int)(Volatile.Read(ref written) - Volatile.Read(ref read));

    /// <summary>Frames that can be written now. Exact for the writer; for anyone else a snapshot.</summary>
    public int Free => Capacity - Count;

    /// <summary>
    /// Writer only: copies as many whole frames of <paramref name="interleaved"/> as fit and
    /// returns how many frames that was (0 when the ring is full).
    /// </summary>
    public int Write(ReadOnlySpan<float> interleaved)
    {
        int frames = WholeFrames(interleaved.Length, nameof(interleaved));
        long start = written;
        int count = Math.Min(frames, Capacity - (int)(start - Volatile.Read(ref read)));
        int offset = (int)(start & mask);
        int first = Math.Min(count, Capacity - offset);
        interleaved[..(first * Channels)].CopyTo(samples.AsSpan(offset * Channels));
        interleaved.Slice(first * Channels, (count - first) * Channels).CopyTo(samples);
        Volatile.Write(ref written, start + count);
        return count;
    }

    /// <summary>
    /// Reader only: moves up to <c>interleaved.Length / Channels</c> frames out of the ring into
    /// <paramref name="interleaved"/> and returns how many frames that was (0 when it is empty).
    /// The rest of <paramref name="interleaved"/> is left as it was.
    /// </summary>
    public int Read(Span<float> interleaved)
    {
        int frames = WholeFrames(interleaved.Length, nameof(interleaved));
        long start = read;
        int count = Math.Min(frames, (int)(Volatile.Read(ref written) - start));
        int offset = (int)(start & mask);
        int first = Math.Min(count, Capacity - offset);
        samples.AsSpan(offset * Channels, first * Channels).CopyTo(interleaved);
        samples.AsSpan(0, (count - first) * Channels).CopyTo(interleaved[(first * Channels)..]);
        Volatile.Write(ref read, start + count);
        return count;
    }

    private int WholeFrames(int length, string name) => length % Channels == 0
        ? length / Channels
        : throw new ArgumentException($"{length} samples are not whole frames of {Channels} channels", name);
}
