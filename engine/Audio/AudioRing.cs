using System.Numerics;

namespace LatentTerrain.Engine.Audio;

/// <summary>
/// A lock-free ring of interleaved float frames between exactly one writer (the synth thread, or an
/// input device's callback) and exactly one reader (the audio callback, the recorder's writer
/// thread, or the thread that drains an input). Neither side ever waits for the other, and nothing
/// is allocated after construction.
/// </summary>
/// <remarks>
/// The ring lives in native memory and its logic in C (engine/native/audio_ring.c), because
/// the audio callback that reads it is C: the device's real-time thread never enters the .NET
/// runtime. Every count is in frames (one sample per channel); spans hold whole interleaved
/// frames. The ring also carries the playing stream's counters (underruns, frames played),
/// which only its callback writes.
/// </remarks>
public sealed unsafe class AudioRing : IDisposable
{
    private readonly NativeAudio.RingHandle handle;
    private readonly nint ring;

    /// <param name="capacity">Frames the ring holds at least; rounded up to a power of two.</param>
    /// <param name="channels">Samples per frame.</param>
    public AudioRing(int capacity, int channels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, 1 << 24);
        Capacity = (int)BitOperations.RoundUpToPowerOf2((uint)capacity);
        Channels = channels;
        NativeAudio.EnsureLoaded();
        handle = NativeAudio.terrain_ring_create(Capacity, channels);
        if (handle.IsInvalid) throw new OutOfMemoryException($"no memory for an audio ring of {Capacity} frames of {channels} channels");
        ring = handle.DangerousGetHandle();
    }

    /// <summary>Frames the ring holds when full: a power of two.</summary>
    public int Capacity { get; }

    public int Channels { get; }

    /// <summary>Frames waiting to be read. Exact for the reader; for anyone else a snapshot.</summary>
    public int Count => (int)NativeAudio.terrain_ring_count(ring);

    /// <summary>Frames that can be written now. Exact for the writer; for anyone else a snapshot.</summary>
    public int Free => Capacity - Count;

    /// <summary>
    /// Writer only: copies as many whole frames of <paramref name="interleaved"/> as fit and
    /// returns how many frames that was (0 when the ring is full).
    /// </summary>
    public int Write(ReadOnlySpan<float> interleaved)
    {
        int frames = WholeFrames(interleaved.Length, nameof(interleaved));
        fixed (float* samples = interleaved) return (int)NativeAudio.terrain_ring_write(ring, samples, frames);
    }

    /// <summary>
    /// Reader only: moves up to <c>interleaved.Length / Channels</c> frames out of the ring into
    /// <paramref name="interleaved"/> and returns how many frames that was (0 when it is empty).
    /// The rest of <paramref name="interleaved"/> is left as it was.
    /// </summary>
    public int Read(Span<float> interleaved)
    {
        int frames = WholeFrames(interleaved.Length, nameof(interleaved));
        fixed (float* samples = interleaved) return (int)NativeAudio.terrain_ring_read(ring, samples, frames);
    }

    /// <summary>
    /// Writer only: sleeps until the reader has taken frames since the last wait, or until
    /// <paramref name="timeoutMicroseconds"/> pass; true when woken by the reader. The sleep is
    /// in native code, so a garbage collection meanwhile need not wait for this thread.
    /// </summary>
    public bool WaitForSpace(int timeoutMicroseconds) => NativeAudio.terrain_ring_wait(ring, timeoutMicroseconds) != 0;

    /// <summary>Where PortAudio's callbacks find the ring (their user data).</summary>
    internal nint Native => ring;

    internal long UnderflowFlags => NativeAudio.terrain_ring_underflow_flags(ring);
    internal long FramesPlayed => NativeAudio.terrain_ring_frames_played(ring);
    internal bool Finished => NativeAudio.terrain_ring_finished(ring) != 0;
    internal bool TryReadClock(out long frame, out double dacTime, out long monotonicNanoseconds) =>
        NativeAudio.terrain_ring_clock(ring, out frame, out dacTime, out monotonicNanoseconds) != 0;

    /// <summary>
    /// Writer: the read position at which the newest callback began, and when it began in
    /// <see cref="System.Diagnostics.Stopwatch"/> ticks (nanoseconds of CLOCK_MONOTONIC on Linux). False before the first callback.
    /// </summary>
    public bool TryGetLastRead(out long frame, out long timestamp) => NativeAudio.terrain_ring_clock(ring, out frame, out _, out timestamp) != 0;

    /// <summary>Writer: sleeps until <see cref="System.Diagnostics.Stopwatch"/> reads <paramref name="timestamp"/>, in native code.</summary>
    public static void SleepUntil(long timestamp) => NativeAudio.terrain_sleep_until(timestamp);

    /// <summary>Input callbacks whose frames did not all fit, because the reader fell behind: the rest were dropped.</summary>
    public long OverrunCount => NativeAudio.terrain_ring_overruns(ring);

    /// <summary>Callbacks that found too few frames (see <see cref="AudioOutput.Underruns"/>).</summary>
    public long UnderrunCount => NativeAudio.terrain_ring_underruns(ring);

    /// <summary>
    /// Of <see cref="UnderrunCount"/>, the callbacks that came less than half a period after the one
    /// before (a device catching up after running late), once <see cref="SetSampleRate"/> has said
    /// how long a period is.
    /// </summary>
    public long EarlyUnderrunCount => NativeAudio.terrain_ring_early_underruns(ring);

    /// <summary>The stream's sample rate, so the callback knows how long the frames it is asked for last.</summary>
    public void SetSampleRate(int rate) => NativeAudio.terrain_ring_set_sample_rate(ring, rate);
    internal void SetStopping(bool stopping) => NativeAudio.terrain_ring_set_stopping(ring, stopping ? 1 : 0);

    /// <summary>Frees the ring's memory; only once no stream and no thread uses it (but those that <see cref="Retain"/> it).</summary>
    public void Dispose() => handle.Dispose();

    /// <summary>
    /// Keeps the ring's memory until <see cref="Release"/>, even past <see cref="Dispose"/>: for a
    /// device whose callback writes into a ring that someone else owns and may dispose first.
    /// </summary>
    internal void Retain()
    {
        bool added = false;
        handle.DangerousAddRef(ref added);
    }

    internal void Release() => handle.DangerousRelease();

    private int WholeFrames(int length, string name) => length % Channels == 0
        ? length / Channels
        : throw new ArgumentException($"{length} samples are not whole frames of {Channels} channels", name);
}
