using System.Diagnostics;
using LatentTerrain.Engine.Audio;

namespace LatentTerrain.Engine.Synthesis;

/// <summary>
/// The synth thread of the architecture: renders the synth block by block into the ring the audio
/// callback plays from, each block a short lead before the callback needs it (at most
/// <see cref="AheadFrames"/> queued), so that a cursor's move is heard after at most one block,
/// the lead and the device's own buffer. Optionally it copies every block into a second ring for a
/// non-real-time recorder, and into a history of what was played (a block's queue ahead of the ears).
/// </summary>
/// <remarks>
/// Real-time contract: the loop allocates nothing and takes no lock. Between blocks it sleeps in
/// native code until the callback has taken frames from the ring (the callback posts a semaphore,
/// which is lock-free), so each block is rendered right after a device period begins, with the
/// newest cursors.
/// </remarks>
public sealed class SynthThread : IDisposable
{
    private readonly Synth _synth;
    private readonly AudioRing _output;
    private readonly AudioRing? _recording;
    private readonly AudioHistory? _played;
    private readonly float[] _block;
    private readonly Thread _thread;
    private volatile bool _stopping;
    private volatile Action<long>? _beforeBlock;
    private Action? _rehearsal;
    private long _renderedFrames, _busyTicks, _droppedRecordingFrames, _allocatedBytes;
    private long _leadTicks, _underrunsSeen, _worstBlockTicks;
    private long _heldUpUnderruns, _slowUnderruns, _earlyUnderruns, _underrunsAccounted, _earlyAccounted, _worstHeldUpTicks, _previousEnd, _previousEndCpu, _previousCpu;
    private long _maxLeadTicks;
    private int _aheadFrames;
    private readonly bool _clocksAgree;
    private readonly int _sampleRate;
    private readonly Stopwatch _clock = new();

    /// <param name="blockFrames">Frames per synth block; the device's period is a good choice.</param>
    /// <param name="aheadFrames">The most audio to keep queued for the callback, to begin with (see <see cref="AheadFrames"/>).</param>
    /// <param name="leadSeconds">
    /// How long before the callback needs it each block is rendered: the shorter, the sooner a
    /// cursor's move is heard; the longer, the more a late wake-up of this thread is forgiven.
    /// Grows by itself after an underrun (see <see cref="LeadSeconds"/>). Null renders each block as
    /// soon as there is room, <paramref name="aheadFrames"/> ahead.
    /// </param>
    /// <param name="played">Where every block rendered goes too, for "the last N seconds" (this thread is its writer).</param>
    public SynthThread(Synth synth, AudioRing output, int blockFrames, int aheadFrames, AudioRing? recording = null, double? leadSeconds = null, AudioHistory? played = null)
    {
        if (played != null && played.Channels != synth.OutputChannels)
            throw new ArgumentException($"the played history has {played.Channels} channels, the synth {synth.OutputChannels}", nameof(played));
        if (blockFrames < 1 || aheadFrames < blockFrames) throw new ArgumentException("a block must be positive and the queue at least one block");
        _synth = synth;
        _output = output;
        _recording = recording;
        _played = played;
        BlockFrames = blockFrames;
        _aheadFrames = aheadFrames;
        MaxAheadFrames = Math.Max(aheadFrames, Math.Min(4 * aheadFrames, output.Capacity - blockFrames) / blockFrames * blockFrames);
        _block = new float[blockFrames * synth.OutputChannels];
        _sampleRate = synth.SampleRate;
        _maxLeadTicks = (long)((double)aheadFrames / _sampleRate * Stopwatch.Frequency);
        // The callback's times are CLOCK_MONOTONIC nanoseconds, which is what Stopwatch counts on Linux.
        _clocksAgree = OperatingSystem.IsLinux() && Stopwatch.Frequency == 1_000_000_000;
        _leadTicks = leadSeconds is double lead && _clocksAgree ? Math.Clamp((long)(lead * Stopwatch.Frequency), 0, _maxLeadTicks) : _maxLeadTicks;
        _thread = new Thread(Run) { IsBackground = true, Name = "synth", Priority = ThreadPriority.Highest };
    }

    public int BlockFrames { get; }
    /// <summary>
    /// The most audio queued for the callback now: the queue given, grown by a block after each
    /// underrun of a synth too slow for it (<see cref="SlowUnderruns"/>), up to
    /// <see cref="MaxAheadFrames"/>. A model whose frames take longer than the queue forgives clicks
    /// once or twice and then plays on a period later; a machine's stalls do not grow it.
    /// </summary>
    public int AheadFrames => Volatile.Read(ref _aheadFrames);

