using System.CommandLine;
using System.Diagnostics;
using LatentTerrain.Models;
using LatentTerrain.Models.TorchScript;
using Spectre.Console;

namespace LatentTerrain.Instrument.CommandLine;

/// <summary><c>terrain model M.ts|M.onnx</c>: what an autoencoder file holds, and how fast it decodes here.</summary>
internal static class ModelCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var file = new Argument<string>("file") { Description = "an nn~ TorchScript file (.ts) or an ONNX decoder (.onnx)" };
        var modelRate = Models.ModelRateOption();
        var seconds = new Option<double>("--seconds")
        {
            Description = "audio to decode for the real-time factor",
            DefaultValueFactory = _ => 2.0,
        };

        var command = new Command("model", "Show what an autoencoder file holds (methods, params, attributes, latent size, ratio, rate, channels) and its decode speed.")
        {
            file, modelRate, seconds,
        };
        command.SetAction(result =>
        {
            string path = result.GetValue(file)!;
            double length = result.GetValue(seconds);
            if (length is <= 0 or > 600) throw new UsageException($"--seconds {length}: must be more than 0 and at most 600");

            var description = Models.Describe(path);
            console.MarkupLineInterpolated($"[bold]{Path.GetFileName(path)}[/] ({(Models.IsOnnx(path) ? "ONNX" : "TorchScript")})");
            if (description.Methods.Count > 0)
            {
                console.WriteLine("methods (in_channels, in_ratio -> out_channels, out_ratio):");
                foreach (var method in description.Methods)
                    console.WriteLine($"  {method.Name,-12} {method.InChannels,5} / {method.InRatio,-6} -> {method.OutChannels,5} / {method.OutRatio}");
            }
            console.WriteLine(description.Attributes.Count == 0 ? "attributes: none" : "attributes:");
            foreach (var (name, value) in description.Attributes) console.WriteLine($"  {name} = {value}");

            using var model = Models.Open(path, sampleRate: null, modelRate: result.GetValue(modelRate));
            console.WriteLine($"latent size {model.LatentSize}, ratio {model.Ratio} ({model.SampleRate / (double)model.Ratio:F1} frames/s), " +
                $"{model.SampleRate} Hz, {Channels(model.Channels)}");
            // nn~ takes each method on its own: an encoder may take other channels than the decoder returns.
            if (model is TorchScriptModel { EncoderChannels: int encoder } && encoder != model.Channels)
                console.WriteLine($"encode takes {Channels(encoder)}: sound is mixed down or spread to it");
            var (frames, elapsed) = TimeDecoding(model, length);
            double audioSeconds = frames * (double)model.Ratio / model.SampleRate;
            console.WriteLine($"decode: {audioSeconds:F2} s of audio in {elapsed.TotalMilliseconds:F1} ms ({elapsed.TotalMilliseconds / frames:F3} ms a frame), " +
                $"{audioSeconds / elapsed.TotalSeconds:F1}x real time (one voice, one thread)");
            return 0;
        });
        return command;
    }

    private static string Channels(int count) => $"{count} channel{(count == 1 ? "" : "s")}";

    /// <summary>Decodes slowly changing random latents, one frame at a time as a voice does, after a few frames of warm-up.</summary>
    private static (int Frames, TimeSpan Elapsed) TimeDecoding(IAutoencoder model, double seconds)
    {
        int frames = Math.Max(1, (int)Math.Ceiling(seconds * model.SampleRate / model.Ratio));
        var random = new Random(1);
        var latents = new float[(frames + 1) * model.LatentSize];
        for (int i = 0; i < latents.Length; i++) latents[i] = (float)(random.NextDouble() * 2 - 1);
        var audio = new float[model.Channels * model.Ratio];
        using var decoder = model.CreateDecoder();
        for (int i = 0; i < 3; i++) decoder.Decode(latents.AsSpan(0, model.LatentSize), audio);
        var clock = Stopwatch.StartNew();
        for (int f = 0; f < frames; f++) decoder.Decode(latents.AsSpan(f * model.LatentSize, model.LatentSize), audio);
        return (frames, clock.Elapsed);
    }
}
