using System.Diagnostics;
using LatentTerrain.Engine.Audio;
using LatentTerrain.Engine.Rendering;
using LatentTerrain.Engine.Synthesis;
using LatentTerrain.Engine.Terrain;
using LatentTerrain.Models;

namespace LatentTerrain.Instrument.Live;

/// <summary>How the live instrument opens its audio output.</summary>
public sealed record LiveSettings
{
    /// <summary>Output device name (or part of it) or index; null for the default output.</summary>
    public string? Device { get; init; }
    public int SampleRate { get; init; } = 48000;
    /// <summary>The device's period and the synth's block.</summary>
    public int Frames { get; init; } = 128;
    public int Channels { get; init; } = 2;
    /// <summary>
    /// The most blocks kept queued between the synth thread and the callback: each is a period of
    /// latency, and a period the synth thread may wake late without an underrun. Two by default,
    /// because a machine that wakes real-time threads late underruns often with one (measured in
    /// docs/performance.md, The machine); one where the kernel wakes them on time.
    /// </summary>
    public int AheadBlocks { get; init; } = 2;
    /// <summary>
    /// How long before the callback needs it each block is rendered (see SynthThread), or null (the
    /// default) to render each block as soon as the callback has taken one, the whole queue ahead.
    /// A lead of 1 to 2 ms makes a move heard 3 to 4 ms sooner where the kernel wakes a sleeping
    /// real-time thread on time; where its timers wake late a short lead underruns, while a thread
    /// woken by the callback itself does not, hence no lead by default (docs/performance.md, The
    /// machine). It grows by itself after an underrun.
    /// </summary>
    public double? LeadSeconds { get; init; }

    /// <summary>
    /// Input device name (or part of it) or index; null for the default input (JACK's, through the
    /// output's own client, when the output plays on JACK); <see cref="AudioInput.None"/> for none.
    /// </summary>
    public string? InputDevice { get; init; }

    /// <summary>How much of the input <see cref="LiveInstrument.Input"/> keeps.</summary>
    public double InputSeconds { get; init; } = AudioInput.DefaultSeconds;

    /// <summary>How much of what it played <see cref="LiveInstrument.Played"/> keeps.</summary>
    public double PlayedSeconds { get; init; } = 30;
}

/// <summary>
/// The instrument while it plays: the audio output and input, the synth and its thread, the
/// terrain's snapshots (which a background trainer may update), the history of what it played, and
/// an optional recorder. One object to start, watch and stop; the command line and the terminal
/// interface both drive it.
/// </summary>
public sealed class LiveInstrument : IDisposable
{
    private readonly AudioRing _ring;
    private readonly SynthThread _synthThread;
    private readonly Recorder? _recorder;
    private BackgroundTrainer? _trainer;
    private AudioOutput? _output;
    private AudioInput? _input;
    private bool _started;
    private bool _lostTold;
    private long _lastTry, _lastInputTry;

    /// <summary>The audio output. Throws while there is none (see <see cref="HasOutput"/>).</summary>
    public AudioOutput Output => _output ?? throw new InvalidOperationException(OutputProblem ?? "no audio output");

    /// <summary>Whether an output device is open (playing, or lost and being tried again).</summary>
    public bool HasOutput => _output != null;

    /// <summary>Why nothing is heard now (no device yet, or the device went away), else null.</summary>
    public string? OutputProblem { get; private set; }

    /// <summary>The audio input, opened with the output; null when there is none (<see cref="InputProblem"/> says why).</summary>
    public AudioInput? Input => _input;

    /// <summary>Why there is no input, or why it records nothing now, in one line; else null.</summary>
    public string? InputProblem { get; private set; }

    /// <summary>Every block the synth thread rendered, at the device's rate: what was played, the queue ahead of what is heard.</summary>
    public AudioHistory Played { get; }

    public Synth Synth { get; }
    public TerrainSnapshots Terrain { get; }
    public LiveSettings Settings { get; }

