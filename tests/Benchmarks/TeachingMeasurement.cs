using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LatentTerrain.Engine.Audio;
using LatentTerrain.Engine.Rendering;
using LatentTerrain.Engine.Terrain;
using LatentTerrain.Instrument;
using LatentTerrain.Instrument.Live;
using LatentTerrain.Instrument.Teaching;
using LatentTerrain.Mappings;
using LatentTerrain.Models;
using LatentTerrain.Models.BuiltIn;
using LatentTerrain.Models.TorchScript;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Benchmarks;

/// <summary>
/// Teaching while playing, against the reference's PyTorch, not for CI:
/// <c>dotnet run -c Release --project tests -- teaching [repeats]</c> (3 by default). Each run, through a
/// JACK server of its own with four voices sounding (the cursor board, a looped gesture):
/// <list type="bullet">
/// <item>Encoding: eight synthetic sounds of 5 s (glides, chords, noise bursts, bells..., 48 kHz WAV files)
/// added as fragments by <see cref="Teacher.AddFile"/>, as <c>fragment add</c> does (read, resampled to the
/// model's rate, encoded on the teacher's encoder thread), for the built-in codec (encoding at frames of
/// 2048) and the TorchScript test model (tests/peer/nn_models.py, frame 2048 at 44.1 kHz); the model's
/// Encode alone on the same audio; and for the TorchScript model torch.jit's encode of it
/// (tests/peer/teaching_peer.py). Seconds of audio per second of wall time, after one untimed fragment.</item>
/// <item>Training: a serpentine path for each built-in fragment (one cell of a 2 x 4 grid of the map each,
/// cut to its frames' length at density 0.4), the lesson's pairs and a fresh terrain handed to the peer,
/// which trains the reference's `train` (10 epochs, Adam, lr 1e-3, batch 32, shuffled, last partial batch
/// kept) and reports its last epoch's loss L10 and wall time; then ours, live, from the same terrain on
/// the same pairs: a <see cref="BackgroundTrainer"/> as <see cref="Teacher.Train"/> starts one, timed from
/// the pairs' making to the first epoch whose loss is below L10, and again for 10 epochs; the underruns
/// while it trains. Each side trains three times alike (the same start, the same shuffles) and its fastest
/// counts: the machine is shared, and the fastest is the training its other work disturbed least.</item>
/// </list>
/// Both sides are warmed up (PyTorch by a throwaway epoch, ours by a throwaway run) and run one thread
/// each (OpenBLAS's too), the peer's training at the niceness the instrument gives its trainer (19), so that
/// whatever else the machine runs weighs on both alike. It prints each run, then the medians and ranges.
/// </summary>
public static class TeachingMeasurement
{
    public const string Command = "teaching";
    private const int Rate = 48000, Voices = 4;
    private const double FragmentSeconds = 5;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);
    /// <summary>Trainings timed alike, back to back, in each run on each side: the fastest counts, the one the machine's other work disturbed least.</summary>
    private const int Tries = 3;

    private sealed record Encoding(double FragmentAdd, double EncodeAlone, double? Peer);
    /// <param name="PeerCpu">The peer's CPU time over its wall time in its fastest training (1: it had a core throughout).</param>
    /// <param name="Cpu">Ours, the whole process's (the synth thread's too) over all our timed trainings.</param>
    private sealed record Training(double PeerSeconds, double PeerLoss, double PeerCpu, double? UntilSeconds, int UntilEpochs, double TenSeconds, double TenLoss,
        double Cpu, long Underruns, int ServerLate);
    private sealed record Take(Encoding BuiltIn, Encoding TorchScript, Training Training);

    public static int Run(string[] arguments)
    {
        int repeats = arguments is [var count] ? int.Parse(count, CultureInfo.InvariantCulture)
            : arguments.Length == 0 ? 3 : throw new ArgumentException("usage: teaching [repeats]");
        string scratch = Paths.NewScratch();
        var sounds = TeachingSounds.Write(scratch, Rate, FragmentSeconds);
        PeerPython.Run("nn_models.py", scratch, "--only-streaming", "--ratio", "2048");
        string torchModel = Path.Combine(scratch, "streaming_r44100.ts");
        using var server = JackServer.Start();
        Console.WriteLine($"{Environment.ProcessorCount} cores; {sounds.Length} fragments of {FragmentSeconds} s; {Voices} voices sounding; PyTorch on {BlasLibrary()}, one thread each, " +
            "training at our trainer's niceness (19)");

        var takes = new List<Take>();
        for (int run = 1; run <= repeats; run++)
        {
            var torchScript = EncodeWithTorchScript(torchModel, sounds, scratch);
            var (builtIn, training) = TeachBuiltIn(sounds, scratch, server, seed: run);
            var take = new Take(builtIn, torchScript, training);
            takes.Add(take);
            Console.WriteLine($"// run {run}: {Describe(take)}");
        }

        Console.WriteLine();
        PrintRuns(takes);
        Console.WriteLine();
        PrintSummary(takes);
        return 0;
    }

    private static void PrintRuns(List<Take> takes)
    {
        Console.WriteLine("| run | PyTorch: 10 epochs (loss L10) | ours: until loss < L10 (epochs) | speed-up | ours: 10 epochs (loss) | speed-up | underruns while training (server's own late cycles) |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- |");
        foreach (var (take, run) in takes.Select((t, i) => (t.Training, i + 1)))
        {
            string until = take.UntilSeconds is double u ? $"{Ms(u)} ({take.UntilEpochs})" : $"not within {take.UntilEpochs} epochs";
            string untilRatio = take.UntilSeconds is double s ? $"{take.PeerSeconds / s:F1}x" : "";
            Console.WriteLine($"| {run} | {Ms(take.PeerSeconds)} ({take.PeerLoss:G3}) | {until} | {untilRatio} | {Ms(take.TenSeconds)} ({take.TenLoss:G3}) | {take.PeerSeconds / take.TenSeconds:F1}x | {take.Underruns} ({take.ServerLate}) |");
        }
        Console.WriteLine();
        Console.WriteLine("| model | run | fragment add, 5 s (read, resample, encode) | encode alone | PyTorch's encode (torch.jit) | ours (encode alone) against PyTorch |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- |");
        foreach (var (name, pick) in Models)
            foreach (var (e, run) in takes.Select((t, i) => (pick(t), i + 1)))
                Console.WriteLine($"| {name} | {run} | {e.FragmentAdd:F0}x real time | {e.EncodeAlone:F0}x | {(e.Peer is double p ? $"{p:F0}x" : "")} | {(e.Peer is double q ? $"{e.EncodeAlone / q:F2}x" : "")} |");
    }

    private static readonly (string Name, Func<Take, Encoding> Pick)[] Models =
        [("built-in codec, frame 2048", t => t.BuiltIn), ("TorchScript test model, frame 2048", t => t.TorchScript)];

    /// <summary>The README's table: each figure the median of the runs, their range in brackets.</summary>
    private static void PrintSummary(List<Take> takes)
    {
        string Spread(Func<Take, double> pick, Func<double, string> show)
        {
            var values = takes.Select(pick).Order().ToArray();
            string median = show(values.Length % 2 == 1 ? values[values.Length / 2] : (values[values.Length / 2 - 1] + values[values.Length / 2]) / 2);
            return values.Length == 1 ? median : $"{median} ({show(values[0])}-{show(values[^1])})";
        }
        static string Times(double x) => $"{x:F1}x";
        static string RealTime(double x) => $"{x:F0}x";
        var reached = takes.Where(t => t.Training.UntilSeconds != null).ToList();
        Console.WriteLine($"| teaching, median of {takes.Count} runs (range) | ours | PyTorch | speed-up |");
        Console.WriteLine("| --- | --- | --- | --- |");
        if (reached.Count < takes.Count) Console.WriteLine($"| a usable terrain | not reached in {takes.Count - reached.Count} runs | | |");
        else Console.WriteLine($"| a usable terrain: from `train` until the loss is below PyTorch's after 10 epochs | {Spread(t => t.Training.UntilSeconds!.Value, Ms)} " +
            $"| {Spread(t => t.Training.PeerSeconds, Ms)} | {Spread(t => t.Training.PeerSeconds / t.Training.UntilSeconds!.Value, Times)} |");
        Console.WriteLine($"| the reference's `train`: 10 epochs | {Spread(t => t.Training.TenSeconds, Ms)} | {Spread(t => t.Training.PeerSeconds, Ms)} | {Spread(t => t.Training.PeerSeconds / t.Training.TenSeconds, Times)} |");
        Console.WriteLine($"| underruns while training (four voices) | {Spread(t => t.Training.Underruns, v => $"{v:F0}")} | | |");
        foreach (var (name, pick) in Models)
        {
            Console.WriteLine($"| encoding 5 s, {name}: `fragment add` | {Spread(t => pick(t).FragmentAdd, RealTime)} real time | | |");
            string peer = takes.All(t => pick(t).Peer != null) ? Spread(t => pick(t).Peer!.Value, RealTime) + " real time" : "";
            string ratio = peer.Length > 0 ? Spread(t => pick(t).EncodeAlone / pick(t).Peer!.Value, v => $"{v:F2}x") : "";
            Console.WriteLine($"| encoding 5 s, {name}: the model's encode alone | {Spread(t => pick(t).EncodeAlone, RealTime)} real time | {peer} | {ratio} |");
        }
    }

    private static string Describe(Take take)
    {
        var t = take.Training;
        return $"PyTorch 10 epochs {Ms(t.PeerSeconds)} to {t.PeerLoss:G4} (CPU {t.PeerCpu:P0} of a core); ours below it after {t.UntilEpochs} epochs in {(t.UntilSeconds is double u ? Ms(u) : "-")}, " +
            $"10 epochs {Ms(t.TenSeconds)} to {t.TenLoss:G4} (process CPU {t.Cpu:P0} of a core); {t.Underruns} underruns; encoding x real time: built-in {take.BuiltIn.FragmentAdd:F0} (alone {take.BuiltIn.EncodeAlone:F0}), " +
            $"TorchScript {take.TorchScript.FragmentAdd:F0} (alone {take.TorchScript.EncodeAlone:F0}, PyTorch {take.TorchScript.Peer:F0})";
    }

    private static string Ms(double seconds) => $"{seconds * 1000:F0} ms";

    private static string BlasLibrary()
    {
        const string link = "/etc/alternatives/libblas.so.3-x86_64-linux-gnu";
        return File.Exists(link) ? new FileInfo(link).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? link : "its own BLAS";
    }

    /// <summary>An instrument playing <paramref name="model"/> with four voices circling, and a teacher of it.</summary>
    private sealed class Session : IDisposable
    {
        public LiveInstrument Instrument { get; }
        public Teacher Teacher { get; }

        public Session(IAutoencoder model)
        {
            Instrument = new LiveInstrument(model, DefaultTerrain.Load(), new LiveSettings { SampleRate = Rate });
            Instrument.Start();
            Teacher = new Teacher(Instrument, new CursorAllocator());
        }

        public void Sound(bool on) => Instrument.Play(on
            ? new GesturePlayer(Performances.Circling(Voices, 60, lifting: false), Instrument.Synth.Cursors, Rate) { LoopSeconds = 60 }
            : null);

        /// <summary>
        /// Adds every sound as a fragment and times them (seconds of audio a second), then the model's Encode
        /// alone on the same audio, on this thread; each after one untimed call.
        /// </summary>
        public (double FragmentAdd, double EncodeAlone) Encode(string[] sounds, IAutoencoder encoder)
        {
            Teacher.AddFile(sounds[0]);
            Teacher.DeleteFragment(1);
            var clock = Stopwatch.StartNew();
            foreach (string sound in sounds) Teacher.AddFile(sound);
            double adds = clock.Elapsed.TotalSeconds;
            var fragments = Teacher.Lesson.Fragments.Values.ToArray();
            encoder.Encode(fragments[0].Audio!.Samples);
            clock.Restart();
            foreach (var fragment in fragments) encoder.Encode(fragment.Audio!.Samples);
            double alone = clock.Elapsed.TotalSeconds;
            double audio = fragments.Sum(f => f.Seconds);
            return (audio / adds, audio / alone);
        }

        public void Dispose()
        {
            Sound(false);
            Teacher.Dispose();
            Instrument.Stop();
            Instrument.Dispose();
        }
    }

    private static Encoding EncodeWithTorchScript(string modelPath, string[] sounds, string scratch)
    {
        using var model = TorchScriptModel.Open(modelPath, new ModelOptions());
        double add, alone;
        string[] resampled;
        using (var session = new Session(model))
        {
            session.Sound(true);
            (add, alone) = session.Encode(sounds, model);
            resampled = [.. session.Teacher.Lesson.Fragments.Values.Select(f => WriteFloats(Path.Combine(scratch, $"torch-{f.Number}.f32"), f.Audio!.Samples))];
        }
        using var answer = JsonDocument.Parse(PeerPython.Run("teaching_peer.py", ["encode", modelPath, .. resampled]));
        double seconds = answer.RootElement.GetProperty("seconds").EnumerateArray().Sum(s => s.GetDouble());
        double samples = answer.RootElement.GetProperty("samples").EnumerateArray().Sum(s => s.GetDouble());
        return new Encoding(add, alone, samples / model.SampleRate / seconds);
    }

    private static string WriteFloats(string path, float[] samples)
    {
        using var file = File.Create(path);
        file.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(samples.AsSpan()));
        return path;
    }

    private static (Encoding, Training) TeachBuiltIn(string[] sounds, string scratch, JackServer server, int seed)
    {
        using var codec = new BuiltInCodec(new BuiltInCodecOptions { SampleRate = Rate, Ratio = 128 });
        using var encoder = new BuiltInCodec(new BuiltInCodecOptions { SampleRate = Rate, Ratio = 2048 });
        using var session = new Session(codec);
        session.Sound(true);
        var (add, alone) = session.Encode(sounds, encoder);
        var teacher = session.Teacher;
        foreach (var (number, index) in teacher.Lesson.Fragments.Keys.Select((n, i) => (n, i)))
        {
            string answer = teacher.SetPath(number, Serpentine(index));
            if (!answer.Contains("complete", StringComparison.Ordinal) || answer.Contains("incomplete", StringComparison.Ordinal))
                throw new InvalidOperationException($"path {number}: {answer}");
        }

        // The reference's `train` in PyTorch, while the instrument is silent.
        session.Sound(false);
        var options = new TrainingOptions { Seed = seed };
        var start = TerrainNetwork.Create(new TerrainConfig { Seed = seed });
        var pairs = teacher.Lesson.ToDataset(codec.LatentSize).ToPairs();
        string request = Path.Combine(scratch, $"teach-{seed}.json");
        File.WriteAllText(request, JsonSerializer.Serialize(new
        {
            config = new { start.Config.InputDims, start.Config.LatentSize, start.Config.Width, start.Config.Depth, start.Config.FourierFeatures, start.Config.Sigma, Activation = start.Config.Activation.ToString() },
            tensors = start.ToTensors().Select(t => new { name = t.Name, shape = t.Shape, data = t.Data }),
            coordinates = pairs.Coordinates,
            latents = pairs.Latents,
            epochs = options.Epochs,
            batch = options.BatchSize,
            lr = options.LearningRate,
            seed,
            repeats = Tries,
        }));
        using var peer = JsonDocument.Parse(PeerPython.Run("teaching_peer.py", "train", request));
        var peerRuns = peer.RootElement.GetProperty("runs").EnumerateArray().Select(run =>
            (Seconds: run.GetProperty("seconds").GetDouble(), Cpu: run.GetProperty("cpu").GetDouble(), Loss: (float)run.GetProperty("losses").EnumerateArray().Last().GetDouble())).ToArray();
        var (peerSeconds, peerCpu, peerLoss) = peerRuns.MinBy(run => run.Seconds);
        if (seed == 1) Console.WriteLine($"// PyTorch {peer.RootElement.GetProperty("torch").GetString()}; {pairs.Count} pairs");

        // Ours, live: four voices, warmed up by a throwaway run, then the two timed ones.
        session.Sound(true);
        Thread.Sleep(500);
        var instrument = session.Instrument;
        Train(instrument, teacher, start, options, epochs: 30, _ => false);
        Thread.Sleep(500);
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        long underruns = instrument.Output.Underruns;
        int logged = server.Logged().Length;
        var process = Process.GetCurrentProcess();
        var (cpuBefore, wall) = (process.TotalProcessorTime, Stopwatch.StartNew());
        var until = Enumerable.Range(0, Tries).Select(_ => Train(instrument, teacher, start, options, epochs: null, loss => loss < peerLoss)).ToArray();
        var ten = Enumerable.Range(0, Tries).Select(_ => Train(instrument, teacher, start, options, epochs: options.Epochs, _ => false)).ToArray();
        var (untilSeconds, untilEpochs) = (until.Min(t => t.Seconds), until[0].Epochs);
        var (tenSeconds, tenLoss) = (ten.Min(t => t.Seconds), ten[0].Loss);
        process.Refresh();
        double cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds / wall.Elapsed.TotalSeconds;
        var training = new Training(peerSeconds, peerLoss, peerCpu, untilSeconds, untilEpochs, tenSeconds!.Value, tenLoss,
            cpu, instrument.Output.Underruns - underruns, JackServer.Xruns(server.Logged()[logged..]).ServerLate);
        return (new Encoding(add, alone, null), training);
    }

    /// <summary>
    /// Trains the lesson live from <paramref name="start"/>, as <see cref="Teacher.Train"/> starts a run, timed from the
    /// pairs' making: for <paramref name="epochs"/>, or (null) until an epoch's loss is <paramref name="enough"/> (at most
    /// 1000 epochs). Returns the seconds (null when never enough), the epochs and the last epoch's loss.
    /// </summary>
    private static (double? Seconds, int Epochs, float Loss) Train(LiveInstrument instrument, Teacher teacher, TerrainNetwork start, TrainingOptions options, int? epochs, Func<float, bool> enough)
    {
        const int most = 1000;
        instrument.Terrain.Publish(start);
        double? seconds = null;
        int seen = 0;
        float last = float.NaN;
        using var done = new ManualResetEventSlim();
        var clock = Stopwatch.StartNew();
        var pairs = teacher.Lesson.ToDataset(instrument.Synth.Model.LatentSize).ToPairs();
        using var run = new BackgroundTrainer(instrument.Terrain, new TerrainTrainer(start, pairs, options), epochs);
        run.ProgressChanged += progress =>
        {
            if (progress.Epoch == seen || done.IsSet) return;
            (seen, last) = (progress.Epoch, progress.Loss);
            if (enough(last) || seen == (epochs ?? most))
            {
                if (enough(last) || epochs != null) seconds = clock.Elapsed.TotalSeconds;
                done.Set();
            }
        };
        instrument.Train(run);
        if (!done.Wait(Patience)) throw new TimeoutException($"training did not end within {Patience}");
        run.Cancel();
        run.Wait(Timeout.InfiniteTimeSpan);
        return (seconds, seen, last);
    }

    /// <summary>
    /// The path of the <paramref name="index"/>-th fragment: a serpentine of three passes in its own cell of a
    /// 2 x 4 grid of the map (x -16..16, y -4..4), 47 units long (SetPath cuts it at its frames' length).
    /// </summary>
    private static (float X, float Y)[] Serpentine(int index)
    {
        float x0 = -16f + 16f * (index % 2), y0 = -4f + 2f * (index / 2);
        float left = x0 + 0.4f, right = x0 + 15.6f;
        return [(left, y0 + 0.3f), (right, y0 + 0.3f), (right, y0 + 1f), (left, y0 + 1f), (left, y0 + 1.7f), (right, y0 + 1.7f)];
    }
}

