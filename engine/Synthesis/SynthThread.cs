using System.Diagnostics;
using LatentTerrain.Engine.Audio;

namespace LatentTerrain.Engine.Synthesis;

/// <summary>
/// The synth thread of the architecture: renders the synth block by block into the ring the audio
/// callback plays from, keeping only <see cref="AheadFrames"/> queued so that a cursor's move is
/// heard after about one block plus the device's own buffer. Optionally it copies every block into
/// a second ring for a non-real-time recorder.
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
    private readonly float[] _block;
    private readonly Thread _thread;
    private volatile bool _stopping;
    private volatile Action<long>? _beforeBlock;
    private long _renderedFrames, _busyTicks, _droppedRecordingFrames, _allocatedBytes;
    private readonly Stopwatch _clock = new();

    /// <param name="blockFrames">Frames per synth block; the device's period is a good choice.</param>
    /// <param name="aheadFrames">How much audio to keep queued for the callback: more is safer, less is faster.</param>
    public SynthThread(Synth synth, AudioRing output, int blockFrames, int aheadFrames, AudioRing? recording = null)
    {
        if (blockFrames < 1 || aheadFrames < blockFrames) throw new ArgumentException("a block must be positive and the queue at least one block");
        _synth = synth;
        _output = output;
        _recording = recording;
        BlockFrames = blockFrames;
        AheadFrames = aheadFrames;
        _block = new float[blockFrames * synth.OutputChannels];
        _thread = new Thread(Run) { IsBackground = true, Name = "synth", Priority = ThreadPriority.Highest };
    }

    public int BlockFrames { get; }
    public int AheadFrames { get; }
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
    /// Called on this thread before each block with the block's first frame: a score played on the
    /// audio clock (see Rendering/GesturePlayer). Must not allocate, lock or block. Null for none.
    /// </summary>
    public Action<long>? BeforeBlock
    {
        get => _beforeBlock;
        set => _beforeBlock = value;
    }

    /// <summary>Frames the recorder could not take in time (its ring was full).</summary>
    public long DroppedRecordingFrames => Interlocked.Read(ref _droppedRecordingFrames);

    public void Start()
    {
        _clock.Start();
        _thread.Start();
    }

    /// <summary>Whether the thread runs with real-time scheduling (see <see cref="Scheduling"/>).</summary>
    public bool Realtime { get; private set; }

    private void Run()
    {
        Realtime = Scheduling.TryMakeRealtime();
        while (!_stopping)
        {
            if (_output.Count + BlockFrames <= AheadFrames && _output.Free >= BlockFrames)
            {
                long start = Stopwatch.GetTimestamp();
                int collections = GC.CollectionCount(0);
                long allocated = GC.GetAllocatedBytesForCurrentThread();
                _beforeBlock?.Invoke(Interlocked.Read(ref _renderedFrames));
                _synth.Render(_block);
                _output.Write(_block);
                if (_recording != null)
                {
                    // Whole blocks or nothing: a recording with a hole is still in time order.
                    if (_recording.Free >= BlockFrames) _recording.Write(_block);
                    else Interlocked.Add(ref _droppedRecordingFrames, BlockFrames);
                }
                long frames = Interlocked.Add(ref _renderedFrames, BlockFrames);
                if (frames > WarmUpBlocks * BlockFrames && GC.CollectionCount(0) == collections)
                    Interlocked.Add(ref _allocatedBytes, GC.GetAllocatedBytesForCurrentThread() - allocated);
                Interlocked.Add(ref _busyTicks, Stopwatch.GetTimestamp() - start);
                continue;
            }
            // Woken by the callback; the timeout only bounds how late a stop or a stopped device is noticed.
            _output.WaitForSpace(5000);
        }
    }

    public void Dispose()
    {
        _stopping = true;
        if (_thread.IsAlive) _thread.Join();
    }
}
