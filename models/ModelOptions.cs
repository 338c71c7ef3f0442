using System.Text.RegularExpressions;

namespace LatentTerrain.Models;

/// <summary>How a TorchScript or ONNX model file is opened.</summary>
public sealed partial record ModelOptions
{
    /// <summary>
    /// The model's sample rate when the model does not declare one. Without it the file name's
    /// usual hint (<c>_r44100</c>, as RAVE exports are named) is taken, and without that the model
    /// cannot be opened.
    /// </summary>
    public int? SampleRate { get; init; }

    /// <summary>Threads the model's inference may use (libtorch's intra-op threads, ONNX Runtime's per session).</summary>
    public int Threads { get; init; } = 1;

    /// <summary>The rate a model plays at: what it declares, else <see cref="SampleRate"/>, else the file name's hint.</summary>
    /// <exception cref="ModelException">None of the three says.</exception>
    public int ResolveSampleRate(string path, int? declared)
    {
        int rate = declared ?? SampleRate ?? SampleRateHint(path)
            ?? throw new ModelException(path, "the sample rate is unknown: the model declares none and its name has no _r44100-style hint (give the rate, --model-rate)");
        if (rate is < 1000 or > 384000) throw new ModelException(path, $"a sample rate of {rate} Hz is not plausible");
        return rate;
    }

    /// <summary>The rate in a name like <c>vintage_b2048_r44100_z16.ts</c>, or null.</summary>
    public static int? SampleRateHint(string path) =>
        RateInName().Match(Path.GetFileNameWithoutExtension(path)) is { Success: true } match ? int.Parse(match.Groups[1].Value) : null;

    [GeneratedRegex(@"(?:^|[_\-.])r(\d{4,6})(?=$|[_\-.])")]
    private static partial Regex RateInName();
}
