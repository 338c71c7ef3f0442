using BenchmarkDotNet.Attributes;
using LatentTerrain.Models;
using LatentTerrain.Models.BuiltIn;
using LatentTerrain.Tests.Codec;

namespace LatentTerrain.Tests.Benchmarks;

/// <summary>
/// The built-in codec's speed targets, one second of 48 kHz audio at ratio 256 (187 frames): decoding
/// one voice at least 500× real time (under 2 ms), encoding at least 50× (under 20 ms). Decoding is
/// timed on slow random latent curves and on the costliest frame there is (the lowest pitch, the
/// flattest spectrum: all 128 harmonics and all 16 noise channels).
/// </summary>
/// <remarks>In-process: BenchmarkDotNet 0.14 cannot build a separate .NET 10 host project.</remarks>
[MemoryDiagnoser]
[InProcess]
[WarmupCount(3)]
[IterationCount(10)]
public class CodecBenchmarks
{
    private const int SampleRate = 48000, Ratio = 256, Frames = SampleRate / Ratio;
    private BuiltInCodec _codec = null!;
    private IStreamingDecoder _decoder = null!;
    private float[] _curves = null!, _costliest = null!, _audio = null!;
    private readonly float[] _block = new float[Ratio];

    [GlobalSetup]
    public void Setup()
    {
        _codec = new BuiltInCodec(new BuiltInCodecOptions { SampleRate = SampleRate, Ratio = Ratio });
        _decoder = _codec.CreateDecoder();
        _curves = CodecSignals.SlowCurves(Frames, Ratio, SampleRate, seed: 1);
        _costliest = CodecSignals.Steady(Frames, -2f, 0f, 2f, 0f, 0f, 0f, 0f, -2f);
        _audio = CodecSignals.Render(_codec, _curves);
    }

    [Benchmark(Description = "decode 1 s, one voice, slow random curves")]
    public float DecodeCurves() => Decode(_curves);

    [Benchmark(Description = "decode 1 s, one voice, costliest frame (55 Hz, flat)")]
    public float DecodeCostliest() => Decode(_costliest);

    [Benchmark(Description = "encode 1 s")]
    public float Encode() => _codec.Encode(_audio)[0];

    private float Decode(float[] latents)
    {
        for (int i = 0; i < Frames; i++) _decoder.Decode(latents.AsSpan(i * CodecSignals.Latents, CodecSignals.Latents), _block);
        return _block[0];
    }
}