    /// <summary>The longest the queue grows: four times the queue given, within the ring.</summary>
    public int MaxAheadFrames { get; }
    /// <summary>Frames rendered since the start: the index of the next block's first frame.</summary>
    public long RenderedFrames => Interlocked.Read(ref _renderedFrames);
    /// <summary>Share of wall time spent rendering, since the start.</summary>
    public double Load => _clock.ElapsedTicks == 0 ? 0 : (double)Interlocked.Read(ref _busyTicks) / _clock.ElapsedTicks;
    /// <summary>
    /// Bytes this thread allocated while rendering, after its first <see cref="WarmUpBlocks"/> blocks:
    /// the real-time contract says 0. Blocks during which a garbage collection ran are left out,
    /// because a collection retires the thread's allocation buffer and that reads as bytes allocated.
    /// </summary>
    public long AllocatedBytes => Interlocked.Read(ref _allocatedBytes);
    public const int WarmUpBlocks = 100;

    /// <summary>
    /// How long before the callback needs it each block is rendered now. After each underrun it
    /// grows by <see cref="LeadStepSeconds"/>, up to the whole queue, so a machine that cannot keep
    /// a short lead trades a little latency for no more gaps.
    /// </summary>
    public double LeadSeconds => (double)Interlocked.Read(ref _leadTicks) / Stopwatch.Frequency;
    public const double LeadStepSeconds = 0.0005;

    /// <summary>The longest a block has taken to render, since the start: the synth's share of an underrun.</summary>
    public double WorstBlockSeconds => (double)Interlocked.Read(ref _worstBlockTicks) / Stopwatch.Frequency;

    /// <summary>
    /// Called on this thread before each block with the block's first frame: a score played on the
    /// audio clock (see Rendering/GesturePlayer). Must not allocate, lock or block. Null for none.
    /// </summary>
    public Action<long>? BeforeBlock
    {
        get => _beforeBlock;
        set => _beforeBlock = value;
    }

    /// <summary>
    /// Underruns of a block finished after the callback needed it that waited for a processor
    /// longer than it worked: the thread was woken late or held off the processor, by the machine,
    /// not by the synth's work.
    /// </summary>
    public long HeldUpUnderruns => Interlocked.Read(ref _heldUpUnderruns);

    /// <summary>
    /// Underruns of a block finished after the callback needed it that worked longer than it waited
    /// for a processor: the synth (a heavy model, many voices) is too slow for the queue.
    /// </summary>
    public long SlowUnderruns => Interlocked.Read(ref _slowUnderruns);

    /// <summary>
    /// Underruns of the device coming early: in a callback less than half a period after the one
    /// before (a server catching up after running late itself, <see cref="AudioRing.EarlyUnderrunCount"/>),
    /// or though every block was written before a steady device would have needed it.
    /// </summary>
    public long EarlyDeviceUnderruns => Interlocked.Read(ref _earlyUnderruns);

    /// <summary>The longest a late block's thread waited for a processor, woken late or held off.</summary>
    public double WorstHeldUpSeconds => (double)Interlocked.Read(ref _worstHeldUpTicks) / Stopwatch.Frequency;

    /// <summary>Frames the recorder could not take in time (its ring was full).</summary>
    public long DroppedRecordingFrames => Interlocked.Read(ref _droppedRecordingFrames);

    /// <param name="rehearsal">
    /// Run first on this thread, before any block: what the voices' decoders do the first time on a
    /// thread must not happen at the first chord.
    /// </param>
    public void Start(Action? rehearsal = null)
    {
        _rehearsal = rehearsal;
        _clock.Start();
        _thread.Start();
    }

    /// <summary>Whether the thread runs with real-time scheduling (see <see cref="Scheduling"/>).</summary>
    public bool Realtime { get; private set; }

    private void Run()
    {
        Realtime = Scheduling.TryMakeRealtime();
        _rehearsal?.Invoke();
        while (!_stopping)
        {
            if (_output.Count + BlockFrames <= _aheadFrames && _output.Free >= BlockFrames)
            {
                if (WaitUntilDue()) continue;
                long start = Stopwatch.GetTimestamp();
                // When the callback will need the block: as many frames after the newest callback as lie between their first frames.
                long? due = _clocksAgree && _output.TryGetLastRead(out long readFrame, out long readTime)
                    ? readTime + (long)((double)(_renderedFrames - readFrame) / _sampleRate * Stopwatch.Frequency)
                    : null;
                int collections = GC.CollectionCount(0);
                long allocated = GC.GetAllocatedBytesForCurrentThread();
                _beforeBlock?.Invoke(Interlocked.Read(ref _renderedFrames));
                _synth.Render(_block);
                _output.Write(_block);
                _played?.Write(_block);
                if (_recording != null)
                {
                    // Whole blocks or nothing: a recording with a hole is still in time order.
                    if (_recording.Free >= BlockFrames) _recording.Write(_block);
                    else Interlocked.Add(ref _droppedRecordingFrames, BlockFrames);
                }
                long frames = Interlocked.Add(ref _renderedFrames, BlockFrames);
                if (frames > WarmUpBlocks * BlockFrames && GC.CollectionCount(0) == collections)
                    Interlocked.Add(ref _allocatedBytes, GC.GetAllocatedBytesForCurrentThread() - allocated);
                long finished = Stopwatch.GetTimestamp();
                Account(due, finished);
                long busy = finished - start;
                Interlocked.Add(ref _busyTicks, busy);
                if (frames > WarmUpBlocks * BlockFrames && busy > _worstBlockTicks) Interlocked.Exchange(ref _worstBlockTicks, busy);
                continue;
            }
            // Woken by the callback; the timeout only bounds how late a stop or a stopped device is noticed.
            _output.WaitForSpace(5000);
        }
    }

