
namespace LatentTerrain.Engine.Audio;

/// <summary>
/// Plays what is written into an <see cref="AudioRing"/>: on a JACK server through our own JACK
/// client (<see cref="JackOutput"/>), elsewhere through a PortAudio output stream. Either way the
/// device's callback only copies the ring's next frames out, and silence when the ring has too
/// few (an underrun). The synth thread keeps the ring filled ahead of the device.
/// </summary>
/// <remarks>
/// The callbacks run on the host's real-time thread and keep the real-time contract: they
/// allocate nothing, take no lock, never wait, log nothing and throw nothing. They are C
/// (engine/native), so that thread never enters the .NET runtime and no garbage collection can
/// hold it up. They only bump counters in the ring, which any thread may read, and wake the
/// synth thread. Everything else (start, stop, reopen, dispose) belongs to one control thread.
/// <para>
/// Device loss: when the stream stops without being asked (a USB card unplugged, the JACK
/// server gone), <see cref="Lost"/> turns true. The caller polls it, say once a second, and
/// calls <see cref="Reopen"/> until that succeeds: a JACK server started again (under the same
/// name) is played again. A lost JACK client must be closed (<see cref="ReleaseLost"/>, or
/// <see cref="Reopen"/> which does it first) before any JACK client opens anywhere in the
/// process; <see cref="HoldsDeadJackClient"/> says whether it still is open.
/// </para>
/// </remarks>
public sealed unsafe class AudioOutput : IDisposable
{
    public const int DefaultFramesPerBuffer = 128;

    private PortAudioStream? stream;
    private JackOutput? jack;
    // JACK's input, recorded by our client since Capture: kept (retained) until disposed.
    private AudioRing? capture;
    // Asked to play (Start and no Stop since), whether or not the stream is there to.
    private bool started;
    private bool lost;
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
    /// Seconds from the ring to the device's output, as the host reports it: under JACK the
    /// playback latency of the ports played (one period on the dummy driver: 128 frames at 48 kHz
    /// is 2.67 ms), elsewhere PortAudio's own buffering plus the host's. Time spent in the ring
    /// comes on top.
    /// </summary>
    public double ReportedLatency { get; private set; }

    /// <summary>Callbacks that found fewer frames in the ring than the device asked for, and played silence for the rest.</summary>
    public long Underruns => Ring.UnderrunCount;

    /// <summary>Gaps the host itself had: JACK's xruns, or callbacks that PortAudio flagged with an output underflow.</summary>
    public long UnderflowFlags => Ring.UnderflowFlags;

    /// <summary>Frames handed to the device since opening, ring frames and silence alike: the output's clock.</summary>
    public long FramesPlayed => Ring.FramesPlayed;

    /// <summary>
    /// The newest callback's place in time: the ring frame it started at (frames the synth thread
    /// wrote before it) and when that frame is heard, in <see cref="StreamTime"/>'s clock (JACK's
    /// cycle start plus its playback latency, or PortAudio's outputBufferDacTime). Ring frame f is heard (f - Frame) / SampleRate later, as
    /// long as no underrun comes between. Null before the first callback.
    /// </summary>
    public (long Frame, double HeardAt)? LastCallback => Ring.TryReadClock(out long frame, out double dacTime, out _) ? (frame, dacTime) : null;

    /// <summary>The device's clock in seconds (JACK's jack_get_time, or PortAudio's stream time); 0 after a failed reopen.</summary>
    public double StreamTime => jack != null ? JackOutput.Time : stream?.Time ?? 0;

    /// <summary>Whether the stream is playing: started and neither stopped nor lost.</summary>
    public bool IsActive => jack?.IsActive ?? stream?.IsActive ?? false;

    /// <summary>Whether it plays on a JACK server (through our own client).</summary>
    public bool IsOnJack => Device.HostApi == JackOutput.HostApiName;

    /// <summary>
    /// Whether it still holds a client of a JACK server that went away. While it does, no JACK
    /// client may be opened in the process: libjack would free this one behind its back.
    /// </summary>
    public bool HoldsDeadJackClient => jack?.Gone ?? false;

    /// <summary>
    /// Whether the stream stopped without being asked (its host told PortAudio it finished, or
    /// it no longer runs), or its JACK server went away (started or not). Stays true until
    /// <see cref="Reopen"/> succeeds.
    /// </summary>
    public bool Lost
    {
        get
        {
            if (!lost && jack != null) lost = jack.Gone;
            else if (!lost && stream != null) lost = Ring.Finished || (started && !stream.IsActive);
            return lost;
        }
    }

