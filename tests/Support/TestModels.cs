using System.Text.Json;

namespace LatentTerrain.Tests.Support;

/// <summary>
/// The small nn~-compatible models of tests/peer/nn_models.py (TorchScript and ONNX, sound and
/// broken ones), made once per test run into a scratch folder, with PyTorch's answers for them.
/// Tests that use them are <see cref="PeerFactAttribute"/>s: they need Debian's PyTorch.
/// </summary>
public static class TestModels
{
    private static readonly Lazy<string> Made = new(() =>
    {
        string folder = Paths.NewScratch();
        PeerPython.Run("nn_models.py", folder);
        return folder;
    });

    private static readonly Lazy<TorchAnswers> Answers = new(() =>
        JsonSerializer.Deserialize<TorchAnswers>(System.IO.File.ReadAllText(File("parity.json")), new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })!);

    /// <summary>The path of one of the made files, for example <c>streaming_r44100.ts</c>.</summary>
    public static string File(string name) => Path.Combine(Made.Value, name);

    /// <summary>What PyTorch made of the parity inputs.</summary>
    public static TorchAnswers Torch => Answers.Value;

    /// <param name="Latents">Row-major frames [Frames, LatentSize].</param>
    /// <param name="Decoded">The streaming model's decode of all frames in one call, [1, Frames * Ratio].</param>
    /// <param name="StereoDecoded">attributes.ts's decode of the same frames, planar [2, Frames * Ratio].</param>
    /// <param name="Audio">Mono audio of Frames * Ratio samples.</param>
    /// <param name="Encoded">Its encoding, row-major frames [Frames, LatentSize].</param>
    public sealed record TorchAnswers(int LatentSize, int Ratio, int Frames, float[] Latents, float[] Decoded, float[] StereoDecoded, float[] Audio, float[] Encoded);
}