/// <summary>Eight distinct synthetic sounds for the teaching measurement, each with its own envelope, as mono WAV files.</summary>
public static class TeachingSounds
{
    public static string[] Write(string folder, int rate, double seconds)
    {
        int frames = (int)(seconds * rate);
        var random = new Random(8);
        Func<double, double>[] sounds =
        [
            t => Envelope(t, seconds, 0.05, 0.5) * Harmonics(Glide(t, 110, 880, seconds), 5, 0.6),
            t => Envelope(t, seconds, 0.3, 1.5) * Harmonics(Glide(t, 1200, 150, seconds), 2, 0.3),
            t => (0.6 + 0.4 * Math.Sin(2 * Math.PI * 3 * t)) * Chord(t, 220, 277.18, 329.63) * Envelope(t, seconds, 0.02, 0.3),
            t => Math.Pow(Math.Sin(Math.PI * t / seconds), 2) * Chord(t, 146.83, 174.61, 220),
            t => Math.Exp(-12 * (t % 0.25)) * (2 * random.NextDouble() - 1),
            t => Math.Exp(-4 * (t % 0.5)) * Math.Sin(2 * Math.PI * (400 + 100 * (int)(t / 0.5) % 500) * t + 2 * Math.Sin(2 * Math.PI * 560 * t)),
            t => Envelope(t, seconds, 1, 1) * Harmonics(65 * t + 5 / (2 * Math.PI * 5) * Math.Sin(2 * Math.PI * 5 * t), 12, 0.3 + 0.6 * t / seconds),
            Sweep(random, rate, seconds),
        ];
        var paths = new string[sounds.Length];
        for (int s = 0; s < sounds.Length; s++)
        {
            var samples = new float[frames];
            for (int i = 0; i < frames; i++) samples[i] = (float)(0.4 * sounds[s]((double)i / rate));
            paths[s] = Path.Combine(folder, $"sound{s + 1}.wav");
            AudioFile.Write(paths[s], new AudioBuffer(rate, 1, samples));
        }
        return paths;
    }

