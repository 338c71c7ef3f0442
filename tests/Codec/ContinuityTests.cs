using LatentTerrain.Models.BuiltIn;
using static LatentTerrain.Tests.Codec.CodecSignals;

namespace LatentTerrain.Tests.Codec;

/// <summary>
/// No clicks on the fastest moves: every latent jumps between the ends of its range at random, frame
/// after frame, and no sample may step further from the last than the sound's own content allows.
/// With brightness at its darkest every harmonic above the third of 880 Hz is more than 20 dB down,
/// so a smooth signal moves at most about 0.35 of its peak per sample (2π f / sample rate); a
/// parameter that stepped instead of gliding would jump by about the whole peak.
/// </summary>
public class ContinuityTests
{
    private const double MaxStepOfPeak = 0.5;

    [Theory]
    [InlineData(64)]
    [InlineData(256)]
    [InlineData(2048)]
    public void RandomJumpsBetweenExtremesDoNotClick(int ratio)
    {
        using var codec = new BuiltInCodec(new BuiltInCodecOptions { Ratio = ratio });
        var random = new Random(ratio);
        int frames = 2 * codec.SampleRate / ratio;
        var latents = new float[frames * Latents];
        for (int i = 0; i < latents.Length; i++) latents[i] = random.Next(2) == 0 ? -2f : 2f;
        for (int i = 0; i < frames; i++) latents[i * Latents + Brightness] = -2f;
        var audio = Render(codec, latents);

        double peak = audio.Max(MathF.Abs);
        double step = 0;
        for (int t = 1; t < audio.Length; t++) step = Math.Max(step, Math.Abs(audio[t] - audio[t - 1]));
        Assert.True(step < MaxStepOfPeak * peak, $"a sample steps by {step / peak:F2} of the peak");
    }
}
