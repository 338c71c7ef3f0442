using LatentTerrain.Models;
using LatentTerrain.Models.Onnx;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Models;

/// <summary>The test decoder exported to ONNX with explicit state, through ONNX Runtime's NuGet package, against PyTorch.</summary>
public class OnnxModelTests
{
    private static TestModels.TorchAnswers Torch => TestModels.Torch;

    [PeerFact]
    public void ReadsItsPropertiesFromMetadataOrASidecar()
    {
        using var model = OnnxModel.Open(TestModels.File("streaming.onnx"));
        Assert.Equal((8, 256, 1, 44100), (model.LatentSize, model.Ratio, model.Channels, model.SampleRate));
        Assert.True(model.CanEncode);

        using var sidecar = OnnxModel.Open(TestModels.File("sidecar.onnx"));
        Assert.Equal((8, 256, 1, 22050), (sidecar.LatentSize, sidecar.Ratio, sidecar.Channels, sidecar.SampleRate));
        Assert.False(sidecar.CanEncode);
        Assert.Contains("no encoder (sidecar.encoder.onnx is not next to it)", Assert.Throws<ModelException>(() => sidecar.Encode(Torch.Audio)).Message);
    }

    [PeerFact]
    public void FrameByFrameDecodingEqualsTorchsOneLongCall()
    {
        using var model = OnnxModel.Open(TestModels.File("streaming.onnx"));
        ModelAssert.Near(Torch.Decoded, ModelAssert.StreamFrames(model, Torch.Latents));
    }

    [PeerFact]
    public void EncodesAsTorchDoes()
    {
        using var model = OnnxModel.Open(TestModels.File("streaming.onnx"));
        ModelAssert.Near(Torch.Encoded, model.Encode(Torch.Audio));
    }

    [PeerFact]
    public void ABatchOfVoicesDecodesAsSeparateDecodersDoAndResetForgets()
    {
        using var model = OnnxModel.Open(TestModels.File("streaming.onnx"));
        const int voices = 4;
        int size = model.LatentSize, ratio = model.Ratio;
        float[] Frame(int voice, int f) => Torch.Latents.AsSpan((f + voice) % Torch.Frames * size, size).ToArray();
        using var batch = model.CreateBatchDecoder(voices);
        var singles = Enumerable.Range(0, voices).Select(_ => model.CreateDecoder()).ToArray();
        var latents = new float[voices * size];
        var together = new float[voices * ratio];
        var alone = new float[ratio];
        for (int pass = 0; pass < 2; pass++)
        {
            for (int f = 0; f < Torch.Frames; f++)
            {
                for (int v = 0; v < voices; v++) Frame(v, f).CopyTo(latents, v * size);
                batch.Decode(latents, together);
                for (int v = 0; v < voices; v++)
                {
                    singles[v].Decode(Frame(v, f), alone);
                    ModelAssert.Near(alone, together.AsSpan(v * ratio, ratio));
                }
            }
            batch.Reset();
            foreach (var single in singles) single.Reset();
        }
        foreach (var single in singles) single.Dispose();
    }

    [PeerFact]
    public void DecodingAllocatesNothing()
    {
        using var model = OnnxModel.Open(TestModels.File("streaming.onnx"));
        ModelAssert.DecodesWithoutAllocating(model);
    }

    /// <summary>The .NET host finds the package's library in the program's folder: set-up fetches nothing of its own for ONNX.</summary>
    [PeerFact]
    public void OnnxRuntimeIsTheNuGetPackagesLibraryNextToTheProgram()
    {
        using var model = OnnxModel.Open(TestModels.File("streaming.onnx"));
        string library = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libonnxruntime.so");
        Assert.Contains(File.ReadLines("/proc/self/maps"), line => line.EndsWith(library, StringComparison.Ordinal));
        Assert.DoesNotContain("npm", File.ReadAllText(Path.Combine(Paths.Repository, "scripts", "setup")));
    }

    [PeerFact]
    public void DescribesItsTensorsAndMetadata()
    {
        var description = OnnxModel.Describe(TestModels.File("streaming.onnx"));
        var lines = description.Attributes.Select(a => $"{a.Key}: {a.Value}").ToArray();
        Assert.Contains("input latent: [?, 8, ?]", lines);
        Assert.Contains("input state_in_3: [?, 1, 8]", lines);
        Assert.Contains("metadata ratio: 256", lines);
    }

    [PeerTheory]
    [InlineData("missing.onnx", "no such file")]
    [InlineData("unexpected_inputs.onnx", "unexpected input 'temperature'")]
    [InlineData("not_an_archive.ts", "ONNX Runtime cannot load it")]
    public void BrokenModelsFailWithOneLineNamingTheFile(string file, string problem)
    {
        string path = TestModels.File(file);
        var e = Assert.Throws<ModelException>(() => OnnxModel.Open(path));
        Assert.StartsWith($"{path}: ", e.Message);
        Assert.Contains(problem, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
