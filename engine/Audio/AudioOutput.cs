
namespace LatentTerrain.Engine.Audio;

/// <summary>
/// Plays what is written into an <see cref="AudioRing"/>: a PortAudio output stream whose
/// callback only copies the ring's next frames to the device, and silence when the ring has
/// too few (an underrun). The synth thread keeps the ring filled ahead of the device.
/// </summary>
/// <remarks>
/// The callback runs on the host's real-time thread and keeps the real-time contract: it
/// allocates nothing, takes no lock, never waits, logs nothing and throws nothing. It is C
/// (engine/native/audio_ring.c), so that thread never enters the .NET runtime and no garbage
/// collection can hold it up. It only bumps counters in the ring, which any thread may read,
/// and wakes the synth thread. Everything else (start, stop, reopen, dispose) belongs to one
/// control thread.
/// <para>
/// Device loss: when the stream stops without being asked (a USB card unplugged, the JACK
/// server gone), <see cref="Lost"/> turns true. The caller polls it, say once a second, and
/// calls <see cref="Reopen"/> until that succeeds. With PortAudio 19.6 a stream on a JACK
/// server that went away can never be closed (see <see cref="JackWatch"/>) and PortAudio
/// never reconnects to JACK within the process, so after a JACK loss <see cref="Reopen"/>
/// keeps failing, saying so, until the program is restarted.
/// </para>
/// </remarks>
public sealed unsafe class AudioOutput : IDisposable
{
    public const int DefaultFramesPerBuffer = 128;

    private PortAudioStream? stream;
    private bool onJack;
    // Asked to play (Start and no Stop since), whether or not the stream is there to.
    private bool started;
    private bool lost;
    // A stream was left open when its JACK server went away: it keeps the ring's address.
    private bool abandoned;
    private bool disposed;

    private AudioOutput(AudioRing ring, int sampleRate, int framesPerBuffer)
    {
        Ring = ring;
        SampleRate = sampleRate;
        FramesPerBuffer = framesPerBuffer;
    }

    /// <summary>
    /// Opens (without starting) an output stream that plays <paramref name="ring"/>, with as
    /// many channels as the ring has.
    /// </summary>
    /// <param name="device">
    /// Null or empty for the default output; a number for that device index; otherwise a name
    /// or part of one (see <see cref="AudioDevices.List"/>).
    /// </param>
    /// <param name="framesPerBuffer">Frames per callback; PortAudio adapts the host's blocks to it where they differ.</param>
    /// <exception cref="AudioDeviceException">
    /// No output device (or none matching <paramref name="device"/>), or the device refuses this
    /// rate or channel count; the message is one line saying which and why.
    /// </exception>
    public static AudioOutput Open(AudioRing ring, int sampleRate, string? device = null, int framesPerBuffer = DefaultFramesPerBuffer)
    {
        ArgumentNullException.ThrowIfNull(ring);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(framesPerBuffer);
        var output = new AudioOutput(ring, sampleRate, framesPerBuffer);
        try
        {
            output.OpenStream(library => AudioDevices.Choose(library, device), "opening");
            return output;
        }
        catch
        {
            output.Dispose();
            throw;
        }
    }

    public AudioRing Ring { get; }
    public int SampleRate { get; }
    public int Channels => Ring.Channels;
    public int FramesPerBuffer { get; }

    /// <summary>The device playing, as it was when opened.</summary>
    public AudioDevice Device { get; private set; } = null!;

    /// <summary>The device's name: "system" for JACK's.</summary>
    public string DeviceName => Device.Name;

    /// <summary>
    /// Seconds from the ring to the device's output, as PortAudio reports it: PortAudio's own
    /// buffering plus the host's (under JACK, one period: 128 frames at 48 kHz is 2.67 ms).
    /// Time spent in the ring comes on top.
    /// </summary>
    public double ReportedLatency { get; private set; }

    /// <summary>Callbacks that found fewer frames in the ring than the device asked for, and played silence for the rest.</summary>
    public long Underruns => Ring.UnderrunCount;

    /// <summary>Callbacks that PortAudio flagged with an output underflow: the host itself had a gap (a JACK xrun).</summary>
    public long UnderflowFlags => Ring.UnderflowFlags;

    /// <summary>Frames handed to the device since opening, ring frames and silence alike: the output's clock.</summary>
    public long FramesPlayed => Ring.FramesPlayed;

