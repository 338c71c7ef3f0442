namespace LatentTerrain.Engine.Audio;

/// <summary>
/// The last <see cref="Capacity"/> frames of a stream of interleaved float frames (what the
/// instrument played, what its input recorded), written by one thread and read by any: a reader
/// copies the newest frames, or those since a mark taken earlier from <see cref="FramesWritten"/>.
/// </summary>
/// <remarks>
/// Writing allocates nothing, takes no lock and never waits, so the synth thread may write every
/// block it renders. Frame f of the stream (counted from 0) lives in slot f mod capacity until the
/// writer comes round again. The writer first announces how far it is about to write, then copies,
/// then publishes the frames; a reader copies and then checks that the writer has not announced a
/// write over any of the frames it copied meanwhile. A read the writer overtook is torn: refused,
/// never handed out. Readers only read, so any number may read at once.
/// </remarks>
public sealed class AudioHistory
{
    // A reader whose copy the writer overtook tries again with the newest frames this often.
    private const int Attempts = 3;
    private readonly float[] _samples;
    private long _written, _claimed;

    /// <param name="seconds">How much it keeps: the newest frames, this many seconds of them at <paramref name="sampleRate"/>.</param>
    public AudioHistory(int channels, int sampleRate, double seconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        if (!(seconds > 0 && seconds * sampleRate * channels <= Array.MaxLength))
            throw new ArgumentOutOfRangeException(nameof(seconds), seconds, $"an audio history holds more than nothing and at most {Array.MaxLength} samples");
        Channels = channels;
        SampleRate = sampleRate;
        Capacity = (int)Math.Ceiling(seconds * sampleRate);
        _samples = new float[Capacity * channels];
    }

    public int Channels { get; }
    public int SampleRate { get; }

    /// <summary>Frames it keeps: the newest, older ones overwritten.</summary>
    public int Capacity { get; }

    /// <summary>
    /// Frames written since it was made, which only grows: the index of the next frame, and a mark
    /// that <see cref="Since"/> copies from later (the frames from a recording's start to its stop).
    /// </summary>
    public long FramesWritten => Volatile.Read(ref _written);

    /// <summary>The oldest frame it still holds (0 until it has wrapped round).</summary>
    public long OldestFrame => Math.Max(0, FramesWritten - Capacity);

    /// <summary>
    /// The writer only: appends whole interleaved frames, the oldest overwritten. Allocates nothing,
    /// takes no lock, never waits.
    /// </summary>
    public void Write(ReadOnlySpan<float> interleaved)
    {
        if (interleaved.Length % Channels != 0)
            throw new ArgumentException($"{interleaved.Length} samples are not whole frames of {Channels} channels", nameof(interleaved));
        long start = _written, frames = interleaved.Length / Channels, end = start + frames;
        // Of a write longer than the history, only its end is kept.
        if (frames > Capacity) interleaved = interleaved[(int)((frames - Capacity) * Channels)..];
        // The announcement must be visible before any slot changes: readers check it after copying.
        Volatile.Write(ref _claimed, end);
        Interlocked.MemoryBarrier();
        Slots(end - interleaved.Length / Channels, interleaved.Length / Channels, out var head, out var tail);
        interleaved[..head.Length].CopyTo(head);
        interleaved[head.Length..].CopyTo(tail);
        Volatile.Write(ref _written, end);
    }

    /// <summary>
    /// Copies frames <paramref name="firstFrame"/> onwards (as many as fill
    /// <paramref name="interleaved"/>) out; false, and the copy not to be used, when any of them is
    /// not held: not yet written, overwritten before, or overwritten while being copied (torn).
    /// Allocates nothing.
    /// </summary>
    public bool TryRead(long firstFrame, Span<float> interleaved)
    {
        if (interleaved.Length % Channels != 0)
            throw new ArgumentException($"{interleaved.Length} samples are not whole frames of {Channels} channels", nameof(interleaved));
        int frames = interleaved.Length / Channels;
        if (firstFrame < 0 || firstFrame + frames > Volatile.Read(ref _written) || firstFrame < Volatile.Read(ref _claimed) - Capacity) return false;
        Slots(firstFrame, frames, out var head, out var tail);
        head.CopyTo(interleaved);
        tail.CopyTo(interleaved[head.Length..]);
        // The copy's loads must be done before the announcement is read again.
        Interlocked.MemoryBarrier();
        return firstFrame >= Volatile.Read(ref _claimed) - Capacity;
    }

    /// <summary>The newest <paramref name="seconds"/> (as many as it holds, if fewer), as planar audio.</summary>
    /// <exception cref="InvalidOperationException">The writer overtook every attempt (a history far too short for what is asked).</exception>
    public AudioBuffer Last(double seconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seconds);
        long wanted = (long)Math.Min(Math.Round(seconds * SampleRate), Capacity);
        for (int attempt = 0; attempt < Attempts; attempt++)
        {
            long end = FramesWritten, frames = Math.Min(wanted, end);
            var interleaved = new float[frames * Channels];
            if (TryRead(end - frames, interleaved)) return AudioBuffer.FromInterleaved(SampleRate, Channels, interleaved);
        }
        throw new InvalidOperationException("the audio history's writer overwrote the newest frames while they were copied, every time: ask for fewer seconds than the history keeps");
    }

    /// <summary>
    /// Every frame from <paramref name="mark"/> (a <see cref="FramesWritten"/> read earlier) to the
    /// newest, as planar audio.
    /// </summary>
    /// <exception cref="InvalidOperationException">The frames since the mark are no longer all held (longer than the history), or the writer overtook every attempt.</exception>
    public AudioBuffer Since(long mark)
    {
        long now = FramesWritten;
        if (mark < 0 || mark > now) throw new ArgumentOutOfRangeException(nameof(mark), mark, $"a mark is a frame count written so far, 0..{now}");
        if (now - mark > Capacity)
            throw new InvalidOperationException($"the audio history keeps the last {(double)Capacity / SampleRate:0.#} s, and {(double)(now - mark) / SampleRate:0.#} s have passed since the mark");
        var interleaved = new float[(now - mark) * Channels];
        for (int attempt = 0; attempt < Attempts; attempt++)
            if (TryRead(mark, interleaved)) return AudioBuffer.FromInterleaved(SampleRate, Channels, interleaved);
        throw new InvalidOperationException($"the audio history keeps the last {(double)Capacity / SampleRate:0.#} s, and the frames since the mark were overwritten while being copied");
    }

    /// <summary>
    /// The largest magnitude among the newest <paramref name="frames"/> frames, all channels: a level
    /// meter's reading. Read in place, without the check for a torn read: a frame the writer replaced
    /// meanwhile is only a moment newer, which a meter cannot tell. Allocates nothing.
    /// </summary>
    public float Peak(int frames)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frames);
        long end = FramesWritten;
        int count = (int)Math.Min(Math.Min(frames, Capacity), end);
        Slots(end - count, count, out var head, out var tail);
        float peak = 0;
        foreach (float sample in head) peak = MathF.Max(peak, MathF.Abs(sample));
        foreach (float sample in tail) peak = MathF.Max(peak, MathF.Abs(sample));
        return peak;
    }

    /// <summary>Where frames firstFrame.. (at most a history's worth) lie: from their slot to the end of the store, then on from its start.</summary>
    private void Slots(long firstFrame, int frames, out Span<float> head, out Span<float> tail)
    {
        int slot = (int)(firstFrame % Capacity), headFrames = Math.Min(frames, Capacity - slot);
        head = _samples.AsSpan(slot * Channels, headFrames * Channels);
        tail = _samples.AsSpan(0, (frames - headFrames) * Channels);
    }
}
