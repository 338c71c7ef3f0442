using System.Globalization;
using LatentTerrain.Engine.Audio;
using LatentTerrain.Instrument;
using LatentTerrain.Instrument.Live;
using LatentTerrain.Models.BuiltIn;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Benchmarks;

/// <summary>
/// Control-to-sound latency of the live instrument, measured, not computed:
/// <c>dotnet run -c Release --project tests -- latency [trials]</c>. It starts a JACK server of its
/// own (dummy driver, 48 kHz, 128-frame periods), plays the built-in codec on the default terrain,
/// and puts a finger down on silence again and again at random moments, noting PortAudio's
/// stream time of each cursor write. The instrument records what it hands to the device; the
/// first changed sample after each write is found in that recording, and PortAudio's
/// outputBufferDacTime (of the callbacks, moved by the frames between) says when that sample is
/// heard. The difference is the latency: the wait for the next block, the queue, and the
/// device's own buffer, everything a performer hears.
/// </summary>
public static class LatencyMeasurement
{
    public const string Command = "latency";
    private static readonly double? Lead = Environment.GetEnvironmentVariable("LEAD") is string ms ? (ms == "none" ? null : double.Parse(ms, CultureInfo.InvariantCulture) / 1000) : new LiveSettings().LeadSeconds;

    public static int Run(string[] arguments)
    {
        int trials = arguments is [var count] ? int.Parse(count, CultureInfo.InvariantCulture) : 50;
        Console.WriteLine("| codec frame (ratio) | trials | min | median | mean | 95th pct | max | jitter (std) | underruns |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (int ratio in new[] { 128, 2048 })
        {
            var (latencies, underruns) = Measure(ratio, trials);
            Array.Sort(latencies);
            double mean = latencies.Average();
            double std = Math.Sqrt(latencies.Sum(l => (l - mean) * (l - mean)) / latencies.Length);
            static string Ms(double seconds) => $"{seconds * 1000:F2} ms";
            Console.WriteLine($"| {ratio} | {latencies.Length} | {Ms(latencies[0])} | {Ms(latencies[latencies.Length / 2])} | {Ms(mean)} | " +
                $"{Ms(latencies[(int)(0.95 * (latencies.Length - 1))])} | {Ms(latencies[^1])} | {Ms(std)} | {underruns} |");
        }
        return 0;
    }

    private static (double[] Latencies, long Underruns) Measure(int ratio, int trials)
    {
        const int rate = 48000;
        using var server = JackServer.Start();
        string recording = Path.Combine(Paths.NewScratch(), "played.wav");
        using var codec = new BuiltInCodec(new BuiltInCodecOptions { SampleRate = rate, Ratio = ratio });
        var writes = new double[trials];
        var clocks = new (long Frame, double HeardAt)[trials];
        var random = new Random(ratio);
        using (var instrument = new LiveInstrument(codec, DefaultTerrain.Load(), new LiveSettings { LeadSeconds = Lead }, recording))
        {
            instrument.Start();
            Thread.Sleep(300);
            var cursors = instrument.Synth.Cursors;
            for (int trial = 0; trial < trials; trial++)
            {
                // A random wait, so the writes fall anywhere in the device's period.
                Thread.Sleep(500 + random.Next(0, 50));
                writes[trial] = instrument.Output.StreamTime;
                cursors.Move(0, -4f + random.NextSingle() * 8f, -2f + random.NextSingle() * 4f, 1f);
                Thread.Sleep(100);
                cursors.Release(0);
                // The onset is played by now: a callback after it says when ring frames are heard.
                clocks[trial] = instrument.Output.LastCallback!.Value;
            }
            Thread.Sleep(500);
            // Stopping completes the recording; the output still knows when its frames were heard.
            instrument.Stop();
            var output = instrument.Output;
            var onsets = Onsets(AudioFile.Read(recording).Channel(0), rate / 20);
            if (onsets.Count != trials) throw new InvalidOperationException($"found {onsets.Count} notes in the recording, not {trials}");
            var latencies = new double[trials];
            for (int trial = 0; trial < trials; trial++)
                latencies[trial] = clocks[trial].HeardAt + (double)(onsets[trial] - clocks[trial].Frame) / rate - writes[trial];
            return (latencies, output.Underruns);
        }
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
