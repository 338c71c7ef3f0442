using BenchmarkDotNet.Attributes;
using LatentTerrain.Engine.Audio;

namespace LatentTerrain.Tests.Benchmarks;

/// <summary>
/// One second of stereo noise from 44.1 to 48 kHz in 128-frame output blocks, as the synth resamples a
/// model live: our polyphase resampler against soxr's streaming HQ converter doing the same work
/// (soxr is fed the same input a block at a time; its output comes in bursts of its own).
/// </summary>
[MemoryDiagnoser]
[InProcess]
[WarmupCount(3)]
[IterationCount(10)]
public class ResamplerBenchmarks
{
    private const int Block = 128, Source = 44100, Target = 48000, Channels = 2;
    private readonly PolyphaseResampler _ours = new(Source, Target, Channels, Block);
    private readonly StreamingResampler _soxr = new(Source, Target, Channels);
    private readonly float[] _input = new float[Channels * 4096], _output = new float[Channels * 4096];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        for (int i = 0; i < _input.Length; i++) _input[i] = (float)(random.NextDouble() - 0.5);
    }

    [Benchmark(Baseline = true, Description = "ours: one second, 44.1 -> 48 kHz stereo")]
    public float Ours()
    {
        for (int b = 0; b < Target / Block; b++)
        {
            int needed = _ours.InputFramesFor(Block);
            _ours.Process(_input.AsSpan(0, needed * Channels), _output.AsSpan(0, Block * Channels));
        }
        return _output[0];
    }

    [Benchmark(Description = "soxr HQ streaming: the same second")]
    public float Soxr()
    {
        // A second of input in as many blocks, 117 or 118 frames each (planar for soxr).
        const int blocks = Target / Block;
        for (int b = 0; b < blocks; b++)
            _soxr.Process(_input.AsSpan(0, Channels * ((b + 1) * Source / blocks - b * Source / blocks)), _output);
        return _output[0];
    }

    /// <summary>
    /// The other half of the comparison: how late each one's output comes. Ours is always its
    /// delay; soxr's grows and shrinks with its bursts, so a fresh one is fed a second of blocks and
    /// the most it held back and the most it gave at once are printed.
    /// </summary>
    [GlobalCleanup]
    public void ReportDelays()
    {
        using var soxr = new StreamingResampler(Source, Target, Channels);
        const int blocks = Target / Block;
        double mostHeld = 0;
        int largestBurst = 0;
        for (int b = 0; b < blocks; b++)
        {
            largestBurst = Math.Max(largestBurst, soxr.Process(_input.AsSpan(0, Channels * ((b + 1) * Source / blocks - b * Source / blocks)), _output));
            mostHeld = Math.Max(mostHeld, soxr.Delay);
        }
        Console.WriteLine($"// delay: ours {_ours.DelayFrames:F1} frames ({_ours.DelaySeconds * 1000:F2} ms) always; " +
            $"soxr HQ up to {mostHeld:F0} frames ({mostHeld / Target * 1000:F1} ms), in bursts of up to {largestBurst} frames");
        _soxr.Dispose();
    }
}
