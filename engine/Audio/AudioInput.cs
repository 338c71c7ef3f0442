namespace LatentTerrain.Engine.Audio;

/// <summary>
/// The instrument's audio input, open while it plays: what the device records, kept in
/// <see cref="History"/> (the last minute by default) for a reader to copy from, and its level.
/// On JACK it is the output's own client (input ports <c>terrain:in_0</c>, <c>terrain:in_1</c>,
/// connected to the physical capture ports); elsewhere a PortAudio input stream.
/// </summary>
/// <remarks>
/// Either way the device's callback is C (engine/native): it copies what it recorded into a ring
/// (<see cref="AudioRing"/>) and never waits; when the ring is full it drops the rest and counts an
/// overrun. A thread of this class drains the ring into the history 50 times a second, allocating
/// nothing. On JACK the input rides on the output's client because libjack frees every client of a
/// dead server when another opens (docs/architecture.md): it is lost with the output and comes back
/// with its reopen, its ports registered again.
/// </remarks>
public sealed unsafe class AudioInput : IDisposable
{
    /// <summary>The device choice that opens no input.</summary>
    public const string None = "none";

    /// <summary>Channels recorded at most: a stereo pair.</summary>
    public const int MaxChannels = 2;

    public const double DefaultSeconds = 60;

    private const int DrainMilliseconds = 20;
    // Frames the drain thread moves at a time.
    private const int ChunkFrames = 4096;
    internal const int WarmUpDrains = 100;

    private readonly AudioRing _capture;
    private readonly float[] _chunk;
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _stopping = new();
    private readonly int _framesPerBuffer;
    private AudioOutput? _jackOutput;
    private PortAudioStream? _stream;
    private long _allocatedBytes, _drains;
    // A PortAudio stream ended by itself, until reopened.
    private bool _lost;
    private bool _disposed;

    /// <summary>An input fed by whatever pushes frames into <paramref name="capture"/> (a device's callback, a test); it drains it at once.</summary>
    internal AudioInput(AudioRing capture, AudioDevice device, int sampleRate, int framesPerBuffer, double seconds)
    {
        _capture = capture;
        _framesPerBuffer = framesPerBuffer;
        Device = device;
        SampleRate = sampleRate;
        History = new AudioHistory(capture.Channels, sampleRate, seconds);
        _chunk = new float[ChunkFrames * capture.Channels];
        _thread = new Thread(Drain) { IsBackground = true, Name = "audio input" };
        _thread.Start();
    }

