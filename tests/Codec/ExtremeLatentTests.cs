using LatentTerrain.Models.BuiltIn;
using static LatentTerrain.Tests.Codec.CodecSignals;

namespace LatentTerrain.Tests.Codec;

/// <summary>
/// A terrain can output anything up to ±100: the decoder clamps every latent to its range, so the
/// voice stays finite and bounded. ±∞ clamp the same way; NaN, which a terrain never outputs, reads as
/// the bottom of the range (for loudness: the quietest level).
/// </summary>
public class ExtremeLatentTests
{
    /// <summary>
    /// The loudest level is 0.16 RMS, and the harmonics' Rudin–Shapiro signs keep every waveform's peak
    /// under about six times its RMS (measured: 0.93 at worst over random extremes; all-positive sines
    /// reached 2.5), so a voice stays under full scale.
    /// </summary>
    private const float Bound = 1.2f;

    [Fact]
    public void AnyLatentsGiveFiniteBoundedAudio()
    {
        using var codec = new BuiltInCodec();
        var random = new Random(3);
        float[] values = [-100f, 100f, -2.5f, 2.5f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, float.MaxValue, float.MinValue, 0f];
        int frames = 2000;
        var latents = new float[frames * Latents];
        for (int i = 0; i < latents.Length; i++) latents[i] = values[random.Next(values.Length)];
        var audio = Render(codec, latents);
        Assert.All(audio, x => Assert.True(float.IsFinite(x), $"sample {x}"));
        Assert.True(audio.Max(MathF.Abs) < Bound, $"peak {audio.Max(MathF.Abs)}");
    }

    [Fact]
    public void OutOfRangeLatentsSoundLikeTheEndsOfTheirRanges()
    {
        using var codec = new BuiltInCodec();
        var beyond = Render(codec, Steady(50, 100f, 100f, -100f, 7f, -7f, 100f, float.NegativeInfinity, float.PositiveInfinity));
        var ends = Render(codec, Steady(50, 2f, 2f, -2f, 2f, -2f, 2f, -2f, 2f));
        Assert.Equal(ends, beyond);
    }

    [Fact]
    public void NaNReadsAsTheBottomOfTheRange()
    {
        using var codec = new BuiltInCodec();
        var nan = Render(codec, Steady(50, 0f, float.NaN, 0f, 0f, 0f, 0f, 0f, 0f));
        var quiet = Render(codec, Steady(50, 0f, -2f, 0f, 0f, 0f, 0f, 0f, 0f));
        Assert.Equal(quiet, nan);
    }
}