    /// <param name="withoutDevice">
    /// Play on without an output device when none can be opened (the interface opens anyway and the
    /// sound starts when a device appears: <see cref="KeepOutput"/>); otherwise that is an error.
    /// </param>
    /// <exception cref="AudioDeviceException">No output device could be opened, and <paramref name="withoutDevice"/> is false.</exception>
    public LiveInstrument(IAutoencoder model, TerrainNetwork terrain, LiveSettings settings, string? recordPath = null, bool withoutDevice = false)
    {
        Settings = settings;
        Terrain = new TerrainSnapshots(terrain);
        // A model at another rate than the device's is resampled live (Synth, SynthSettings.SampleRate).
        Synth = new Synth(model, Terrain, new SynthSettings { OutputChannels = settings.Channels, SampleRate = settings.SampleRate, RealTime = true });
        int ahead = settings.AheadBlocks * settings.Frames;
        // Room for the synth thread to lengthen the queue fourfold (SynthThread.AheadFrames).
        _ring = new AudioRing(8 * ahead, settings.Channels);
        if (recordPath != null) _recorder = new Recorder(recordPath, settings.SampleRate, settings.Channels);
        Played = new AudioHistory(settings.Channels, settings.SampleRate, settings.PlayedSeconds);
        _synthThread = new SynthThread(Synth, _ring, settings.Frames, ahead, _recorder?.Ring, settings.LeadSeconds, Played);
        try
        {
            _output = AudioOutput.Open(_ring, settings.SampleRate, settings.Device, settings.Frames);
        }
        catch (AudioDeviceException missing) when (withoutDevice)
        {
            OutputProblem = missing.Message;
        }
        catch
        {
            _recorder?.Dispose();
            _ring.Dispose();
            Synth.Dispose();
            throw;
        }
        OpenInput();
    }

    public void Start()
    {
        // Fill the queue before the device asks for its first buffer, so the start is not an underrun.
        _synthThread.Start(() => WarmUp(Synth, Settings.Frames));
        var patience = System.Diagnostics.Stopwatch.StartNew();
        while (_ring.Count < _synthThread.AheadFrames && patience.Elapsed < TimeSpan.FromSeconds(10)) Thread.Sleep(1);
        _output?.Start();
        _started = true;
    }

    /// <summary>
    /// Plays a chord of every voice on <paramref name="synth"/>, on the synth thread before its
    /// first block, into a throwaway block of <paramref name="blockFrames"/>, so every path of a voice
    /// (a note, notes joining it, glide, release) is compiled and every voice's decoder has run on this
    /// thread before the first real notes need them in time (a neural voice's first frames on a thread are slower). It ends
    /// with the synth as a fresh one: a few seconds of audio at most, rendered far faster than real time.
    /// </summary>
    public static void WarmUp(Synth synth, int blockFrames)
    {
        var block = new float[blockFrames * synth.OutputChannels];
        var cursors = synth.Cursors;
        for (int i = 0; i < CursorBoard.Capacity; i++) cursors.Move(i, -8f + i, 0f, 0.2f);
        // A heavy model starts a chord's notes over several blocks (VoiceBank.Update).
        for (int i = 0; i < 200 && synth.SoundingVoices < CursorBoard.Capacity; i++) synth.Render(block);
        for (int i = 0; i < 20; i++) synth.Render(block);
        for (int i = 0; i < CursorBoard.Capacity; i++) cursors.Release(i);
        // Until the synth is as it was: silent, the limiter back at unity (a second or two if the chord
        // was limited), the resampler's history empty; then a note sounds as in a fresh synth's render.
        for (int i = 0; i < 4000 && (synth.SoundingVoices > 0 || synth.Limiting); i++) synth.Render(block);
        for (int i = 0; i < 20; i++) synth.Render(block);
    }

    /// <summary>
    /// Plays a gesture from the next block on, on the audio clock (see <see cref="GesturePlayer"/>):
    /// what is heard is what <c>terrain render</c> writes for it. Replaces a gesture still playing.
    /// </summary>
    public void Play(Gesture gesture) => Play(new GesturePlayer(gesture, Synth.Cursors, Settings.SampleRate));

    /// <summary>Plays a gesture's player (one that loops, or that the caller stops) from the next block on; null plays none.</summary>
    public void Play(GesturePlayer? player) => _synthThread.BeforeBlock = player == null ? null : player.Advance;

    /// <summary>
    /// Plays another autoencoder of the same latent size on the same terrain: loaded here, on the
    /// caller's thread, and crossfaded in by the synth thread between two blocks.
    /// </summary>
    /// <exception cref="ArgumentException">Another latent size than the one playing, said in one line.</exception>
    public void Load(IAutoencoder model)
    {
        if (model.LatentSize != Synth.Model.LatentSize)
            throw new ArgumentException($"{model.Name} has {model.LatentSize} latents but the terrain gives {Synth.Model.LatentSize}: train a terrain for it");
        Synth.Load(model, Terrain);
    }

    /// <summary>Trains the playing terrain further on a dataset; the sound follows each published snapshot.</summary>
    public void Train(TrainingPairs data, TrainingOptions options)
    {
        using var lease = Terrain.Acquire();
        Train(new BackgroundTrainer(Terrain, lease.Network, data, options));
    }

