using LatentTerrain.Models.BuiltIn;
using Xunit.Abstractions;
using static LatentTerrain.Tests.Codec.CodecSignals;

namespace LatentTerrain.Tests.Codec;

/// <summary>
/// encode(decode(z)) ≈ z for slow random latent curves over the whole documented ranges. Frames
/// within 0.2 s of either end are not compared (the first fades in from silence, and the encoder's
/// windows run off the recording there). Pitch and timbre are compared on voiced frames, those whose
/// noisiness is at most 0 (noise at least 12 dB under the harmonics); the encoder holds them
/// elsewhere. Loudness and noisiness are compared on every frame.
/// </summary>
public class RoundTripTests(ITestOutputHelper output)
{
    private const double Seconds = 5, EdgeSeconds = 0.2;
    private const double PitchToleranceCents = 10;
    /// <summary>5 % of every latent's range, [-2, 2].</summary>
    private const double Tolerance = 0.2;

    public static TheoryData<int, int, int> Cases()
    {
        var cases = new TheoryData<int, int, int>();
        foreach (int seed in new[] { 1, 2, 3 })
        {
            cases.Add(48000, 64, seed);
            cases.Add(48000, 256, seed);
            cases.Add(48000, 2048, seed);
            cases.Add(44100, 256, seed);
        }
        cases.Add(44100, 64, 4);
        cases.Add(44100, 2048, 5);
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EncodingTheDecodedAudioRecoversTheLatents(int sampleRate, int ratio, int seed)
    {
        using var codec = new BuiltInCodec(new BuiltInCodecOptions { SampleRate = sampleRate, Ratio = ratio });
        int frames = (int)(Seconds * sampleRate / ratio);
        var truth = SlowCurves(frames, ratio, sampleRate, seed);
        var encoded = codec.Encode(Render(codec, truth));
        Assert.Equal(truth.Length, encoded.Length);

        int edge = (int)Math.Ceiling(EdgeSeconds * sampleRate / ratio);
        var compared = Enumerable.Range(edge, frames - 2 * edge).ToList();
        var voiced = compared.Where(i => truth[i * Latents + Noisiness] <= 0).ToList();
        Assert.True(voiced.Count > frames / 5, "the curves should spend a good part of the time voiced");
        double Error(IEnumerable<int> which, int latent) => Rms(which.Select(i => (double)encoded[i * Latents + latent] - truth[i * Latents + latent]));

        double pitchCents = 1200 * Error(voiced, Pitch);
        var errors = new Dictionary<string, double>
        {
            ["loudness"] = Error(compared, Loudness),
            ["noisiness"] = Error(compared, Noisiness),
            ["brightness"] = Error(voiced, Brightness),
            ["warmth"] = Error(voiced, Warmth),
            ["nasality"] = Error(voiced, Nasality),
            ["edge"] = Error(voiced, Edge),
            ["hollowness"] = Error(voiced, Hollowness),
        };
        output.WriteLine($"{sampleRate} Hz, ratio {ratio}, seed {seed}: pitch {pitchCents:F2} cents; "
            + string.Join(", ", errors.Select(e => $"{e.Key} {e.Value:F3}")));
        Assert.True(pitchCents < PitchToleranceCents, $"pitch RMS error {pitchCents:F1} cents");
        foreach (var (name, error) in errors) Assert.True(error < Tolerance, $"{name} RMS error {error:F3}");
    }
}
