using System.CommandLine;
using LatentTerrain.Models;
using LatentTerrain.Models.BuiltIn;

namespace LatentTerrain.Instrument.CommandLine;

/// <summary>Which autoencoder a command uses: the <c>--model</c> option and how it opens.</summary>
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
    /// The built-in codec's frame size when playing and rendering: one 128-frame device period, so
    /// every block starts a new frame with the newest cursors (lowest latency, least jitter), and a
    /// render is made exactly as the default live instrument plays.
    /// </summary>
    public const int PlayingRatio = 128;

    public static Option<string> ModelOption() => new("--model", "-m")
    {
        Description = $"autoencoder: '{BuiltIn}', the built-in codec [default: {BuiltIn}]",
    };

    /// <summary>Opens the named autoencoder at the given sample rate (or its own) and, for the built-in codec, frame size.</summary>
    public static IAutoencoder Open(string? name, int? sampleRate, int? ratio = null)
    {
        if (name is null || name.Equals(BuiltIn, StringComparison.OrdinalIgnoreCase))
            return new BuiltInCodec(new BuiltInCodecOptions
            {
                SampleRate = sampleRate == 44100 ? 44100 : 48000,
                Ratio = ratio ?? PlayingRatio,
            });
        throw new UsageException($"{name}: not a model this build can open (it plays the built-in codec, '{BuiltIn}')");
    }
}