    /// <summary>Attack and release (seconds) over a sound of <paramref name="length"/>.</summary>
    private static double Envelope(double t, double length, double attack, double release) =>
        Math.Min(1, Math.Min(t / attack, (length - t) / release));

    /// <summary>The phase in cycles of an exponential glide from <paramref name="from"/> to <paramref name="to"/> Hz.</summary>
    private static double Glide(double t, double from, double to, double length)
    {
        double k = Math.Log(to / from) / length;
        return from * (Math.Exp(k * t) - 1) / k;
    }

    /// <summary><paramref name="count"/> harmonics of a phase in cycles, each <paramref name="rolloff"/> times the one before.</summary>
    private static double Harmonics(double cycles, int count, double rolloff)
    {
        double sum = 0, amplitude = 1, total = 0;
        for (int h = 1; h <= count; h++, amplitude *= rolloff)
        {
            sum += amplitude * Math.Sin(2 * Math.PI * h * cycles);
            total += amplitude;
        }
        return sum / total;
    }

    private static double Chord(double t, params double[] frequencies) => frequencies.Sum(f => Harmonics(f * t, 3, 0.4)) / frequencies.Length;

    /// <summary>Noise through a one-pole low-pass whose cutoff sweeps up and down, in swells.</summary>
    private static Func<double, double> Sweep(Random random, int rate, double length)
    {
        double state = 0;
        return t =>
        {
            double cutoff = 200 * Math.Pow(40, 0.5 - 0.5 * Math.Cos(2 * Math.PI * t / length * 2));
            double a = 1 - Math.Exp(-2 * Math.PI * cutoff / rate);
            state += a * ((2 * random.NextDouble() - 1) - state);
            return 2.5 * state * (0.5 + 0.5 * Math.Sin(2 * Math.PI * 0.8 * t));
        };
    }
}
