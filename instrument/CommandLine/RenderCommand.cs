using System.CommandLine;
using System.Diagnostics;
using LatentTerrain.Controllers.Devices;
using LatentTerrain.Controllers.Files;
using LatentTerrain.Engine.Audio;
using LatentTerrain.Engine.Files;
using LatentTerrain.Engine.Maps;
using LatentTerrain.Engine.Rendering;
using LatentTerrain.Engine.Synthesis;
using LatentTerrain.Engine.Terrain;
using LatentTerrain.Mappings;
using Spectre.Console;

namespace LatentTerrain.Instrument.CommandLine;

/// <summary><c>terrain render</c>: a gesture or a MIDI file -> a sound file, offline, through the same synth that plays live.</summary>
internal static class RenderCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var gesture = new Option<string>("--gesture", "-g") { Description = $"gesture CSV ({GestureFile.Header})" };
        var midi = new Option<string>("--midi") { Description = "standard MIDI file (type 0 or 1) played through a controller's mapping, instead of --gesture" };
        var mapping = new Option<string>("--mapping") { Description = "mapping profile (JSON) for --midi [default: the built-in MPE keyboard profile when the file uses several channels, else the keyboard's]" };
        var output = new Option<string>("--out", "-o") { Description = "sound file to write (.wav 32-bit float, .flac, .aiff, .ogg)", Required = true };
        var terrain = new Option<string>("--terrain", "-t") { Description = "terrain file (ours or the reference's .pt), or a session folder [default: the built-in terrain]" };
        var model = Models.ModelOption();
        var attribute = Models.ModelAttributeOption();
        var modelRate = Models.ModelRateOption();
        var sampleRate = new Option<int?>("--sample-rate") { Description = "sample rate of the file [default: the model's own; another is resampled to, as `play` does live]" };
        var seconds = new Option<double?>("--seconds") { Description = "length of the render [default: the gesture plus one second of release]" };

        var command = new Command("render", "Render a gesture or a MIDI performance offline into a sound file, exactly as the instrument plays it.")
        {
            gesture, midi, mapping, output, terrain, model, attribute, modelRate, sampleRate, seconds,
        };
        command.SetAction(result =>
        {
            bool fromGesture = result.GetValue(gesture) is not null, fromMidi = result.GetValue(midi) is not null;
            if (fromGesture == fromMidi) throw new UsageException(fromGesture ? "--gesture and --midi exclude each other: give one" : "give what to render: --gesture FILE.csv or --midi FILE.mid");
            if (!fromMidi && result.GetValue(mapping) is not null) throw new UsageException("--mapping goes with --midi");
            string inputPath = Options.ExistingFile(result, fromGesture ? gesture : midi);
            string? mappingPath = result.GetValue(mapping) is null ? null : Options.ExistingFile(result, mapping);
            string outputPath = Options.OutputFile(result, output);
            int? rate = result.GetValue(sampleRate);
            if (rate is not null and (< 8000 or > 192000)) throw new UsageException($"--sample-rate {rate}: must be 8000..192000 Hz");
            double? length = result.GetValue(seconds);
            if (length is not null and (<= 0 or > 3600)) throw new UsageException($"--seconds {length}: must be more than 0 and at most 3600");

            var performance = fromGesture ? GestureFile.Load(inputPath) : MidiPerformance(inputPath, mappingPath);
            var network = result.GetValue(terrain) is string terrainPath ? Options.Terrain(result, terrain) : DefaultTerrain.Load();
            using var autoencoder = Models.Open(result.GetValue(model), rate, Models.BuiltInFrame(OfflineRenderer.DefaultBlockFrames, rate),
                result.GetValue(modelRate), result.GetValue(attribute));

            var clock = Stopwatch.StartNew();
            // Resampled by the synth itself, so a render at the device's rate is what `play` sounds like there.
            using var synth = new Synth(autoencoder, new TerrainSnapshots(network), new SynthSettings { OutputChannels = autoencoder.Channels, SampleRate = rate });
            var interleaved = OfflineRenderer.Render(synth, performance, length);
            var audio = AudioBuffer.FromInterleaved(synth.SampleRate, autoencoder.Channels, interleaved);
            AudioFile.Write(outputPath, audio);
            console.MarkupLineInterpolated(
                $"{audio.Seconds:F2} s at {audio.SampleRate} Hz ({autoencoder.Name}, {performance.Events.Count} events) rendered in {clock.Elapsed.TotalSeconds:F2} s -> {outputPath}");
            return 0;
        });
        return command;
    }

    /// <summary>A MIDI file through the device logic and mapping of its profile, on the default terrain bounds.</summary>
    private static Gesture MidiPerformance(string path, string? mappingPath)
    {
        var file = MidiFile.Load(path);
        var profile = mappingPath is null ? MappingProfile.Default(MidiRendering.GuessKind(file)) : MappingProfile.Load(mappingPath);
        if (profile.Kind is ControllerKind.ComputerKeyboard or ControllerKind.Mouse)
            throw new UsageException($"{mappingPath}: a {profile.Kind} profile plays no MIDI; --midi needs a keyboard, mpe-keyboard, sensel, launchpad or generic-xy profile");
        if (profile.Kind == ControllerKind.GenericXy && profile.Xy is null)
            throw new UsageException($"{mappingPath}: a generic-xy profile needs its 'xy' control changes to render a file (there is no one to learn them from)");
        return MidiRendering.ToGesture(file, profile, PlaneBounds.Default);
    }
}