    /// <summary>Starts a training run of the playing terrain (its progress is <see cref="Training"/>), ending one still running.</summary>
    public void Train(BackgroundTrainer run)
    {
        _trainer?.Dispose();
        _trainer = run;
        run.Start();
    }

    public TrainingProgress? Training => _trainer?.Progress;

    /// <summary>
    /// Looks after the output; call it a few times a second from the control thread. A device that
    /// went away is told in one line and let go of at once (a dead JACK client must be closed
    /// before any JACK client opens in the process), then tried every second, as a device is when
    /// there was none at the start; its return is told in one line. The synth, its cursors and the
    /// training carry on meanwhile.
    /// </summary>
    /// <param name="messages">Where the one-line news goes.</param>
    /// <param name="mayOpenJack">False while another part of the process (the MIDI controllers) still holds a client of a JACK server that went away.</param>
    public void KeepOutput(TextWriter messages, Func<bool> mayOpenJack)
    {
        KeepInput(messages, mayOpenJack);
        if (_output is { Lost: false }) return;
        if (_output != null)
        {
            if (!_lostTold)
            {
                OutputProblem = $"the audio output {_output.Device} is gone; playing on silently, trying it again every second";
                messages.WriteLine($"terrain: {OutputProblem}");
                _lostTold = true;
                _lastTry = Stopwatch.GetTimestamp();
            }
            _output.ReleaseLost();
        }
        if (Stopwatch.GetElapsedTime(_lastTry) < TimeSpan.FromSeconds(1) || !mayOpenJack()) return;
        _lastTry = Stopwatch.GetTimestamp();
        try
        {
            if (_output == null)
            {
                _output = AudioOutput.Open(_ring, Settings.SampleRate, Settings.Device, Settings.Frames);
                OpenInput();
                if (_started) _output.Start();
                messages.WriteLine($"terrain: playing on {_output.Device} at {Settings.SampleRate} Hz");
            }
            else
            {
                _output.Reopen();
                messages.WriteLine($"terrain: the audio output {_output.Device} is back");
            }
            OutputProblem = null;
            _lostTold = false;
        }
        catch (AudioDeviceException)
        {
        }
    }

    // The input opens with the output: on JACK it is the output's own client.
    private void OpenInput()
    {
        if (string.Equals(Settings.InputDevice, AudioInput.None, StringComparison.OrdinalIgnoreCase))
            InputProblem = "no audio input: none was chosen";
        else if (_output == null)
            InputProblem = "no audio input: it opens with the audio output";
        else
        {
            try
            {
                _input = AudioInput.Open(_output, Settings.InputDevice, Settings.InputSeconds);
                InputProblem = null;
            }
            catch (AudioDeviceException problem)
            {
                InputProblem = problem.Message;
            }
        }
    }

    // A PortAudio input whose device went away is tried again every second (JACK's comes back with the output).
    private void KeepInput(TextWriter messages, Func<bool> mayOpenJack)
    {
        if (_input is not { IsOnJack: false, Lost: true }) return;
        if (InputProblem == null)
        {
            InputProblem = $"the audio input {_input.Device} is gone; trying it again every second";
            messages.WriteLine($"terrain: {InputProblem}");
        }
        if (Stopwatch.GetElapsedTime(_lastInputTry) < TimeSpan.FromSeconds(1) || !mayOpenJack()) return;
        _lastInputTry = Stopwatch.GetTimestamp();
        try
        {
            _input.Reopen();
            InputProblem = null;
            messages.WriteLine($"terrain: the audio input {_input.Device} is back");
        }
        catch (AudioDeviceException)
        {
        }
    }

    public SynthThread SynthThread => _synthThread;

    /// <summary>
    /// Control-to-sound latency by the figures at hand: a move waits up to a block for the next one
    /// to start, which is rendered the lead before the device takes it, plus the resampler's delay
    /// for a model at another rate and the device's own latency as it reports it (docs/performance.md).
    /// </summary>
    public double ExpectedLatencySeconds => (double)Settings.Frames / Settings.SampleRate + _synthThread.LeadSeconds + Synth.ResamplingDelaySeconds + (_output?.ReportedLatency ?? 0);

    /// <summary>Stops the sound, completes the recording (rethrowing a write failure) and frees everything.</summary>
    public void Stop()
    {
        _trainer?.Dispose();
        _trainer = null;
        _output?.Stop();
        _synthThread.Dispose();
        _recorder?.Stop();
    }

    public void Dispose()
    {
        _trainer?.Dispose();
        _output?.Dispose();
        _input?.Dispose();
        _synthThread.Dispose();
        _recorder?.Dispose();
        _ring.Dispose();
        Synth.Dispose();
    }
}