    /// <summary>
    /// Tells why underruns happened. Those in callbacks that came early are the device's; a block is
    /// late when it is written after the device was due to need it, and the other underruns counted
    /// since the block before are put down to this block: if it was not late, to the device coming
    /// early too; if it was, to what took most of the time from the moment it could have started (a
    /// lead before it was due) to when it was written: the thread's own work (too slow), or its
    /// waiting for a processor (held up). Between blocks the thread sleeps, so its processor time at
    /// that moment is the previous block's end, less what of the previous block ran after it.
    /// </summary>
    private void Account(long? dueOrUnknown, long finished)
    {
        long cpu = Scheduling.ThreadProcessorNanoseconds();
        var (previousCpu, previousEnd, previousEndCpu) = (_previousCpu, _previousEnd, _previousEndCpu);
        (_previousCpu, _previousEnd, _previousEndCpu) = (cpu - previousEndCpu, finished, cpu);
        // Early ones first: the callback counts an underrun before it counts it early.
        long early = _output.EarlyUnderrunCount, underruns = _output.UnderrunCount;
        long fresh = underruns - _underrunsAccounted, freshEarly = early - _earlyAccounted;
        (_underrunsAccounted, _earlyAccounted) = (underruns, early);
        if (fresh == 0) return;
        if (dueOrUnknown is not long due || finished <= due || previousEnd == 0 || freshEarly >= fresh)
        {
            Interlocked.Add(ref _earlyUnderruns, fresh);
            return;
        }
        Interlocked.Add(ref _earlyUnderruns, freshEarly);
        fresh -= freshEarly;
        long couldStart = due - _leadTicks;
        long cpuAtStart = couldStart >= previousEnd ? previousEndCpu : previousEndCpu - Math.Min(previousCpu, previousEnd - couldStart);
        long work = cpu - cpuAtStart, held = finished - couldStart - work;
        bool slow = work >= held;
        Interlocked.Add(ref slow ? ref _slowUnderruns : ref _heldUpUnderruns, fresh);
        if (slow) Lengthen();
        if (held > _worstHeldUpTicks) Interlocked.Exchange(ref _worstHeldUpTicks, held);
    }

    /// <summary>
    /// Queues a block more, up to <see cref="MaxAheadFrames"/>; a lead that was the whole queue
    /// stays the whole queue.
    /// </summary>
    private void Lengthen()
    {
        if (_aheadFrames + BlockFrames > MaxAheadFrames) return;
        bool wholeQueue = _leadTicks >= _maxLeadTicks;
        Volatile.Write(ref _aheadFrames, _aheadFrames + BlockFrames);
        _maxLeadTicks = (long)((double)_aheadFrames / _sampleRate * Stopwatch.Frequency);
        if (wholeQueue) Interlocked.Exchange(ref _leadTicks, _maxLeadTicks);
    }

    /// <summary>
    /// Sleeps until the next block is due: a lead before the callback that will play it. The block
    /// starts at ring frame <see cref="RenderedFrames"/>, so that callback comes as many frames after
    /// the newest one as lie between their first frames. Sleeps at most 5 ms at a time, so a stop or
    /// a silent device is noticed; true when it slept (the caller looks at the ring again).
    /// </summary>
    private bool WaitUntilDue()
    {
        long underruns = _output.UnderrunCount;
        if (underruns != _underrunsSeen)
        {
            _underrunsSeen = underruns;
            long step = (long)(LeadStepSeconds * Stopwatch.Frequency);
            Interlocked.Exchange(ref _leadTicks, Math.Min(_maxLeadTicks, _leadTicks + step));
        }
        if (_leadTicks >= _maxLeadTicks || !_output.TryGetLastRead(out long readFrame, out long readTime)) return false;
        long due = readTime + (long)((double)(_renderedFrames - readFrame) / _sampleRate * Stopwatch.Frequency);
        long wake = due - _leadTicks, now = Stopwatch.GetTimestamp();
        if (wake <= now) return false;
        AudioRing.SleepUntil(Math.Min(wake, now + 5 * Stopwatch.Frequency / 1000));
        return true;
    }

    public void Dispose()
    {
        _stopping = true;
        if (_thread.IsAlive) _thread.Join();
    }
}
