using BenchmarkDotNet.Attributes;
using LatentTerrain.Engine.Synthesis;
using LatentTerrain.Engine.Terrain;
using LatentTerrain.Instrument;
using LatentTerrain.Models.BuiltIn;

namespace LatentTerrain.Tests.Benchmarks;

/// <summary>
/// One second of the synth as it plays out of the box (built-in codec at ratio 256, default terrain,
/// 128-frame blocks at 48 kHz) with 1 and 16 moving voices: the real-time factor is 1 s over the time.
/// </summary>
[MemoryDiagnoser]
[InProcess]
[WarmupCount(3)]
[IterationCount(10)]
public class SynthBenchmarks
{
    private const int Block = 128, Rate = 48000;
    private Synth _synth = null!;
    private readonly float[] _block = new float[Block];

    [Params(1, 16)]
    public int Voices { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _synth = new Synth(new BuiltInCodec(), new TerrainSnapshots(DefaultTerrain.Load()));
        for (int i = 0; i < Voices; i++) _synth.Cursors.Move(i, -15f + 2f * i, -4f + 0.5f * i, 0.8f);
        OneSecond();
    }

    [Benchmark(Description = "one second of audio")]
    public float OneSecond()
    {
        for (int b = 0; b < Rate / Block; b++)
        {
            // Every cursor moves every block, as fingers on a pad do.
            for (int i = 0; i < Voices; i++) _synth.Cursors.Move(i, -15f + 2f * i + 0.001f * b, -4f + 0.5f * i, 0.8f);
            _synth.Render(_block);
        }
        return _block[0];
    }

    [GlobalCleanup]
    public void Cleanup() => _synth.Dispose();
}
