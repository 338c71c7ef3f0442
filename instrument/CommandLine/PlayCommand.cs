using System.CommandLine;
using System.Diagnostics;
using LatentTerrain.Engine.Audio;
using LatentTerrain.Engine.Datasets;
using LatentTerrain.Engine.Files;
using LatentTerrain.Engine.Rendering;
using LatentTerrain.Engine.Terrain;
using LatentTerrain.Instrument.Actions;
using LatentTerrain.Instrument.Live;
using LatentTerrain.Instrument.Sessions;
using LatentTerrain.Instrument.Teaching;
using LatentTerrain.Models;
using LatentTerrain.Tui;
using LatentTerrain.Mappings;
using Spectre.Console;

namespace LatentTerrain.Instrument.CommandLine;

/// <summary>
/// <c>terrain play</c>: the instrument, live on JACK or through PortAudio, played by MIDI
/// controllers (every input port unless <c>--midi</c> says which), a gesture file, and either the
/// terminal interface (at a terminal) or, headless, standard input with a one-line status.
/// </summary>
internal static class PlayCommand
{
    // The interface opens without a device (and says so); headless, no device is one line and exit 1.
    private static int DeviceRate(string? device, bool onScreen)
    {
        try
        {
            return (int)AudioDevices.Choose(device).DefaultSampleRate;
        }
        catch (AudioDeviceException) when (onScreen)
        {
            return 48000;
        }
    }

    /// <summary>The session to play: the one named (opened, or new when it does not exist), else the last one, else a new untitled one.</summary>
    private static (SessionFolder Folder, OpenedSession? Opened, List<string> LeftOut) OpenSession(string? named)
    {
        var (folder, isNew) = named != null ? (new SessionFolder(named), !new SessionFolder(named).Exists) : SessionKeeper.LastOrNew();
        if (isNew) return (folder, null, []);
        try
        {
            var opened = folder.Open();
            return (folder, opened, [.. opened.LeftOut]);
        }
        catch (Exception e) when (e is SessionException or TerrainFileException or IOException)
        {
            throw new UsageException(e.Message);
        }
    }

    /// <summary>The model file a session was made with: it must be there; a file changed since is said (and holds autosave).</summary>
    private static string? SessionModel(SessionFolder folder, SessionContents? kept, List<string> leftOut)
    {
        if (kept?.Model is not { Path: string path } model) return null;
        if (!File.Exists(path))
            throw new UsageException($"{folder.Path}: the model it was made with, {path}, is missing: give --model to play its terrain with another of {kept.Teaching.Network.Config.LatentSize} latents");
        if (model.Sha256 != null && LoadedModels.HashOf(path) != model.Sha256)
            leftOut.Add($"the model {path} has changed since the session was saved (its SHA-256 differs): the terrain may sound otherwise");
        return path;
    }

    /// <summary>`open DIR` while playing: its model crossfaded in (or the open refused), its teaching and bindings taken.</summary>
    private static void OpenWhilePlaying(SessionContents contents, LoadedModels models, LiveInstrument instrument, Teacher teacher, MidiLearn learn)
    {
        try
        {
            models.Switch(contents.Model.Path ?? Models.BuiltIn, instrument);
        }
        catch (Exception e) when (e is ModelException or ArgumentException)
        {
            throw new RefusedException($"its model: {e.Message}");
        }
        teacher.Restore(contents.Teaching);
        learn.Import(contents.Settings.Bindings);
    }

