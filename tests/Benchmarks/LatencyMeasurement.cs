using System.Diagnostics;
using System.Globalization;
using LatentTerrain.Engine.Audio;
using LatentTerrain.Engine.Synthesis;
using LatentTerrain.Engine.Terrain;
using LatentTerrain.Instrument;
using LatentTerrain.Instrument.Live;
using LatentTerrain.Models;
using LatentTerrain.Models.BuiltIn;
using LatentTerrain.Models.TorchScript;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Benchmarks;

/// <summary>
/// Control-to-sound latency of the live instrument, measured, not computed:
/// <c>dotnet run -c Release --project tests -- latency [trials] [--ahead N] [--lead MS] [--sync]</c>. For each model it starts a JACK
/// server of its own (dummy driver, 48 kHz, 128-frame periods), plays the default terrain and, at
/// random moments, either puts a finger down on silence (a note) or moves a sounding finger
/// across the plane (a move), noting the moment of each cursor write. A note's first changed
/// sample is its first non-zero one; a move's is the first sample that differs from the same note
/// rendered offline without the move (the synth is deterministic, so the two agree sample for
/// sample until the move is heard). It is found at two places: in a recording of the server's
/// monitor port, what the server plays, each sample timed by the server's clock of its cycle
/// (<see cref="JackMonitorRecorder"/>): the measure; and in the instrument's own recording of
/// what it hands to the device, timed by PortAudio's outputBufferDacTime of the callbacks: when the
/// server says it is heard, its output buffer included.
/// </summary>
public static class LatencyMeasurement
{
    public const string Command = "latency";
    private const int Rate = 48000;

