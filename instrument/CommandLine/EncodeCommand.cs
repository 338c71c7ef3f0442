using System.CommandLine;
using System.Diagnostics;
using LatentTerrain.Engine.Audio;
using LatentTerrain.Engine.Datasets;
using Spectre.Console;

namespace LatentTerrain.Instrument.CommandLine;

/// <summary><c>terrain encode</c>: a sound file -> a latent trajectory, ready to train on.</summary>
internal static class EncodeCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var audio = new Option<string>("--audio", "-a") { Description = "sound file (WAV, FLAC, AIFF, OGG, ...), resampled to the model's rate if needed", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "dataset JSON with one trajectory", Required = true };
        var model = Models.ModelOption();
        var attribute = Models.ModelAttributeOption();
        var modelRate = Models.ModelRateOption();
        var ratio = new Option<int>("--ratio")
        {
            Description = "samples per latent frame of the built-in codec; coarser frames make shorter paths",
            DefaultValueFactory = _ => Models.EncodingRatio,
        };

        var command = new Command("encode", "Encode a sound into a latent trajectory: one path's worth of training data.")
        {
            audio, output, model, attribute, modelRate, ratio,
        };
        command.SetAction(result =>
        {
            string audioPath = Options.ExistingFile(result, audio);
            string outputPath = Options.OutputFile(result, output);
            var sound = AudioFile.Read(audioPath);
            using var autoencoder = Models.Open(result.GetValue(model), sound.SampleRate is 44100 or 48000 ? sound.SampleRate : null, result.GetValue(ratio), result.GetValue(modelRate), result.GetValue(attribute));

            var clock = Stopwatch.StartNew();
            var mono = sound.MixTo(autoencoder.Channels);
            if (mono.SampleRate != autoencoder.SampleRate) mono = Resampler.Resample(mono, autoencoder.SampleRate);
            if (mono.Frames < autoencoder.Ratio)
                throw new UsageException($"{audioPath}: {sound.Seconds:F3} s is shorter than one latent frame ({autoencoder.Ratio} samples at {autoencoder.SampleRate} Hz)");
            var latents = autoencoder.Encode(mono.Samples);
            int frames = latents.Length / autoencoder.LatentSize;

            var trajectory = new Trajectory(StraightPath(frames, TerrainDataset.DefaultDensity), Frames(latents, autoencoder.LatentSize))
            {
                Name = Path.GetFileNameWithoutExtension(audioPath),
                Source = Path.GetFileName(audioPath),
            };
            DatasetFile.Save(new TerrainDataset(2, autoencoder.LatentSize, [trajectory]), outputPath);
            console.MarkupLineInterpolated(
                $"{sound.Seconds:F2} s -> {frames} latent frames of {autoencoder.LatentSize} ({autoencoder.Name}, {autoencoder.SampleRate / (double)autoencoder.Ratio:F1} frames/s) in {clock.Elapsed.TotalMilliseconds:F0} ms -> {outputPath}");
            return 0;
        });
        return command;
    }

    /// <summary>
    /// A horizontal path through the centre of the plane, just long enough for every frame at the
    /// reference's spacing: a place to start from until the performer draws the path they want.
    /// </summary>
    private static float[][] StraightPath(int frames, float density)
    {
        float half = density * (frames - 1) / 2f;
        return frames == 1 ? [[0f, 0f]] : [[-half, 0f], [half, 0f]];
    }

    private static float[][] Frames(float[] latents, int size) =>
        Enumerable.Range(0, latents.Length / size).Select(f => latents.AsSpan(f * size, size).ToArray()).ToArray();
}