    /// <summary>
    /// The newest callback's place in time: the ring frame it started at (frames the synth thread
    /// wrote before it) and when that frame is heard, PortAudio's outputBufferDacTime in
    /// <see cref="StreamTime"/>'s clock. Ring frame f is heard (f - Frame) / SampleRate later, as
    /// long as no underrun comes between. Null before the first callback.
    /// </summary>
    public (long Frame, double HeardAt)? LastCallback => Ring.TryReadClock(out long frame, out double dacTime, out _) ? (frame, dacTime) : null;

    /// <summary>PortAudio's clock for the stream in seconds (JACK's frame time since opening); 0 after a failed reopen.</summary>
    public double StreamTime => stream?.Time ?? 0;

    /// <summary>Whether the stream is playing: started and neither stopped nor lost.</summary>
    public bool IsActive => stream?.IsActive ?? false;

    /// <summary>
    /// Whether the stream stopped without being asked (its host told PortAudio it finished, or
    /// it no longer runs), or its JACK server went away (started or not). Stays true until
    /// <see cref="Reopen"/> succeeds.
    /// </summary>
    public bool Lost
    {
        get
        {
            if (!lost && stream != null)
                lost = Ring.Finished || stream.HostGone || (started && !stream.IsActive);
            return lost;
        }
    }

    /// <exception cref="InvalidOperationException">The stream was lost and not yet reopened.</exception>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (stream == null) throw new InvalidOperationException("the audio output was lost: reopen it first");
        if (started) return;
        StartStream(stream);
        started = true;
    }

    /// <summary>Stops after the blocks already handed to the device have played. Does nothing to a lost stream.</summary>
    public void Stop()
    {
        if (!started) return;
        if (stream != null && !Lost)
        {
            Ring.SetStopping(true);
            stream.Stop();
        }
        started = false;
    }

    /// <summary>
    /// Closes the stream and opens the same device (by name, on the same host API) again,
    /// starting it if it was started, and clears <see cref="Lost"/>. Meant for after a loss,
    /// retried until it succeeds; the counters carry on.
    /// </summary>
    /// <exception cref="AudioDeviceException">
    /// The device is not back, or cannot be opened; after a JACK server went away, always (see
    /// the remarks on <see cref="AudioOutput"/>).
    /// </exception>
    public void Reopen()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var device = Device;
        CloseStream();
        // Trying anyway would fail too, and make PortAudio print a line to stderr every time.
        if (onJack && PortAudioLibrary.IsStranded)
        {
            throw new AudioDeviceException(
                $"{device} cannot be opened again: its JACK server went away, and PortAudio cannot reconnect to JACK until the program restarts");
        }
        OpenStream(library => AudioDevices.Find(library, device), "opening again");
        lost = false;
        if (started) StartStream(stream!);
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        CloseStream();
        // PortAudio will not call an abandoned stream's callback, but the ring stays so that
        // nothing could ever read freed memory.
        if (abandoned) Ring.KeepForever();
    }

    private void OpenStream(Func<PortAudioLibrary, AudioDevice> choose, string verb)
    {
        using var library = PortAudioLibrary.Open();
        var device = choose(library);
        string operation = $"{verb} {device} for {Channels} channels at {SampleRate} Hz";
        int supported = library.CheckOutput(device, Channels, SampleRate);
        if (supported < 0)
        {
            throw PortAudio.Failure(supported, operation, supported switch
            {
                PortAudio.InvalidSampleRate => $"its default rate is {device.DefaultSampleRate:0.#} Hz",
                PortAudio.InvalidChannelCount => $"it has {device.MaxOutputChannels} output channels",
                _ => null,
            });
        }
        Ring.SetSampleRate(SampleRate);
        var opened = library.OpenOutput(device, Channels, SampleRate, FramesPerBuffer, NativeAudio.PlayCallback,
            (void*)Ring.Native, operation);
        try
        {
            opened.OnFinished(NativeAudio.FinishedCallback);
            ReportedLatency = opened.OutputLatency;
        }
        catch
        {
            opened.Dispose();
            throw;
        }
        stream = opened;
        onJack = opened.IsOnJack;
        Device = device;
    }

    private void CloseStream()
    {
        if (stream == null) return;
        if (started && !Lost)
        {
            Ring.SetStopping(true);
            stream.Abort();
        }
        stream.Dispose();
        abandoned |= stream.Abandoned;
        stream = null;
    }

    private void StartStream(PortAudioStream toStart)
    {
        Ring.SetStopping(false);
        toStart.Start();
    }
}