    public static int Run(string[] arguments)
    {
        var options = LiveOptions.Parse(arguments);
        int trials = options.Positional is string count ? int.Parse(count, CultureInfo.InvariantCulture) : 40;
        string models = Paths.NewScratch();
        PeerPython.Run(Path.Combine(Paths.Repository, "tests", "peer", "nn_models.py"), models, "--ratio", "2048", "--only-streaming");
        var cases = new (string Name, Func<IAutoencoder> Open)[]
        {
            ("built-in codec, frame 128", () => new BuiltInCodec(new BuiltInCodecOptions { SampleRate = Rate, Ratio = 128 })),
            ("built-in codec, frame 2048", () => new BuiltInCodec(new BuiltInCodecOptions { SampleRate = Rate, Ratio = 2048 })),
            ("TorchScript test decoder, frame 2048", () => TorchScriptModel.Open(Path.Combine(models, "streaming_r44100.ts"), new ModelOptions { SampleRate = Rate })),
        };
        Console.WriteLine($"{options.Describe()}, {trials} trials of each kind");
        Console.WriteLine("| model | what | until | min | median | mean | 95th pct | max | jitter (std) | underruns |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var (name, open) in cases)
        {
            using var model = open();
            var (latencies, underruns) = Measure(model, trials, options);
            Console.WriteLine(Row(name, "note on silence", "server's output", latencies.Notes.AtMonitor, underruns));
            Console.WriteLine(Row(name, "note on silence", "heard (server's report)", latencies.Notes.Heard, underruns));
            Console.WriteLine(Row(name, "move of a sounding finger", "server's output", latencies.Moves.AtMonitor, underruns));
            Console.WriteLine(Row(name, "move of a sounding finger", "heard (server's report)", latencies.Moves.Heard, underruns));
        }
        return 0;
    }

    private static string Row(string name, string what, string until, double[] latencies, long underruns)
    {
        Array.Sort(latencies);
        double mean = latencies.Average();
        double std = Math.Sqrt(latencies.Sum(l => (l - mean) * (l - mean)) / latencies.Length);
        static string Ms(double seconds) => $"{seconds * 1000:F2} ms";
        return $"| {name} | {what} | {until} | {Ms(latencies[0])} | {Ms(latencies[latencies.Length / 2])} | {Ms(mean)} | " +
            $"{Ms(latencies[(int)(0.95 * (latencies.Length - 1))])} | {Ms(latencies[^1])} | {Ms(std)} | {underruns} |";
    }

    private sealed record Latencies(double[] AtMonitor, double[] Heard);

    private static ((Latencies Notes, Latencies Moves), long Underruns) Measure(IAutoencoder model, int trials, LiveOptions options)
    {
        using var server = JackServer.Start(synchronous: options.Synchronous);
        using var monitor = new JackMonitorRecorder(seconds: 3 + 1.1 * trials);
        string recording = Path.Combine(Paths.NewScratch(), "played.wav");
        var terrain = DefaultTerrain.Load();
        var random = new Random(model.Ratio);
        var trial = new Trial[trials];
        using var instrument = new LiveInstrument(model, terrain, options.Settings, recording);
        monitor.Start();
        instrument.Start();
        Thread.Sleep(300);
        var cursors = instrument.Synth.Cursors;
        for (int i = 0; i < trials; i++)
        {
            // Random waits, so that writes fall anywhere in the device's period and the model's frame.
            Thread.Sleep(500 + random.Next(0, 50));
            var (from, to) = (Place(random), Place(random));
            trial[i].From = from;
            trial[i].Note = Write.Now(instrument);
            cursors.Move(0, from.X, from.Y, 1f);
            Thread.Sleep(150 + random.Next(0, 50));
            trial[i].Move = Write.Now(instrument);
            cursors.Move(0, to.X, to.Y, 1f);
            Thread.Sleep(150);
            cursors.Release(0);
            // The move is heard by now: a callback after it says when ring frames are heard.
            trial[i].Clock = instrument.Output.LastCallback!.Value;
        }
        Thread.Sleep(500);
        // Stopping completes the recording; the output still knows when its frames were heard.
        instrument.Stop();
        var atMonitor = monitor.Stop();
        var played = AudioFile.Read(recording).Channel(0).ToArray();
        long dropped = instrument.SynthThread.DroppedRecordingFrames;
        if (dropped > 0) Console.WriteLine($"// {model.Name}: the recorder could not keep up and dropped {dropped} frames: the trials after that are misplaced");
        var (serverLate, _) = JackServer.Xruns(server.Logged());
        Console.WriteLine($"// {model.Name}: {instrument.Output.Underruns} underruns, the server's own cycles late {serverLate} times, lead at the end {instrument.SynthThread.LeadSeconds * 1000:F1} ms");

        var unmoved = trial.Select(t => Unmoved(model, terrain, t.From, frames: Rate / 2)).ToArray();
        var heard = Changes(played, unmoved, (i, frame) =>
            trial[i].Clock.HeardAt + (double)(frame - trial[i].Clock.Frame) / Rate, trial.Select(t => (t.Note.StreamTime, t.Move.StreamTime)));
        var output = Changes(atMonitor, unmoved, (_, frame) => monitor.MomentOf(frame) / 1e6,
            trial.Select(t => (t.Note.ServerMicroseconds / 1e6, t.Move.ServerMicroseconds / 1e6)));
        return ((new Latencies(output.Notes, heard.Notes), new Latencies(output.Moves, heard.Moves)), instrument.Output.Underruns);
    }

    /// <summary>
    /// Each trial's note and move latency in one recording: when its first changed samples are
    /// heard (<paramref name="momentOf"/>, in seconds, by trial and frame) less when they were written.
    /// </summary>
    private static (double[] Notes, double[] Moves) Changes(float[] recording, float[][] unmoved,
        Func<int, long, double> momentOf, IEnumerable<(double Note, double Move)> writes)
    {
        var onsets = Onsets(recording, Rate / 20);
        if (onsets.Count != unmoved.Length) throw new InvalidOperationException($"found {onsets.Count} notes in a recording, not {unmoved.Length}");
        var notes = new double[unmoved.Length];
        var moves = new double[unmoved.Length];
        int i = 0;
        foreach (var (note, move) in writes)
        {
            notes[i] = momentOf(i, onsets[i]) - note;
            moves[i] = momentOf(i, onsets[i] + FirstDifference(recording, onsets[i], unmoved[i])) - move;
            i++;
        }
        return (notes, moves);
    }

    /// <summary>A cursor write's moment in the two clocks: PortAudio's stream time and the JACK server's.</summary>
    private readonly record struct Write(double StreamTime, double ServerMicroseconds)
    {
        public static Write Now(LiveInstrument instrument)
        {
            ulong before = JackMonitorRecorder.Now();
            double stream = instrument.Output.StreamTime;
            return new Write(stream, (before + JackMonitorRecorder.Now()) / 2.0);
        }
    }

    private struct Trial
    {
        public (float X, float Y) From;
        public Write Note, Move;
        public (long Frame, double HeardAt) Clock;
    }

    private static (float X, float Y) Place(Random random) => (-12f + random.NextSingle() * 24f, -3f + random.NextSingle() * 6f);

    /// <summary>The same note offline, never moved: what the recording holds until the move is heard.</summary>
    private static float[] Unmoved(IAutoencoder model, TerrainNetwork terrain, (float X, float Y) at, int frames)
    {
        using var synth = new Synth(model, new TerrainSnapshots(terrain), new SynthSettings { OutputChannels = 2 });
        synth.Cursors.Move(0, at.X, at.Y, 1f);
        // On the live synth's grid of 128-frame blocks.
        var stereo = new float[frames / 128 * 128 * 2];
        for (int start = 0; start < stereo.Length; start += 256) synth.Render(stereo.AsSpan(start, 256));
        return [.. stereo.Where((_, i) => i % 2 == 0)];
    }

    private static int FirstDifference(float[] played, int onset, float[] unmoved)
    {
        for (int i = 0; i < unmoved.Length && onset + i < played.Length; i++)
            if (played[onset + i] != unmoved[i]) return i;
        throw new InvalidOperationException($"the note at sample {onset} never differs from its unmoved rendering");
    }

    /// <summary>The first sample of each sound that follows at least <paramref name="silence"/> samples of exact zeros.</summary>
    private static List<int> Onsets(ReadOnlySpan<float> signal, int silence)
    {
        var onsets = new List<int>();
        int quiet = silence;
        for (int i = 0; i < signal.Length; i++)
        {
            if (signal[i] == 0f) quiet++;
            else
            {
                if (quiet >= silence) onsets.Add(i);
                quiet = 0;
            }
        }
        return onsets;
    }
}