    public static Command Create(IAnsiConsole ansi)
    {
        var console = ansi.Profile.Out.Writer;
        var defaults = new LiveSettings();
        var device = new Option<string>("--device") { Description = "audio output device: a name (or part of it) or an index from `terrain devices` [default: the default output]" };
        var inputDevice = new Option<string>("--input") { Description = "audio input device (recorded for teaching): a name (or part of it) or an index from `terrain devices`; `none` opens none [default: JACK's capture ports when playing on JACK, else the default input]" };
        var frames = new Option<int>("--frames") { Description = "frames per buffer: the device's period and the synth's block", DefaultValueFactory = _ => defaults.Frames };
        var sampleRate = new Option<int?>("--sample-rate") { Description = "sample rate to open the device at; a model at another rate is resampled live [default: the device's own (JACK's)]" };
        var terrain = new Option<string>("--terrain", "-t") { Description = "terrain file [default: the built-in terrain]" };
        var model = Models.ModelOption();
        var attribute = Models.ModelAttributeOption();
        var gesture = new Option<string>("--gesture", "-g") { Description = $"play this gesture CSV ({GestureFile.Header}) instead of reading standard input" };
        var ahead = new Option<int>("--ahead") { Description = "blocks queued for the device: 2 forgives the synth thread waking up to a period late; 1 is heard a period sooner; grows by a block (up to fourfold) when the synth proves too slow for it", DefaultValueFactory = _ => defaults.AheadBlocks };
        var lead = new Option<double?>("--lead") { Description = "render each block this many milliseconds before the device needs it (1-2 ms is quicker where the kernel wakes timers on time; grows by itself after an underrun) [default: as soon as the device takes a block, --ahead blocks ahead]" };
        var record = new Option<string>("--record") { Description = "also write what is played to this sound file" };
        var seconds = new Option<double?>("--seconds") { Description = "stop after this many seconds [default: the gesture's end plus one second, or when standard input ends]" };
        var train = new Option<string>("--train") { Description = "keep training the playing terrain on this dataset; the sound follows" };
        var epochs = new Option<int?>("--epochs") { Description = "with --train: epochs to run [default: until `stop`]" };
        var midi = new Option<string[]>("--midi") { Description = "MIDI input port to play from: a number or (part of) a name from `terrain devices`; repeat it for more; `none` opens none [default: every input]" };
        var headless = new Option<bool>("--headless") { Description = "no terminal interface: a status line, actions from standard input (also when standard input or output is not a terminal)" };
        var mapping = new Option<string[]>("--mapping") { Description = "mapping profile (JSON) for the MIDI inputs: FILE for all, or PORT=FILE for the ports whose name contains PORT; repeatable [default: each device's built-in profile]" };

        var autosave = new Option<double>("--autosave") { Description = "seconds between saves of the session while training (edits are saved a second after the last)", DefaultValueFactory = _ => SessionKeeper.DefaultWhileTraining.TotalSeconds };
        var session = new Argument<string?>("SESSION") { Description = "the session folder to play: opened, or made when it does not exist [default: the last session played, else a new one in $XDG_DATA_HOME/latent-terrain]", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("play", "Play the instrument live: the terminal interface (the map, the mouse and keys, `:` for actions), played by MIDI controllers too; with --headless, a status line and actions from standard input (docs/actions.md). What you make is kept in the session, autosaved.")
        {
            session, autosave, device, inputDevice, frames, sampleRate, ahead, lead, terrain, model, attribute, gesture, record, seconds, train, epochs, midi, mapping, headless,
        };
        command.SetAction(async (result, cancel) =>
        {
            // Returns at once and plays on the thread pool: System.CommandLine installs its Ctrl-C
            // handler (which cancels the token) only once the action has returned its task; until
            // then Ctrl-C would end the process at once, the recording unwritten and a Launchpad
            // left in programmer mode.
            await Task.Yield();
            int period = result.GetValue(frames);
            if (period is < 16 or > 4096) throw new UsageException($"--frames {period}: must be 16..4096");
            int? askedRate = result.GetValue(sampleRate);
            if (askedRate is not null and (< 8000 or > 192000)) throw new UsageException($"--sample-rate {askedRate}: must be 8000..192000 Hz");
            int queued = result.GetValue(ahead);
            if (queued is < 1 or > 8) throw new UsageException($"--ahead {queued}: must be 1..8 blocks");
            double? leadMs = result.GetValue(lead);
            if (leadMs is not null and not (>= 0 and <= 100)) throw new UsageException($"--lead {leadMs}: must be 0..100 ms");
            double every = result.GetValue(autosave);
            if (every is not (>= 0.05 and <= 3600)) throw new UsageException($"--autosave {every}: must be 0.05..3600 seconds");
            double? length = result.GetValue(seconds);
            if (length is not null and (<= 0 or > 86400)) throw new UsageException($"--seconds {length}: must be more than 0 and at most 86400");
            var performance = result.GetValue(gesture) is string gesturePath ? GestureFile.Load(Options.ExistingFile(result, gesture)) : null;
            string? recordPath = result.GetValue(record) is string r ? Options.OutputFile(result, record) : null;
            var (folder, opened, leftOut) = OpenSession(result.GetValue(session));
            var kept = opened?.Contents;
            string? modelName = result.GetValue(model) ?? SessionModel(folder, kept, leftOut);
            var attributes = result.GetValue(attribute) is { Length: > 0 } given ? given : kept?.Model.Attributes.ToArray();
            var network = result.GetValue(terrain) is string ? TerrainFile.Load(Options.ExistingFile(result, terrain)) : kept?.Teaching.Network ?? DefaultTerrain.Load();
            var dataset = result.GetValue(train) is string ? DatasetFile.Load(Options.ExistingFile(result, train)) : null;
            string[] midiPorts = result.GetValue(midi) ?? [];
            bool noMidi = midiPorts.Any(port => port.Equals("none", StringComparison.OrdinalIgnoreCase));
            if (noMidi && midiPorts.Length > 1) throw new UsageException("--midi none opens no MIDI input: give it alone");

            // The interface opens wherever a person sits at a terminal; scripts and tests get the line status.
            bool onScreen = !result.GetValue(headless) && !Console.IsOutputRedirected && !Console.IsInputRedirected;
            string? outputDevice = result.GetValue(device) ?? kept?.Settings.Device;
            int rate = askedRate ?? DeviceRate(outputDevice, onScreen);
            var events = onScreen ? new EventLog() : null;
            TextWriter messages = events ?? result.InvocationConfiguration.Error;
            // Declared before the instrument, so disposed after it: no model is freed while the synth may play it.
            using var models = new LoadedModels(modelName, rate, period, attributes);
            var autoencoder = models.First;
            if (network.Config.LatentSize != autoencoder.LatentSize)
                throw new UsageException($"{(kept != null && result.GetValue(terrain) == null ? folder.Path : "--terrain")}: the terrain makes {network.Config.LatentSize} latents but {autoencoder.Name} takes {autoencoder.LatentSize}");
            using var instrument = new LiveInstrument(autoencoder, network, new LiveSettings { Device = outputDevice, InputDevice = result.GetValue(inputDevice) ?? kept?.Settings.Input, SampleRate = rate, Frames = period, AheadBlocks = queued, LeadSeconds = leadMs / 1000 },
                recordPath, withoutDevice: onScreen);
            instrument.Start();
            string resampled = autoencoder.SampleRate == rate ? "" : $" (resampled live from {autoencoder.SampleRate} Hz, {instrument.Synth.ResamplingDelaySeconds * 1000:F1} ms)";
            (events ?? console).WriteLine(instrument.HasOutput
                ? $"playing {autoencoder.Name} on {instrument.Output.DeviceName} at {rate} Hz{resampled}, {period} frames; latency about {instrument.ExpectedLatencySeconds * 1000:F1} ms by the device's figures (measured: docs/performance.md)"
                : $"{instrument.OutputProblem}; the sound starts when a device appears");
            if (instrument.HasOutput)
                (events ?? console).WriteLine(instrument.Input is { } heard ? $"listening to {heard.Name} ({heard.Channels} channel{(heard.Channels == 1 ? "" : "s")}): fragment record, point X Y input" : instrument.InputProblem);

            (events ?? console).WriteLine(kept != null
                ? $"session {folder.Path} (version {opened!.Version}): {kept.Teaching.Lesson.Fragments.Count} fragments, {kept.Teaching.Lesson.Paths.Count} paths, {kept.Teaching.Lesson.Points.Count} points"
                : $"new session {folder.Path}");

            // Bound controls perform through the actions, which take their cursors from the controllers' allocator: made below.
            PlayActions? actions = null;
            Teacher? teacher = null;
            using var learn = new MidiLearn(line => actions?.Apply(line).Text ?? "not ready yet", messages);
            string[] mappings = result.GetValue(mapping) is { Length: > 0 } chosen ? chosen : kept?.Settings.Mappings.ToArray() ?? [];
            if (kept != null)
            {
                try
                {
                    learn.Import(kept.Settings.Bindings);
                }
                catch (ArgumentException e)
                {
                    leftOut.Add($"MIDI bindings: {e.Message}");
                }
            }
            // Disposed however the command ends (Ctrl-C cancels the token and the loops below end): every touch released, Launchpads back in live mode.
            using var controllers = noMidi ? null : new LiveControllers(instrument.Synth.Cursors, instrument.Terrain,
                new LiveControllerSettings { Ports = midiPorts, Mappings = mappings }, messages,
                mayOpenJack: () => !(instrument.HasOutput && instrument.Output.HoldsDeadJackClient), learn: learn,
                storedPositions: () => teacher?.StoredNumbers ?? []);
            foreach (var input in controllers?.Inputs ?? []) (events ?? console).WriteLine(input);
            Func<bool> mayOpenJack = () => controllers?.HoldsDeadJackClients != true;

            if (performance != null) instrument.Play(performance);
            double stopAt = length ?? (performance != null ? performance.Duration + 1.0 : double.PositiveInfinity);
            var clock = Stopwatch.StartNew();
            var status = new StatusLine(console);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            string? interfaceLine = null;
            // Every cursor the performer plays takes its slot from the allocator the controllers share.
            var allocator = controllers?.Allocator ?? new CursorAllocator();
            using var teaching = teacher = new Teacher(instrument, allocator);
            if (kept != null) teacher.Restore(kept.Teaching);
            foreach (string left in leftOut) messages.WriteLine($"terrain: {left}");
            TerrainInterface? screen = null;
            var view = kept?.Settings.View ?? new ViewEntry();
            SessionSettings Settings()
            {
                var shown = screen?.View;
                return new SessionSettings
                {
                    Mappings = mappings, Device = outputDevice, Input = result.GetValue(inputDevice) ?? kept?.Settings.Input, SampleRate = askedRate, Frames = period,
                    Ahead = queued, LeadMilliseconds = leadMs, Bindings = learn.Bindings,
                    View = shown == null ? view : new ViewEntry { XMin = shown.Bounds.XMin, XMax = shown.Bounds.XMax, YMin = shown.Bounds.YMin, YMax = shown.Bounds.YMax, Channel = shown.Channel, Colour = shown.Colour },
                };
            }
            using var sessions = new SessionKeeper(folder, teacher, () => (models.Describe(instrument.Synth.Model), Settings()),
                contents => OpenWhilePlaying(contents, models, instrument, teacher, learn), messages, held: leftOut.Count > 0, TimeSpan.FromSeconds(every));
            if (dataset != null)
            {
                try
                {
                    (events ?? console).WriteLine(teacher.Import(dataset, result.GetValue(train)!));
                    (events ?? console).WriteLine(teacher.Train(result.GetValue(epochs)));
                }
                catch (RefusedException refused)
                {
                    throw new UsageException($"--train: {refused.Message}");
                }
            }
            actions = new PlayActions(instrument.Synth.Cursors, allocator,
                name => models.Switch(name, instrument),
                quit: stop.Cancel, teacher: teacher, learn: learn, sessions: sessions);
            if (onScreen)
            {
                // The control thread: the output looked after, the run ended when its time is up.
                var keeper = new Thread(() =>
                {
                    while (!stop.Token.WaitHandle.WaitOne(100))
                    {
                        instrument.KeepOutput(messages, mayOpenJack);
                        if (clock.Elapsed.TotalSeconds >= stopAt) stop.Cancel();
                    }
                }) { IsBackground = true, Name = "output keeper" };
                keeper.Start();
                var live = new LiveView(instrument, () => controllers, events!, teacher, () => sessions.Summary);
                var cost = InterfaceCost.Begin();
                screen = new TerrainInterface(live, actions, new TerrainInterfaceOptions
                {
                    Bounds = new Engine.Maps.PlaneBounds(view.XMin, view.XMax, view.YMin, view.YMax), Channel = view.Channel, Colour = view.Colour,
                });
                using (StandardErrorLog.Open())
                    screen.Run(stop.Token);
                interfaceLine = cost.End();
                stop.Cancel();
                keeper.Join();
                actions.LiftAll();
            }
            else
            {
                var input = performance == null ? StandardInput.Start(Console.In, actions, result.InvocationConfiguration.Error, console) : null;
                bool playedByMidi = controllers?.Inputs.Count > 0;
                // The end of standard input stops the instrument only when nothing else plays it; `quit` always does.
                while (clock.Elapsed.TotalSeconds < stopAt && !stop.IsCancellationRequested && !(input?.Ended == true && !playedByMidi))
                {
                    Thread.Sleep(100);
                    instrument.KeepOutput(messages, mayOpenJack);
                    status.Show(instrument, clock.Elapsed);
                }
            }
            instrument.Stop();
            status.Finish(instrument, clock.Elapsed);
            if (interfaceLine != null) console.WriteLine(interfaceLine);
            if (recordPath != null) console.WriteLine($"recorded -> {recordPath}");
            return 0;
        });
        return command;
    }
}

/// <summary>
/// What the interface cost, measured on its own thread (the one that runs it): its share of a core
/// and the managed memory it allocated (each collection pauses the synth thread too), beside the
/// whole process's.
/// </summary>
internal readonly record struct InterfaceCost(long Started, long Processor, long Allocated, long ProcessAllocated, int Collections)
{
    public static InterfaceCost Begin() => new(Stopwatch.GetTimestamp(), Engine.Synthesis.Scheduling.ThreadProcessorNanoseconds(),
        GC.GetAllocatedBytesForCurrentThread(), GC.GetTotalAllocatedBytes(), GC.CollectionCount(0));

    /// <summary>The line `play` closes with after the interface: call it on the interface's thread.</summary>
    public string End()
    {
        double seconds = Stopwatch.GetElapsedTime(Started).TotalSeconds;
        double processor = (Engine.Synthesis.Scheduling.ThreadProcessorNanoseconds() - Processor) / 1e9;
        double allocated = GC.GetAllocatedBytesForCurrentThread() - Allocated, process = GC.GetTotalAllocatedBytes() - ProcessAllocated;
        return $"interface: {seconds:F1} s, its thread {processor / seconds * 100:F1}% of a core, allocated {allocated / seconds / 1024:F0} KiB/s " +
            $"({process / seconds / 1024:F0} KiB/s in the whole process), garbage collections {GC.CollectionCount(0) - Collections} ({(GC.CollectionCount(0) - Collections) / seconds * 60:F1} a minute)";
    }
}

/// <summary>The one-line live status: rewritten in place on a terminal, a line a second otherwise.</summary>
internal sealed class StatusLine(TextWriter console)
{
    private readonly bool _terminal = !Console.IsOutputRedirected && ReferenceEquals(console, Console.Out);
    private TimeSpan _lastLine;

