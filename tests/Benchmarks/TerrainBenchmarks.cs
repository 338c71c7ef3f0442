using BenchmarkDotNet.Attributes;
using LatentTerrain.Engine.Terrain;

namespace LatentTerrain.Tests.Benchmarks;

/// <summary>
/// The terrain's speed targets, the same cases tests/peer/terrain_bench.py times in PyTorch:
/// a training step at the reference defaults (batch 32) and at a large terrain (2 -> 64, width 512,
/// batch 64), one point and 16 points at the defaults, and a 256 x 256 map.
/// </summary>
/// <remarks>In-process: BenchmarkDotNet 0.14 cannot build a separate .NET 10 host project.</remarks>
[MemoryDiagnoser]
[InProcess]
[WarmupCount(3)]
[IterationCount(10)]
public class TerrainBenchmarks
{
    private TerrainTrainer _defaultTrainer = null!, _largeTrainer = null!;
    private int[] _batch32 = null!, _batch64 = null!;
    private TerrainNetwork _network = null!;
    private TerrainEvaluator _evaluator = null!, _mapEvaluator = null!;
    private readonly float[] _point = [0.3f, -0.2f], _points16 = new float[32], _grid = new float[256 * 256 * 2];
    private readonly float[] _latents = new float[256 * 256 * 8];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _defaultTrainer = Trainer(new TerrainConfig(), 32, random);
        _largeTrainer = Trainer(new TerrainConfig { LatentSize = 64, Width = 512 }, 64, random);
        _batch32 = Enumerable.Range(0, 32).ToArray();
        _batch64 = Enumerable.Range(0, 64).ToArray();
        _network = TerrainNetwork.Create(new TerrainConfig());
        _evaluator = new TerrainEvaluator(_network.Config, maxBatch: 16);
        _mapEvaluator = new TerrainEvaluator(_network.Config, maxBatch: 256);
        for (int i = 0; i < _points16.Length; i++) _points16[i] = (float)random.NextDouble() * 2 - 1;
        for (int i = 0; i < 256 * 256; i++)
        {
            _grid[2 * i] = i % 256 / 127.5f - 1f;
            _grid[2 * i + 1] = 1f - i / 256 / 127.5f;
        }
    }

    private static TerrainTrainer Trainer(TerrainConfig config, int batch, Random random)
    {
        const int pairs = 1024;
        var coordinates = Enumerable.Range(0, pairs * 2).Select(_ => (float)random.NextDouble() * 2 - 1).ToArray();
        var latents = Enumerable.Range(0, pairs * config.LatentSize).Select(_ => (float)random.NextDouble()).ToArray();
        return new TerrainTrainer(TerrainNetwork.Create(config), new TrainingPairs(2, config.LatentSize, coordinates, latents), new TrainingOptions { BatchSize = batch });
    }

    [Benchmark(Description = "train step, defaults (2->8, w128, m256, batch 32)")]
    public float TrainStepDefaults() => _defaultTrainer.TrainStep(_batch32);

    [Benchmark(Description = "train step, large (2->64, w512, m256, batch 64)")]
    public float TrainStepLarge() => _largeTrainer.TrainStep(_batch64);

    [Benchmark(Description = "one point, defaults")]
    public float OnePoint()
    {
        _evaluator.Evaluate(_network, _point, _latents);
        return _latents[0];
    }

    [Benchmark(Description = "16 points, defaults")]
    public float SixteenPoints()
    {
        _evaluator.Evaluate(_network, _points16, _latents);
        return _latents[0];
    }

    [Benchmark(Description = "256 x 256 map, defaults")]
    public float Map256()
    {
        _mapEvaluator.Evaluate(_network, _grid, _latents);
        return _latents[0];
    }
}
