using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using LatentTerrain.Engine.Audio;
using LatentTerrain.Engine.Synthesis;
using LatentTerrain.Engine.Terrain;
using LatentTerrain.Instrument;
using LatentTerrain.Instrument.Live;
using LatentTerrain.Instrument.Sessions;
using LatentTerrain.Instrument.Teaching;
using LatentTerrain.Models.BuiltIn;
using LatentTerrain.Tests.Support;
using LatentTerrain.Tui;

namespace LatentTerrain.Tests.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project tests -- autosave [seconds]</c> (30 by default): a session of 20
/// fragments of 5 s and a 2 -> 64, width 512 terrain with its optimiser's state, autosaved once a
/// second (the weights changed before each save, as training changes them, and copied with Adam's
/// moments as a snapshot of the trainer hands them over) on a low-priority thread
/// while sixteen voices play on a JACK server of its own; between stretches of the same voices
/// without it. Prints each save's time on its thread (wall and processor) and the underruns of each
/// stretch and the garbage collections while saving.
/// </summary>
public static class AutosaveMeasurement
{
    public const string Command = "autosave";

    public static int Run(string[] arguments)
    {
        double seconds = arguments is [var s, ..] ? double.Parse(s, CultureInfo.InvariantCulture) : 30;
        using var server = JackServer.Start();
        using var codec = new BuiltInCodec(new BuiltInCodecOptions { SampleRate = 48000, Ratio = 128 });
        using var instrument = new LiveInstrument(codec, DefaultTerrain.Load(), new LiveSettings { SampleRate = 48000 });
        var gesture = Performances.Circling(voices: 16, seconds: seconds * 3 + 5, lifting: false);
        var contents = Contents();
        var folder = new SessionFolder(Path.Combine(Paths.NewScratch(), "session"));
        var first = Stopwatch.StartNew();
        folder.Save(contents);
        Console.WriteLine($"first save (the fragments' audio and latents too): {first.Elapsed.TotalMilliseconds:F0} ms");
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        instrument.Start();
        instrument.Play(gesture);
        Thread.Sleep(2000);

        long Underruns() => instrument.Output.Underruns;
        var stretches = new List<(string What, long Underruns)>();
        var saves = new List<(double Wall, double Processor)>();
        void Quiet(string what)
        {
            long before = Underruns();
            Thread.Sleep(TimeSpan.FromSeconds(seconds));
            stretches.Add((what, Underruns() - before));
        }
        Quiet("16 voices");
        long underrunsBefore = Underruns();
        int collections = GC.CollectionCount(0), full = GC.CollectionCount(2);
        var saver = new Thread(() =>
        {
            Engine.Synthesis.Scheduling.TryMakeBackground();
            var clock = Stopwatch.StartNew();
            var network = contents.Teaching.Network;
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                network.Parameters[saves.Count % network.Parameters.Length] += 1e-3f;
                var wall = Stopwatch.StartNew();
                long processor = Scheduling.ThreadProcessorNanoseconds();
                // As Teacher.Snapshot hands them over: copies of the weights and of Adam's moments.
                var trainer = contents.Teaching.Trainer!;
                folder.Save(contents with
                {
                    Teaching = contents.Teaching with
                    {
                        Network = network.Clone(),
                        Trainer = trainer with { Moment1 = (float[])trainer.Moment1.Clone(), Moment2 = (float[])trainer.Moment2.Clone() },
                    },
                });
                saves.Add((wall.Elapsed.TotalMilliseconds, (Scheduling.ThreadProcessorNanoseconds() - processor) / 1e6));
                Thread.Sleep(Math.Max(0, 1000 - (int)wall.ElapsedMilliseconds));
            }
        }) { Name = "session autosave", Priority = ThreadPriority.BelowNormal };
        saver.Start();
        saver.Join();
        stretches.Add(("16 voices + an autosave a second", Underruns() - underrunsBefore));
        Console.WriteLine($"garbage collections while saving: {GC.CollectionCount(0) - collections} ({GC.CollectionCount(2) - full} full)");
        Quiet("16 voices");
        instrument.Stop();

        var walls = saves.Select(save => save.Wall).Order().ToArray();
        var processors = saves.Select(save => save.Processor).Order().ToArray();
        Console.WriteLine($"| autosaves | on its thread, wall: median | worst | processor: median | worst |");
        Console.WriteLine("| --- | --- | --- | --- | --- |");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {saves.Count} | {walls[walls.Length / 2]:F1} ms | {walls[^1]:F1} ms | {processors[processors.Length / 2]:F1} ms | {processors[^1]:F1} ms |"));
        Console.WriteLine();
        Console.WriteLine($"| {seconds:F0} s of | underruns |");
        Console.WriteLine("| --- | --- |");
        foreach (var (what, underruns) in stretches) Console.WriteLine($"| {what} | {underruns} |");
        return 0;
    }

    /// <summary>20 fragments of 5 s (noise bursts, 117 frames of 64 latents each), their paths, a 2 -> 64 width 512 terrain and an optimiser's state.</summary>
    private static SessionContents Contents()
    {
        var random = new Random(1);
        var network = TerrainNetwork.Create(new TerrainConfig { LatentSize = 64, Width = 512 });
        var fragments = ImmutableSortedDictionary.CreateBuilder<int, Fragment>();
        var paths = ImmutableSortedDictionary.CreateBuilder<int, LessonPath>();
        for (int n = 1; n <= 20; n++)
        {
            var audio = new AudioBuffer(48000, 1, [.. Enumerable.Range(0, 5 * 48000).Select(t => (float)(random.NextDouble() - 0.5) * MathF.Sin(t * 0.001f * n))]);
            var frames = Enumerable.Range(0, 117).Select(_ => Enumerable.Range(0, 64).Select(_ => (float)random.NextDouble()).ToArray()).ToArray();
            fragments.Add(n, new Fragment(n, $"fragment {n}", $"f{n}.wav", audio, frames, 48000 / 2048.0));
            float y = -4f + 0.4f * n;
            paths.Add(n, new LessonPath([[-15f, y], [15f, y], [15f, y + 0.2f], [-1f, y + 0.2f]]));
        }
        var lesson = new Lesson(fragments.ToImmutable(), paths.ToImmutable(), [], 0.4f);
        int pairs = lesson.ToDataset(64).ToPairs().Count;
        var moments = Enumerable.Range(0, 2).Select(_ => Enumerable.Range(0, network.Parameters.Length).Select(_ => (float)random.NextDouble() * 1e-3f).ToArray()).ToArray();
        var trainer = new TrainerState(moments[0], moments[1], 500, 500, 7, 1e-3f, 0, 7L * pairs, [.. Enumerable.Range(0, pairs)]);
        return new SessionContents(new ModelEntry("built-in codec", null, null, []), new SessionSettings(),
            new TeachingState(lesson, [new StoredPosition(1, 0f, 0f)], 1e-3f, network, trainer, 21));
    }
}