    public void Show(LiveInstrument instrument, TimeSpan elapsed)
    {
        if (_terminal) console.Write($"\r{Text(instrument, elapsed)}\u001b[K");
        else if (elapsed - _lastLine >= TimeSpan.FromSeconds(1))
        {
            console.WriteLine(Text(instrument, elapsed));
            _lastLine = elapsed;
        }
    }

    private readonly int _collections = GC.CollectionCount(0);

    /// <summary>
    /// The last status, then the run's health in one line: underruns (ours, and the device's own
    /// gaps), what the synth thread allocated after its warm-up, how many garbage collections
    /// ran while playing (each one pauses the synth thread), and why underruns happened: the synth
    /// needing more processor time than the queue allows (a lighter model, fewer voices or a longer
    /// --lead/--ahead helps), the device asking sooner than its period (its own timing), or the
    /// machine not giving the thread a processor in time (a real-time kernel, an idle machine, or a
    /// longer queue helps).
    /// </summary>
    public void Finish(LiveInstrument instrument, TimeSpan elapsed)
    {
        if (_terminal) console.WriteLine();
        console.WriteLine($"stopped after {elapsed.TotalSeconds:F1} s: {Text(instrument, elapsed)}");
        var synth = instrument.SynthThread;
        var (underruns, gaps) = instrument.HasOutput ? (instrument.Output.Underruns, instrument.Output.UnderflowFlags) : (0L, 0L);
        console.WriteLine($"health: underruns {underruns}, device gaps {gaps}, " +
            $"synth thread allocated {synth.AllocatedBytes} B, garbage collections {GC.CollectionCount(0) - _collections}, " +
            $"underruns by cause: synth too slow {synth.SlowUnderruns}, device early {synth.EarlyDeviceUnderruns}, " +
            $"synth thread held up {synth.HeldUpUnderruns} (at worst {synth.WorstHeldUpSeconds * 1000:F1} ms)");
    }

    private static string Text(LiveInstrument instrument, TimeSpan elapsed)
    {
        int queued = instrument.SynthThread.AheadFrames / instrument.SynthThread.BlockFrames;
        long underruns = instrument.HasOutput ? instrument.Output.Underruns : 0;
        string state = !instrument.HasOutput ? "NO DEVICE, looking for one" : instrument.Output.Lost ? "DEVICE LOST, retrying" : $"latency about {instrument.ExpectedLatencySeconds * 1000:F1} ms " +
            $"(lead {instrument.SynthThread.LeadSeconds * 1000:F1} ms, queue {queued} block{(queued == 1 ? "" : "s")})";
        string training = instrument.Training is { } t ? $" | training epoch {t.Epoch} loss {t.Loss:G3}{(t.Message != null ? $" ({t.Message})" : "")}" : "";
        var faults = instrument.Synth.Faults;
        string decoding = faults.Count > 0 ? $" | DECODER FAILED on {faults.Count} frames (silenced): {faults.Last}" : "";
        return $"{elapsed.TotalSeconds,6:F1} s | {state} | voices {instrument.Synth.SoundingVoices,2} | underruns {underruns} | synth load {instrument.SynthThread.Load * 100:F1}%{training}{decoding}";
    }
}
