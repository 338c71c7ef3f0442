using System.CommandLine;
using System.Diagnostics;
using LatentTerrain.Engine.Audio;
using LatentTerrain.Engine.Files;
using LatentTerrain.Engine.Rendering;
using LatentTerrain.Engine.Synthesis;
using LatentTerrain.Engine.Terrain;
using Spectre.Console;

namespace LatentTerrain.Instrument.CommandLine;

/// <summary><c>terrain render</c>: a gesture -> a sound file, offline, through the same synth that plays live.</summary>
internal static class RenderCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var gesture = new Option<string>("--gesture", "-g") { Description = $"gesture CSV ({GestureFile.Header})", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "sound file to write (.wav 32-bit float, .flac, .aiff, .ogg)", Required = true };
        var terrain = new Option<string>("--terrain", "-t") { Description = "terrain file (ours or the reference's .pt) [default: the built-in terrain]" };
        var model = Models.ModelOption();
        var modelRate = Models.ModelRateOption();
        var sampleRate = new Option<int?>("--sample-rate") { Description = "sample rate of the file [default: the model's own; another is resampled to]" };
        var seconds = new Option<double?>("--seconds") { Description = "length of the render [default: the gesture plus one second of release]" };

        var command = new Command("render", "Render a gesture offline into a sound file, exactly as the instrument plays it.")
        {
            gesture, output, terrain, model, modelRate, sampleRate, seconds,
        };
        command.SetAction(result =>
        {
            string gesturePath = Options.ExistingFile(result, gesture);
            string outputPath = Options.OutputFile(result, output);
            int? rate = result.GetValue(sampleRate);
            if (rate is not null and (< 8000 or > 192000)) throw new UsageException($"--sample-rate {rate}: must be 8000..192000 Hz");
            double? length = result.GetValue(seconds);
            if (length is not null and (<= 0 or > 3600)) throw new UsageException($"--seconds {length}: must be more than 0 and at most 3600");

            var performance = GestureFile.Load(gesturePath);
            var network = result.GetValue(terrain) is string terrainPath ? TerrainFile.Load(Options.ExistingFile(result, terrain)) : DefaultTerrain.Load();
            using var autoencoder = Models.Open(result.GetValue(model), rate, modelRate: result.GetValue(modelRate));

            var clock = Stopwatch.StartNew();
            using var synth = new Synth(autoencoder, new TerrainSnapshots(network), new SynthSettings { OutputChannels = autoencoder.Channels });
            var interleaved = OfflineRenderer.Render(synth, performance, length);
            var audio = AudioBuffer.FromInterleaved(autoencoder.SampleRate, autoencoder.Channels, interleaved);
            if (rate is int target && target != audio.SampleRate) audio = Resampler.Resample(audio, target);
            AudioFile.Write(outputPath, audio);
            console.MarkupLineInterpolated(
                $"{audio.Seconds:F2} s at {audio.SampleRate} Hz ({autoencoder.Name}, {performance.Events.Count} events) rendered in {clock.Elapsed.TotalSeconds:F2} s -> {outputPath}");
            return 0;
        });
        return command;
    }
}
