using LatentTerrain.Engine.Rendering;
using LatentTerrain.Engine.Synthesis;
using LatentTerrain.Engine.Terrain;
using LatentTerrain.Instrument;
using LatentTerrain.Models.BuiltIn;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Synthesis;

/// <summary>The synth as it plays out of the box: the built-in codec on the default terrain.</summary>
public class SynthWithCodecTests
{
    private const int Rate = 48000;

    private static Synth NewSynth() => new(new BuiltInCodec(), new TerrainSnapshots(DefaultTerrain.Load()));

    [Fact]
    public void AFastSweepAcrossThePlaneDoesNotClick()
    {
        // The steps a resting cursor makes at points along the sweep: what the sound itself does.
        float resting = 0f;
        for (int i = 0; i <= 16; i++)
        {
            using var synth = NewSynth();
            float x = -16f + 2f * i, y = -4f + 0.5f * i;
            var audio = OfflineRenderer.Render(synth, new Gesture([new(0, 0, x, y, 1f)]), seconds: 0.15);
            resting = MathF.Max(resting, Spectrum.LargestStep(audio.AsSpan(Rate / 20)));
        }

        // The same ground crossed corner to corner and back in 0.2 s, then jumping between far places.
        var events = new List<GestureEvent>();
        for (int i = 0; i <= 40; i++)
        {
            float u = i / 40f, back = i <= 20 ? 2 * u : 2 - 2 * u;
            events.Add(new(0.1 + 0.005 * i, 0, -16f + 32f * back, -4f + 8f * back, 1f));
        }
        for (int i = 0; i < 10; i++) events.Add(new(0.4 + 0.03 * i, 0, i % 2 == 0 ? 16f : -16f, i % 2 == 0 ? 4f : -4f, 1f));
        using var sweeping = NewSynth();
        var sweep = OfflineRenderer.Render(sweeping, new Gesture(events), seconds: 0.9);

        float moving = Spectrum.LargestStep(sweep.AsSpan(Rate / 20));
        Assert.True(moving <= 1.5f * resting, $"largest step while sweeping {moving}, at rest {resting}");
    }

    [Fact]
    public void TwoCursorsSoundTheirTwoPitches()
    {
        var terrain = DefaultTerrain.Load();
        var evaluator = new TerrainEvaluator(terrain.Config);
        var low = new float[8];
        var high = new float[8];
        evaluator.Evaluate(terrain, [-12f, -3.5f], low);
        evaluator.Evaluate(terrain, [12f, 3.5f], high);
        double lowHz = 220 * Math.Pow(2, low[0]), highHz = 220 * Math.Pow(2, high[0]);

        using var synth = NewSynth();
        var both = OfflineRenderer.Render(synth, new Gesture([new(0, 0, -12f, -3.5f, 1f), new(0, 1, 12f, 3.5f, 1f)]), seconds: 0.6);
        var steady = both[(Rate / 5)..];
        double Level(double hz) => Spectrum.Magnitude(steady, hz, Rate);
        double Background(double hz) => new[] { 0.93, 0.96, 1.04, 1.07 }.Average(k => Level(hz * k));

        Assert.True(Level(lowHz) > 4 * Background(lowHz), $"{lowHz:F0} Hz: {Level(lowHz):E2} over {Background(lowHz):E2}");
        Assert.True(Level(highHz) > 4 * Background(highHz), $"{highHz:F0} Hz: {Level(highHz):E2} over {Background(highHz):E2}");
    }

    [Fact]
    public void SixteenVoicesRenderWithoutAllocating()
    {
        using var synth = NewSynth();
        var block = new float[128];
        for (int i = 0; i < 16; i++) synth.Cursors.Move(i, -15f + 2f * i, -4f + 0.5f * i, 0.8f);
        for (int i = 0; i < 100; i++) synth.Render(block);

        Assert.Equal(0, Allocations.Of(() =>
        {
            for (int i = 0; i < 400; i++)
            {
                synth.Cursors.Move(i % 16, -16f + i * 0.08f, 0f, 0.9f);
                synth.Render(block);
            }
        }));
        Assert.Equal(16, synth.SoundingVoices);
    }
}
