using LatentTerrain.Models.BuiltIn;
using static LatentTerrain.Tests.Codec.CodecSignals;

namespace LatentTerrain.Tests.Codec;

/// <summary>
/// No clicks on the fastest moves: every latent jumps between the ends of its range at random, frame
/// after frame, and no sample may step or bend further than the sound's own content allows. With
/// brightness at its darkest, the strongest partials sit at or below the third harmonic of 880 Hz
/// (2.6 kHz), so a smooth signal moves by at most about 2π·2.6/48 ≈ 0.35 of its peak per sample and
/// its second difference stays under (2π·2.6/48)² ≈ 0.12 of it (measured: 0.22 and 0.08). A gain that
/// stepped at frame boundaries instead of gliding measured 0.40 and 0.43.
/// </summary>
public class ContinuityTests
{
    private const double MaxStepOfPeak = 0.3, MaxBendOfPeak = 0.15;

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
        double step = 0, bend = 0;
        for (int t = 1; t < audio.Length; t++) step = Math.Max(step, Math.Abs(audio[t] - audio[t - 1]));
        for (int t = 1; t + 1 < audio.Length; t++) bend = Math.Max(bend, Math.Abs(audio[t + 1] - 2 * audio[t] + audio[t - 1]));
        Assert.True(step < MaxStepOfPeak * peak, $"a sample steps by {step / peak:F2} of the peak");
        Assert.True(bend < MaxBendOfPeak * peak, $"a sample bends by {bend / peak:F2} of the peak");
    }
}
