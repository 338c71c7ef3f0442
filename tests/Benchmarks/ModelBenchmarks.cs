using BenchmarkDotNet.Attributes;
using LatentTerrain.Models;
using LatentTerrain.Models.Onnx;
using LatentTerrain.Models.TorchScript;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Benchmarks;

/// <summary>
/// Neural decoders, one latent frame per call as a voice decodes: the benchmark decoder of
/// tests/peer/nn_models.py (latent 16, hidden 256, ratio 2048, about 0.6 M parameters, causal cached
/// convolutions) as TorchScript through our libtorch host and as ONNX through ONNX Runtime, one
/// thread each; one voice, and 8 voices in one batch against 8 separate calls. Targets: the host
/// within 10% of Python's torch.jit on the same file (tests/peer/compare_models.py runs both), ONNX
/// at least as fast, a batch of 8 faster than 8 calls.
/// </summary>
/// <remarks>The models are made into a scratch folder, or taken from $TERRAIN_BENCH_MODELS (the comparison script sets it).</remarks>
[MemoryDiagnoser]
[InProcess]
[WarmupCount(3)]
[IterationCount(10)]
public class ModelBenchmarks
{
    public const int Voices = 8;
    public const string Arguments = "--only-streaming --latent 16 --hidden 256 --ratio 2048";
    private readonly List<IDisposable> _owned = [];
    private IStreamingDecoder _torch = null!, _onnx = null!;
    private IStreamingDecoder[] _torchVoices = null!, _onnxVoices = null!;
    private IBatchDecoder _torchBatch = null!, _onnxBatch = null!;
    private float[] _latent = null!, _latents = null!, _audio = null!;

    [GlobalSetup]
    public void Setup()
    {
        string folder = Environment.GetEnvironmentVariable("TERRAIN_BENCH_MODELS") ?? Paths.NewScratch();
        if (!File.Exists(Path.Combine(folder, "streaming_r44100.ts"))) PeerPython.Run("nn_models.py", [folder, .. Arguments.Split(' ')]);
        var torch = Own(TorchScriptModel.Open(Path.Combine(folder, "streaming_r44100.ts")));
        var onnx = Own(OnnxModel.Open(Path.Combine(folder, "streaming.onnx")));
        _torch = Own(torch.CreateDecoder());
        _onnx = Own(onnx.CreateDecoder());
        _torchVoices = [.. Enumerable.Range(0, Voices).Select(_ => Own(torch.CreateDecoder()))];
        _onnxVoices = [.. Enumerable.Range(0, Voices).Select(_ => Own(onnx.CreateDecoder()))];
        _torchBatch = Own(torch.CreateBatchDecoder(Voices));
        _onnxBatch = Own(onnx.CreateBatchDecoder(Voices));
        var random = new Random(1);
        _latents = [.. Enumerable.Range(0, Voices * torch.LatentSize).Select(_ => (float)random.NextDouble() * 2 - 1)];
        _latent = _latents[..torch.LatentSize];
        _audio = new float[Voices * torch.Channels * torch.Ratio];
    }

    [GlobalCleanup]
    public void Cleanup() => _owned.ForEach(o => o.Dispose());

    [Benchmark(Description = "TorchScript: one frame, one voice")]
    public float TorchOne() => Decode(_torch);

    [Benchmark(Description = "ONNX: one frame, one voice")]
    public float OnnxOne() => Decode(_onnx);

    [Benchmark(Description = "TorchScript: 8 voices, 8 calls")]
    public float TorchEightCalls() => DecodeEach(_torchVoices);

    [Benchmark(Description = "TorchScript: 8 voices, one batch")]
    public float TorchEightBatched() => DecodeBatch(_torchBatch);

    [Benchmark(Description = "ONNX: 8 voices, 8 calls")]
    public float OnnxEightCalls() => DecodeEach(_onnxVoices);

    [Benchmark(Description = "ONNX: 8 voices, one batch")]
    public float OnnxEightBatched() => DecodeBatch(_onnxBatch);

    private float Decode(IStreamingDecoder decoder)
    {
        decoder.Decode(_latent, _audio);
        return _audio[0];
    }

    private float DecodeEach(IStreamingDecoder[] decoders)
    {
        for (int v = 0; v < decoders.Length; v++) decoders[v].Decode(_latent, _audio);
        return _audio[0];
    }

    private float DecodeBatch(IBatchDecoder decoder)
    {
        decoder.Decode(_latents, _audio);
        return _audio[0];
    }

    private T Own<T>(T owned) where T : IDisposable
    {
        _owned.Add(owned);
        return owned;
    }
}
