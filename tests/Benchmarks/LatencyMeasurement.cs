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
/// across the plane (a move), noting PortAudio's stream time of each cursor write. The instrument
/// records what it hands to the device. A note's first changed sample is its first non-zero one; a
/// move's is the first sample that differs from the same note rendered offline without the move
/// (the synth is deterministic, so the two agree sample for sample until the move is heard).
/// PortAudio's outputBufferDacTime of the callbacks says when that sample is heard; the difference
/// from the write is the latency, everything a performer hears.
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
        Console.WriteLine("| model | what | min | median | mean | 95th pct | max | jitter (std) | underruns |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var (name, open) in cases)
        {
            using var model = open();
            var (notes, moves, underruns) = Measure(model, trials, options);
            Console.WriteLine(Row(name, "note on silence", notes, underruns));
            Console.WriteLine(Row(name, "move of a sounding finger", moves, underruns));
        }
        return 0;
    }

    private static string Row(string name, string what, double[] latencies, long underruns)
    {
        Array.Sort(latencies);
        double mean = latencies.Average();
        double std = Math.Sqrt(latencies.Sum(l => (l - mean) * (l - mean)) / latencies.Length);
        static string Ms(double seconds) => $"{seconds * 1000:F2} ms";
        return $"| {name} | {what} | {Ms(latencies[0])} | {Ms(latencies[latencies.Length / 2])} | {Ms(mean)} | " +
            $"{Ms(latencies[(int)(0.95 * (latencies.Length - 1))])} | {Ms(latencies[^1])} | {Ms(std)} | {underruns} |";
    }

    private static (double[] Notes, double[] Moves, long Underruns) Measure(IAutoencoder model, int trials, LiveOptions options)
    {
        using var server = JackServer.Start(synchronous: options.Synchronous);
        string recording = Path.Combine(Paths.NewScratch(), "played.wav");
        var terrain = DefaultTerrain.Load();
        var random = new Random(model.Ratio);
        var trial = new Trial[trials];
        LiveInstrument instrument;
        using (instrument = new LiveInstrument(model, terrain, options.Settings, recording))
        {
            instrument.Start();
            Thread.Sleep(300);
            var cursors = instrument.Synth.Cursors;
            for (int i = 0; i < trials; i++)
            {
                // Random waits, so that writes fall anywhere in the device's period and the model's frame.
                Thread.Sleep(500 + random.Next(0, 50));
                var (from, to) = (Place(random), Place(random));
                trial[i].From = from;
                trial[i].NoteWrite = instrument.Output.StreamTime;
                cursors.Move(0, from.X, from.Y, 1f);
                Thread.Sleep(150 + random.Next(0, 50));
                trial[i].MoveWrite = instrument.Output.StreamTime;
                cursors.Move(0, to.X, to.Y, 1f);
                Thread.Sleep(150);
                cursors.Release(0);
                // The move is heard by now: a callback after it says when ring frames are heard.
                trial[i].Clock = instrument.Output.LastCallback!.Value;
            }
            Thread.Sleep(500);
            // Stopping completes the recording; the output still knows when its frames were heard.
            instrument.Stop();
            var played = AudioFile.Read(recording).Channel(0).ToArray();
            var onsets = Onsets(played, Rate / 20);
            if (onsets.Count != trials) throw new InvalidOperationException($"found {onsets.Count} notes in the recording, not {trials}");
            var notes = new double[trials];
            var moves = new double[trials];
            for (int i = 0; i < trials; i++)
            {
                var t = trial[i];
                double HeardAt(long frame) => t.Clock.HeardAt + (double)(frame - t.Clock.Frame) / Rate;
                notes[i] = HeardAt(onsets[i]) - t.NoteWrite;
                int changed = FirstDifference(played, onsets[i], Unmoved(model, terrain, t.From, frames: Rate / 2));
                moves[i] = HeardAt(onsets[i] + changed) - t.MoveWrite;
            }
            long dropped = instrument.SynthThread.DroppedRecordingFrames;
            if (dropped > 0) Console.WriteLine($"// {model.Name}: the recorder could not keep up and dropped {dropped} frames: the trials after that are misplaced");
            return (notes, moves, instrument.Output.Underruns);
        }
    }

    private struct Trial
    {
        public (float X, float Y) From;
        public double NoteWrite, MoveWrite;
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