    /// <exception cref="InvalidOperationException">The stream was lost and not yet reopened.</exception>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (stream == null && jack == null) throw new InvalidOperationException("the audio output was lost: reopen it first");
        if (started) return;
        StartStream();
        started = true;
    }

    /// <summary>Stops after the blocks already handed to the device have played. Does nothing to a lost stream.</summary>
    public void Stop()
    {
        if (!started) return;
        if (!Lost)
        {
            Ring.SetStopping(true);
            jack?.Stop();
            stream?.Stop();
        }
        started = false;
    }

    /// <summary>
    /// Records JACK's input into <paramref name="capture"/> through this output's own client (ports
    /// in_0, ..., connected to the physical capture ports), now and after every reopen: a second
    /// client would not do, since libjack frees every client of a dead server when another opens.
    /// Keeps the ring's memory until this output is disposed, whoever disposes the ring first.
    /// </summary>
    /// <exception cref="InvalidOperationException">Not on JACK, or recording an input already.</exception>
    /// <exception cref="AudioDeviceException">The server refused the ports.</exception>
    internal void Capture(AudioRing capture)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (!IsOnJack) throw new InvalidOperationException("only an output on JACK records JACK's input");
        if (this.capture != null) throw new InvalidOperationException("the output records an input already");
        jack?.Capture(capture);
        capture.Retain();
        this.capture = capture;
    }

    /// <summary>Closes a lost stream now, without opening another: a dead JACK client is let go of, so others may connect.</summary>
    public void ReleaseLost()
    {
        if (Lost) CloseStream();
    }

    /// <summary>
    /// Closes the stream and opens the same device (by name, on the same host API) again,
    /// starting it if it was started, and clears <see cref="Lost"/>. Meant for after a loss,
    /// retried until it succeeds; the counters carry on.
    /// </summary>
    /// <exception cref="AudioDeviceException">The device is not back, or cannot be opened.</exception>
    public void Reopen()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var device = Device;
        CloseStream();
        lost = true;
        OpenStream(library => AudioDevices.Find(library, device), "opening again");
        lost = false;
        if (started) StartStream();
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        CloseStream();
        capture?.Release();
        capture = null;
    }

    private void OpenStream(Func<PortAudioLibrary, AudioDevice> choose, string verb)
    {
        using var library = PortAudioLibrary.Open();
        var device = choose(library);
        string operation = $"{verb} {device} for {Channels} channels at {SampleRate} Hz";
        Ring.SetSampleRate(SampleRate);
        if (device.HostApi == JackOutput.HostApiName)
        {
            OpenJack(device, operation);
            return;
        }
        int supported = library.CheckOutput(device, Channels, SampleRate);
        if (supported < 0) throw PortAudio.Unsupported(supported, operation, device, input: false);
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
        Device = device;
    }

    // A JACK stream's rate is the server's; the device's channels are its physical playback ports.
    private void OpenJack(AudioDevice device, string operation)
    {
        if (device.DefaultSampleRate != SampleRate)
            throw new AudioDeviceException($"{operation}: Invalid sample rate (the JACK server runs at {device.DefaultSampleRate:0.#} Hz)", PortAudio.InvalidSampleRate);
        if (Channels > device.MaxOutputChannels)
            throw new AudioDeviceException($"{operation}: Invalid number of channels (it has {device.MaxOutputChannels} output channels)", PortAudio.InvalidChannelCount);
        var opened = JackOutput.Open(Ring, operation);
        try
        {
            if (capture != null) opened.Capture(capture);
        }
        catch
        {
            opened.Dispose();
            throw;
        }
        jack = opened;
        ReportedLatency = device.DefaultLowOutputLatency;
        Device = device;
    }

    private void CloseStream()
    {
        if (jack != null)
        {
            jack.Stop();
            jack.Dispose();
            jack = null;
        }
        if (stream == null) return;
        if (started && !Lost)
        {
            Ring.SetStopping(true);
            stream.Abort();
        }
        stream.Dispose();
        stream = null;
    }

    private void StartStream()
    {
        Ring.SetStopping(false);
        if (jack != null)
        {
            jack.Start();
            // JACK works out the ports' latency once they are connected; until then, a period.
            if (jack.Latency > 0) ReportedLatency = jack.Latency;
        }
        else stream!.Start();
    }
}
