using System.Diagnostics;
using System.Globalization;
using LatentTerrain.Engine.Datasets;
using LatentTerrain.Engine.Terrain;
using LatentTerrain.Instrument;
using LatentTerrain.Instrument.Live;
using LatentTerrain.Models.BuiltIn;
using LatentTerrain.Models.Defaults;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Benchmarks;

/// <summary>
/// The long run, not for CI: <c>dotnet run -c Release --project tests -- soak [minutes] [--ahead N]
/// [--lead MS] [--sync]</c> (10 minutes by default). Sixteen voices circle the default plane while the terrain trains without pause on the
/// default dataset, through a JACK server of its own. Every minute, and at the end, it prints the
/// underruns, the server's xruns that were ours, the lead, the synth thread's and the whole
/// process's share of a core, garbage collections and what the synth thread allocated.
/// </summary>
public static class SoakMeasurement
{
    public const string Command = "soak";

    public static int Run(string[] arguments)
    {
        var options = LiveOptions.Parse(arguments);
        double minutes = options.Positional is string m ? double.Parse(m, CultureInfo.InvariantCulture) : 10;
        using var server = JackServer.Start(synchronous: options.Synchronous);
        using var codec = new BuiltInCodec(new BuiltInCodecOptions { SampleRate = 48000, Ratio = 128 });
        using var instrument = new LiveInstrument(codec, DefaultTerrain.Load(), options.Settings);
        Console.WriteLine(options.Describe());
        var dataset = DatasetFile.Load(Path.Combine(Paths.Repository, "models", "Defaults", BuiltInDefaults.DatasetFileName));
        // The gesture (close to a million events for ten minutes) is made, and its garbage collected,
        // before the sound starts: a collection while playing pauses the synth thread.
        var gesture = Performances.Circling(voices: 16, seconds: minutes * 60);
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        instrument.Train(dataset.ToPairs(), new TrainingOptions { Epochs = int.MaxValue });
        instrument.Start();
        int logged = server.Logged().Length, collections = GC.CollectionCount(0);
        var process = Process.GetCurrentProcess();
        var cpuAtStart = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        instrument.Play(gesture);

        Console.WriteLine("| minute | underruns | our xruns (server's own) | lead | synth thread | process CPU (of one core) | epochs | GCs | synth allocated | worst block | underruns: synth too slow, device early, held up (worst) | queue |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        for (int minute = 1; minute <= Math.Ceiling(minutes); minute++)
        {
            Thread.Sleep(TimeSpan.FromSeconds(Math.Min(60, minutes * 60 - clock.Elapsed.TotalSeconds)));
            process.Refresh();
            var (serverLate, clientLate) = JackServer.Xruns(server.Logged()[logged..]);
            double cpu = (process.TotalProcessorTime - cpuAtStart).TotalSeconds / clock.Elapsed.TotalSeconds;
            Console.WriteLine($"| {minute} | {instrument.Output.Underruns} | {clientLate} ({serverLate}) | {instrument.SynthThread.LeadSeconds * 1000:F1} ms | " +
                $"{instrument.SynthThread.Load * 100:F1}% | {cpu * 100:F1}% | {instrument.Training!.Value.Epoch} | {GC.CollectionCount(0) - collections} | {instrument.SynthThread.AllocatedBytes} B | " +
                $"{instrument.SynthThread.WorstBlockSeconds * 1000:F2} ms | {instrument.SynthThread.SlowUnderruns}, {instrument.SynthThread.EarlyDeviceUnderruns}, {instrument.SynthThread.HeldUpUnderruns} ({instrument.SynthThread.WorstHeldUpSeconds * 1000:F1} ms) | {instrument.SynthThread.AheadFrames / instrument.SynthThread.BlockFrames} blocks |");
        }
        instrument.Stop();
        return 0;
    }
}
