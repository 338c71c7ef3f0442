using System.Diagnostics;
using System.Globalization;
using LatentTerrain.Instrument;
using LatentTerrain.Instrument.Live;
using LatentTerrain.Models;
using LatentTerrain.Models.TorchScript;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Benchmarks;

/// <summary>
/// Chords of a heavy neural model, live, not for CI:
/// <c>dotnet run -c Release --project tests -- chord [chords] [--ahead N] [--lead MS] [--sync]</c>
/// (5 by default). A TorchScript decoder of 21 MB (tests/peer/nn_models.py, hidden 1024, frame
/// 2048 at 44.1 kHz, so resampled to the server's 48 kHz) plays on the default terrain through a
/// JACK server of its own; each chord puts eight fingers down at once, holds them four seconds,
/// swaps to the other of two instances of the model (crossfading the eight held notes over) and
/// lifts them a second later. It prints the model's time per frame and, per chord, the underruns
/// in its first half second (the first frames), in the next 3.5 s (every frame of eight voices),
/// in the second after the swap, and the server's own late cycles, which no client can help.
/// </summary>
public static class ChordMeasurement
{
    public const string Command = "chord";

    public static int Run(string[] arguments)
    {
        var options = LiveOptions.Parse(arguments);
        int chords = options.Positional is string n ? int.Parse(n, CultureInfo.InvariantCulture) : 5;
        string folder = Paths.NewScratch();
        PeerPython.Run(Path.Combine(Paths.Repository, "tests", "peer", "nn_models.py"), folder, "--only-streaming", "--hidden", "1024", "--ratio", "2048");
        using var server = JackServer.Start(synchronous: options.Synchronous);
        using var model = TorchScriptModel.Open(Path.Combine(folder, "streaming_r44100.ts"), new ModelOptions());
        using var other = TorchScriptModel.Open(Path.Combine(folder, "streaming_r44100.ts"), new ModelOptions());
        Console.WriteLine($"{options.Describe()}; {model.Name}: {new FileInfo(model.Path).Length / 1e6:F0} MB, frame {model.Ratio} at {model.SampleRate} Hz, " +
            $"{FrameMilliseconds(model):F2} ms a frame (one voice, median of 50)");
        using var instrument = new LiveInstrument(model, DefaultTerrain.Load(), options.Settings);
        instrument.Start();
        Thread.Sleep(1000);
        var cursors = instrument.Synth.Cursors;
        Console.WriteLine("| chord | underruns, first half second | underruns, next 3.5 s | underruns, the second after a swap | server's own late cycles | underruns: synth too slow, device early, held up (worst) | queue | synth thread |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
        for (int chord = 1; chord <= chords; chord++)
        {
            int logged = server.Logged().Length;
            long before = instrument.Output.Underruns;
            var synth = instrument.SynthThread;
            var (slow, early, heldUp) = (synth.SlowUnderruns, synth.EarlyDeviceUnderruns, synth.HeldUpUnderruns);
            for (int i = 0; i < 8; i++) cursors.Move(i, -8f + 2f * i + 0.3f * chord, 1f, 0.9f);
            Thread.Sleep(500);
            long onset = instrument.Output.Underruns - before;
            Thread.Sleep(3500);
            long held = instrument.Output.Underruns - before - onset;
            instrument.Load(chord % 2 == 1 ? other : model);
            Thread.Sleep(1000);
            long swapped = instrument.Output.Underruns - before - onset - held;
            for (int i = 0; i < 8; i++) cursors.Release(i);
            var (serverLate, _) = JackServer.Xruns(server.Logged()[logged..]);
            Console.WriteLine($"| {chord} | {onset} | {held} | {swapped} | {serverLate} | {synth.SlowUnderruns - slow}, {synth.EarlyDeviceUnderruns - early}, {synth.HeldUpUnderruns - heldUp} " +
                $"({synth.WorstHeldUpSeconds * 1000:F1} ms) | {synth.AheadFrames / synth.BlockFrames} blocks | {synth.Load * 100:F1}% |");
            Thread.Sleep(1000);
        }
        instrument.Stop();
        return 0;
    }

    private static double FrameMilliseconds(IAutoencoder model)
    {
        using var decoder = model.CreateDecoder();
        var latent = new float[model.LatentSize];
        var audio = new float[model.Channels * model.Ratio];
        var times = new double[50];
        for (int i = 0; i < times.Length; i++)
        {
            long start = Stopwatch.GetTimestamp();
            decoder.Decode(latent, audio);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(times);
        return times[times.Length / 2];
    }
}
