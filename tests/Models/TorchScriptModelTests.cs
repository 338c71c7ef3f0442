using LatentTerrain.Models;
using LatentTerrain.Models.TorchScript;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Models;

/// <summary>nn~ TorchScript models through the libtorch host, against PyTorch's own answers.</summary>
public class TorchScriptModelTests
{
    private static TestModels.TorchAnswers Torch => TestModels.Torch;

    [PeerFact]
    public void ReadsLatentSizeRatioChannelsAndRateFromTheModelAndItsName()
    {
        using var model = TorchScriptModel.Open(TestModels.File("streaming_r44100.ts"));
        Assert.Equal((8, 256, 1, 44100), (model.LatentSize, model.Ratio, model.Channels, model.SampleRate));
        Assert.True(model.CanEncode);

        using var stereo = TorchScriptModel.Open(TestModels.File("attributes.ts"), new ModelOptions { SampleRate = 22050 });
        Assert.Equal((8, 256, 2, 48000), (stereo.LatentSize, stereo.Ratio, stereo.Channels, stereo.SampleRate));
    }

    [PeerFact]
    public void WithoutADeclaredRateOrHintTheRateMustBeGiven()
    {
        string plain = Path.Combine(Paths.NewScratch(), "plain.ts");
        File.Copy(TestModels.File("streaming_r44100.ts"), plain);
        var e = Assert.Throws<ModelException>(() => TorchScriptModel.Open(plain));
        Assert.StartsWith($"{plain}: the sample rate is unknown", e.Message);
        using var model = TorchScriptModel.Open(plain, new ModelOptions { SampleRate = 32000 });
        Assert.Equal(32000, model.SampleRate);
    }

    [PeerFact]
    public void FrameByFrameDecodingEqualsTorchsOneLongCall()
    {
        using var model = TorchScriptModel.Open(TestModels.File("streaming_r44100.ts"));
        ModelAssert.Near(Torch.Decoded, ModelAssert.StreamFrames(model, Torch.Latents));

        using var stereo = TorchScriptModel.Open(TestModels.File("attributes.ts"));
        ModelAssert.Near(Torch.StereoDecoded, ModelAssert.StreamFrames(stereo, Torch.Latents));
    }

    [PeerFact]
    public void EncodesAsTorchDoes()
    {
        using var model = TorchScriptModel.Open(TestModels.File("streaming_r44100.ts"));
        ModelAssert.Near(Torch.Encoded, model.Encode(Torch.Audio));
        Assert.Equal(Torch.Encoded.Length, model.Encode([.. Torch.Audio, .. new float[100]]).Length);  // a partial frame is dropped
    }

    /// <summary>
    /// Sixteen voices of a 21 MB model cost far less than sixteen copies of its weights: every
    /// decoder shares the model's tensors and has only its buffers (the cached state) of its own.
    /// </summary>
    [PeerFact]
    public void EveryVoiceSharesTheModelsWeights()
    {
        string folder = Paths.NewScratch();
        PeerPython.Run("nn_models.py", folder, "--only-streaming", "--hidden", "1024", "--ratio", "2048");
        string path = Path.Combine(folder, "streaming_r44100.ts");
        long weights = new FileInfo(path).Length;
        using var model = TorchScriptModel.Open(path);
        var latent = new float[model.LatentSize];
        var audio = new float[model.Ratio];

        long before = ResidentBytes();
        var voices = Enumerable.Range(0, 16).Select(_ => model.CreateDecoder()).ToList();
        foreach (var voice in voices) voice.Decode(latent, audio);
        long grown = ResidentBytes() - before;
        foreach (var voice in voices) voice.Dispose();

        // Copies would add 16 x 21 MB; shared weights leave the buffers and libtorch's bookkeeping.
        Assert.True(grown < 3 * weights, $"16 voices grew the process by {grown >> 20} MiB; the weights are {weights >> 20} MiB");
    }

