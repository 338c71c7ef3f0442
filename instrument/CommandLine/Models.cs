using System.CommandLine;
using LatentTerrain.Models;
using LatentTerrain.Models.BuiltIn;
using LatentTerrain.Models.Onnx;
using LatentTerrain.Models.TorchScript;

namespace LatentTerrain.Instrument.CommandLine;

/// <summary>Which autoencoder a command uses: the <c>--model</c> option and the one place a model opens by name or path.</summary>
internal static class Models
{
    public const string BuiltIn = "builtin";

    /// <summary>
    /// The built-in codec's frame size when encoding: 2048 samples, RAVE's, so a trajectory has about
    /// 23 frames a second and a few seconds of sound make a path of a handy length on the plane.
    /// Its latents mean the same at any frame size, so a terrain trained on them plays at 256.
    /// </summary>
    public const int EncodingRatio = 2048;

    /// <summary>
    /// The built-in codec's frame size when playing and rendering at its own rate: one 128-frame
    /// device period (see <see cref="BuiltInFrame"/>), so a render is made exactly as the default
    /// live instrument plays.
    /// </summary>
    public const int PlayingRatio = 128;

    public static Option<string> ModelOption() => new("--model", "-m")
    {
        Description = $"autoencoder: '{BuiltIn}' (the built-in codec), an nn~ TorchScript file (.ts) or an ONNX decoder (.onnx) [default: {BuiltIn}]",
    };

    public static Option<string[]> ModelAttributeOption() => new("--model-attribute")
    {
        Description = "set an attribute of an nn~ TorchScript model, NAME=VALUE, through its set_NAME method (`terrain model FILE` lists them); repeatable",
    };

    public static Option<int?> ModelRateOption() => new("--model-rate")
    {
        Description = "sample rate of a model file that does not declare one [default: its name's _r44100-style hint]",
    };

    /// <summary>
    /// The built-in codec's rate for an output at <paramref name="sampleRate"/>: 44.1 kHz for the
    /// rates of its family (22.05, 88.2 kHz...), else 48 kHz; the synth resamples it to the output's.
    /// </summary>
    public static int BuiltInRate(int? sampleRate) => sampleRate is int rate && rate % 11025 == 0 ? 44100 : 48000;

    /// <summary>
    /// The built-in codec's frame for blocks of <paramref name="blockFrames"/> at
    /// <paramref name="sampleRate"/>: one block at the codec's rate, so every block starts a frame
    /// with the newest cursors (lowest latency, least jitter); <see cref="PlayingRatio"/> at 48 kHz.
    /// </summary>
    public static int BuiltInFrame(int blockFrames, int? sampleRate) =>
        Math.Clamp((int)((long)blockFrames * BuiltInRate(sampleRate) / (sampleRate ?? BuiltInRate(null))) / 16 * 16, 64, 2048);

    /// <summary>
    /// Opens the named autoencoder. The built-in codec plays at <see cref="BuiltInRate"/> of
    /// <paramref name="sampleRate"/> and frames of <paramref name="ratio"/>; a model file plays at
    /// its own rate and frame size (<paramref name="modelRate"/> only for a file that does not say
    /// its rate). The synth resamples either to the output's rate.
    /// </summary>
    /// <param name="attributes">NAME=VALUE settings for an nn~ model's attributes (<c>--model-attribute</c>).</param>
    /// <exception cref="ModelException">The file is missing, broken, or not a model the instrument can play; or it refused an attribute.</exception>
    public static IAutoencoder Open(string? name, int? sampleRate, int? ratio = null, int? modelRate = null, IReadOnlyList<string>? attributes = null)
    {
        var settings = (attributes ?? []).Select(setting => setting.Split('=', 2) is [{ Length: > 0 } key, var value]
            ? (Name: key, Value: value)
            : throw new UsageException($"--model-attribute {setting}: expected NAME=VALUE")).ToList();
        bool torchScript = name is not null && !name.Equals(BuiltIn, StringComparison.OrdinalIgnoreCase) && !IsOnnx(name);
        if (settings.Count > 0 && !torchScript) throw new UsageException("--model-attribute: only nn~ TorchScript models (.ts) have attributes");
        if (name is null || name.Equals(BuiltIn, StringComparison.OrdinalIgnoreCase))
            return new BuiltInCodec(new BuiltInCodecOptions
            {
                SampleRate = BuiltInRate(sampleRate),
                Ratio = ratio ?? PlayingRatio,
            });
        if (modelRate is not null and (< 1000 or > 384000)) throw new UsageException($"--model-rate {modelRate}: must be 1000..384000 Hz");
        var options = new ModelOptions { SampleRate = modelRate };
        if (IsOnnx(name)) return OnnxModel.Open(name, options);
        var model = TorchScriptModel.Open(name, options);
        try
        {
            foreach (var (attribute, value) in settings) model.SetAttribute(attribute, value);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>What a model file says about itself (methods, attributes), whether or not it can be played.</summary>
    public static ModelDescription Describe(string path) => IsOnnx(path) ? OnnxModel.Describe(path) : TorchScriptModel.Describe(path);

    public static bool IsOnnx(string path) => path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase);
}