    /// <summary>
    /// Opens the input that goes with <paramref name="output"/>, at its rate: JACK's through the
    /// output's own client when the output plays on JACK, else a PortAudio input stream (of one or
    /// two channels), started at once.
    /// </summary>
    /// <param name="device">
    /// Null or empty for the default input (JACK's where its server runs, else PortAudio's default);
    /// a number for that device index (numbered as the outputs); otherwise a name or part of one.
    /// </param>
    /// <param name="seconds">How much <see cref="History"/> keeps.</param>
    /// <exception cref="AudioDeviceException">
    /// No input device (or none matching <paramref name="device"/>), or it refuses the output's rate;
    /// one line saying which and why.
    /// </exception>
    public static AudioInput Open(AudioOutput output, string? device = null, double seconds = DefaultSeconds)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var library = PortAudioLibrary.Open();
        var chosen = AudioDevices.ChooseInput(library, device);
        bool onJack = chosen.HostApi == JackOutput.HostApiName;
        if (onJack && !output.IsOnJack)
            throw new AudioDeviceException($"recording {chosen}: JACK's input comes with an output on JACK; play on JACK, or choose another input");
        int channels = onJack ? Math.Clamp(chosen.MaxInputChannels, 1, MaxChannels) : Math.Min(chosen.MaxInputChannels, MaxChannels);
        // Half a second: the drain thread may be held up that long (a collection, a busy machine) before frames are dropped.
        var input = new AudioInput(new AudioRing(output.SampleRate / 2, channels), chosen, output.SampleRate, output.FramesPerBuffer, seconds);
        try
        {
            if (onJack)
            {
                output.Capture(input._capture);
                input._jackOutput = output;
            }
            else input.OpenStream(library, chosen, "opening");
            return input;
        }
        catch
        {
            input.Dispose();
            throw;
        }
    }

    /// <summary>The device recording, as it was when opened: JACK's is 'system'.</summary>
    public AudioDevice Device { get; }

    public string Name => Device.Name;

    public int Channels => _capture.Channels;

    /// <summary>The output's rate, at which the device records.</summary>
    public int SampleRate { get; }

    /// <summary>What was recorded: the last <see cref="AudioHistory.Capacity"/> frames, interleaved, at <see cref="SampleRate"/>.</summary>
    public AudioHistory History { get; }

    /// <summary>Whether it records through the JACK output's client.</summary>
    public bool IsOnJack => _jackOutput != null;

    /// <summary>The loudest sample of the last tenth of a second, 0..1 (more when the device clips): a level meter's reading.</summary>
    public float Peak => History.Peak(SampleRate / 10);

    /// <summary>Callbacks whose frames were partly dropped because the drain thread had fallen half a second behind.</summary>
    public long Overruns => _capture.OverrunCount;

    /// <summary>Gaps the host itself had: JACK's xruns, or callbacks PortAudio flagged with an input overflow.</summary>
    public long HostGaps => _capture.UnderflowFlags;

    /// <summary>
    /// Bytes the drain thread allocated after its first hundred drains, leaving out those a garbage
    /// collection ran during (it retires the thread's allocation buffer, which reads as bytes
    /// allocated): the steady state's promise is 0.
    /// </summary>
    public long AllocatedBytes => Interlocked.Read(ref _allocatedBytes);

    /// <summary>How many times the drain thread has emptied the ring so far; the first hundred warm it up.</summary>
    internal long Drains => Volatile.Read(ref _drains);

    /// <summary>
    /// Whether recording stopped without being asked: JACK's input with its output (which the
    /// caller reopens, and the input with it), a PortAudio stream when its device went away.
    /// </summary>
    public bool Lost
    {
        get
        {
            if (_jackOutput != null) return _jackOutput.Lost;
            if (!_lost && _stream != null) _lost = _capture.Finished || !_stream.IsActive;
            return _lost;
        }
    }

    /// <summary>
    /// A PortAudio input that was lost: closes its stream and opens the device with the same name
    /// on the same host API again, started. A JACK input comes back with its output's reopen.
    /// </summary>
    /// <exception cref="AudioDeviceException">The device is not back, or cannot be opened.</exception>
    public void Reopen()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (IsOnJack) return;
        CloseStream();
        _lost = true;
        using var library = PortAudioLibrary.Open();
        OpenStream(library, AudioDevices.FindInput(library, Device), "opening again");
        _lost = false;
    }

    /// <summary>Stops recording and frees the ring (a JACK output that records into it keeps it until it closes).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        CloseStream();
        _stopping.Set();
        if (_thread.IsAlive) _thread.Join();
        _capture.Dispose();
        _stopping.Dispose();
    }

    private void OpenStream(PortAudioLibrary library, AudioDevice device, string verb)
    {
        string operation = $"{verb} {device} for input of {Channels} channels at {SampleRate} Hz";
        int supported = library.CheckInput(device, Channels, SampleRate);
        if (supported < 0) throw PortAudio.Unsupported(supported, operation, device, input: true);
        var opened = library.OpenInput(device, Channels, SampleRate, _framesPerBuffer, NativeAudio.CaptureCallback, (void*)_capture.Native, operation);
        try
        {
            opened.OnFinished(NativeAudio.FinishedCallback);
            _capture.SetStopping(false);
            opened.Start();
        }
        catch
        {
            opened.Dispose();
            throw;
        }
        _stream = opened;
    }

    private void CloseStream()
    {
        if (_stream == null) return;
        _capture.SetStopping(true);
        if (!Lost) _stream.Abort();
        _stream.Dispose();
        _stream = null;
    }

    // Moves whatever the device recorded into the history, then sleeps; the first drains (the thread's own warm-up) are not counted.
    private void Drain()
    {
        while (true)
        {
            int collections = GC.CollectionCount(0);
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            int frames;
            while ((frames = _capture.Read(_chunk)) > 0) History.Write(_chunk.AsSpan(0, frames * Channels));
            bool stop = _stopping.Wait(DrainMilliseconds);
            if (Interlocked.Increment(ref _drains) > WarmUpDrains && GC.CollectionCount(0) == collections)
                Interlocked.Add(ref _allocatedBytes, GC.GetAllocatedBytesForCurrentThread() - allocated);
            if (stop) break;
        }
    }
}