    private static long ResidentBytes() =>
        long.Parse(File.ReadLines("/proc/self/status").First(line => line.StartsWith("VmRSS:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1],
            System.Globalization.CultureInfo.InvariantCulture) * 1024;

    [PeerFact]
    public void EachDecoderKeepsItsOwnStateAndResetForgetsIt()
    {
        using var model = TorchScriptModel.Open(TestModels.File("streaming_r44100.ts"));
        int size = model.LatentSize, ratio = model.Ratio, half = Torch.Frames / 2;
        using var first = model.CreateDecoder();
        var output = new float[Torch.Frames * ratio];
        for (int f = 0; f < half; f++) first.Decode(Torch.Latents.AsSpan(f * size, size), output.AsSpan(f * ratio, ratio));
        ModelAssert.Near(Torch.Decoded, ModelAssert.StreamFrames(model, Torch.Latents));  // another decoder meanwhile
        for (int f = half; f < Torch.Frames; f++) first.Decode(Torch.Latents.AsSpan(f * size, size), output.AsSpan(f * ratio, ratio));
        ModelAssert.Near(Torch.Decoded, output);

        first.Reset();
        var again = new float[ratio];
        first.Decode(Torch.Latents.AsSpan(0, size), again);
        ModelAssert.Near(Torch.Decoded.AsSpan(0, ratio), again);
    }

    [PeerFact]
    public void ABatchOfVoicesDecodesAsSeparateDecodersDo()
    {
        using var model = TorchScriptModel.Open(TestModels.File("attributes.ts"));
        const int voices = 3;
        int size = model.LatentSize, block = model.Channels * model.Ratio;
        // Voice v plays the parity sequence shifted by v frames, so every row holds other latents.
        float[] Frame(int voice, int f) => Torch.Latents.AsSpan((f + voice) % Torch.Frames * size, size).ToArray();
        using var batch = model.CreateBatchDecoder(voices);
        var singles = Enumerable.Range(0, voices).Select(_ => model.CreateDecoder()).ToArray();
        var latents = new float[voices * size];
        var together = new float[voices * block];
        var alone = new float[block];
        for (int f = 0; f < Torch.Frames; f++)
        {
            for (int v = 0; v < voices; v++) Frame(v, f).CopyTo(latents, v * size);
            batch.Decode(latents, together);
            for (int v = 0; v < voices; v++)
            {
                singles[v].Decode(Frame(v, f), alone);
                ModelAssert.Near(alone, together.AsSpan(v * block, block));
            }
        }
        foreach (var single in singles) single.Dispose();
    }

    [PeerFact]
    public void DecodingAllocatesNothing()
    {
        using var model = TorchScriptModel.Open(TestModels.File("streaming_r44100.ts"));
        ModelAssert.DecodesWithoutAllocating(model);
    }

    [PeerFact]
    public void DescribesMethodsFromParamsBuffersOrGetMethodsAndAttributes()
    {
        var streaming = TorchScriptModel.Describe(TestModels.File("streaming_r44100.ts"));
        Assert.Equal(["encode: 1 channels / 1 -> 8 channels / 256", "decode: 8 channels / 256 -> 1 channels / 1"], streaming.Methods.Select(m => m.ToString()));
        Assert.Empty(streaming.Attributes);

        var attributes = TorchScriptModel.Describe(TestModels.File("attributes.ts"));
        Assert.Equal(["encode", "decode"], attributes.Methods.Select(m => m.Name));
        Assert.Equal(["sample_rate=48000", "gain=1.", "mode=plain", "table=tensor [1, 4096] Float, range -1 .. 1"], attributes.Attributes.Select(a => $"{a.Key}={a.Value}"));

        var forward = TorchScriptModel.Describe(TestModels.File("forward_only.ts"));
        Assert.Equal([new ModelMethod("forward", 1, 1, 1, 1)], forward.Methods);
    }

    /// <summary>nn~ takes each method on its own: a mono encoder before a stereo decoder encodes the mix-down of what it is given.</summary>
    [PeerFact]
    public void AnEncoderOfOtherChannelsThanTheDecoderEncodesTheMixDown()
    {
        using var model = TorchScriptModel.Open(TestModels.File("mono_encoder_r44100.ts"));
        Assert.Equal((8, 256, 2, 1), (model.LatentSize, model.Ratio, model.Channels, model.EncoderChannels));
        ModelAssert.Near(Torch.StereoDecoded, ModelAssert.StreamFrames(model, Torch.Latents));
        ModelAssert.Near(Torch.Encoded, model.Encode([.. Torch.Audio, .. Torch.Audio]));
        ModelAssert.Near(Torch.Encoded, model.Encode([.. Torch.Audio.Select(v => 2 * v), .. new float[Torch.Audio.Length]]));
    }

    /// <summary>
    /// A model exported by torch 2.x with an operator libtorch 1.13 lacks (what a scripted
    /// nn.MultiheadAttention calls) fails with one line saying what to do: build the host against a
    /// libtorch at least as new as the exporting torch.
    /// </summary>
    [PeerFact]
    public void AnOperatorThisLibtorchLacksIsNamedWithTheExportingTorchAndTheLibtorchRoute()
    {
        string path = TestModels.File("new_operator.ts");
        var e = Assert.Throws<ModelException>(() => TorchScriptModel.Open(path));
        Assert.Equal($"{path}: uses the operator aten::scaled_dot_product_attention, which libtorch {TorchModule.LibTorchVersion} (the TorchScript host's) lacks; " +
            "it was exported by torch 2.1 or later (its archive, format 3, has a serialization id): " +
            "build the host against a libtorch at least as new as the torch that exported it, LIBTORCH=/path/to/libtorch ./terrain (README, Set-up)", e.Message);
        Assert.StartsWith("1.13", TorchModule.LibTorchVersion);
    }

    [PeerFact]
    public void AttributesSetOnTheModelReachEveryNewDecoder()
    {
        using var model = TorchScriptModel.Open(TestModels.File("attributes.ts"));
        model.SetAttribute("gain", "0.5");
        model.SetAttribute("mode", "bright");
        Assert.Equal("bright", model.Attribute("mode"));
        ModelAssert.Near(Torch.StereoDecoded.Select(v => v * 0.5f).ToArray(), ModelAssert.StreamFrames(model, Torch.Latents));

        Assert.Contains("set_gain refused '-1'", Assert.Throws<ModelException>(() => model.SetAttribute("gain", "-1")).Message);
        Assert.Contains("'loud' is not a number", Assert.Throws<ModelException>(() => model.SetAttribute("gain", "loud")).Message);
        Assert.Contains("no method set_volume", Assert.Throws<ModelException>(() => model.SetAttribute("volume", "1")).Message);
    }

    [PeerTheory]
    [InlineData("missing.ts", "no such file")]
    [InlineData("not_an_archive.ts", "not a TorchScript archive")]
    [InlineData("truncated.ts", "not a TorchScript archive")]
    [InlineData("forward_only.ts", "no decode method, so it cannot be played (its methods: forward)")]
    [InlineData("bad_params.ts", "decode_params has shape [3], not [4]")]
    [InlineData("other_latent.ts", "encode_params [1, 1, 9, 256] do not match decode_params [8, 256, 1, 1]: encode must take audio (ratio 1) to the latent size and ratio that decode takes")]
    [InlineData("wrong_shape.ts", "decode returned shape [1, 1, 255], expected [1, 1, 256]")]
    [InlineData("nan.ts", "decode produced NaN or infinite values")]
    public void BrokenModelsFailWithOneLineNamingTheFile(string file, string problem)
    {
        string path = TestModels.File(file);
        var e = Assert.Throws<ModelException>(() => TorchScriptModel.Open(path));
        Assert.StartsWith($"{path}: ", e.Message);
        Assert.Contains(problem, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
