using System.Runtime.CompilerServices;

namespace LatentTerrain.Engine.Synthesis;

/// <summary>
/// The mix's last stage: a peak limiter with instant attack and a smooth release, linked across
/// channels, so that however many voices sound the output never exceeds <see cref="Ceiling"/>
/// and never clips hard. Deterministic, so offline renders stay bit-identical.
/// </summary>
internal sealed class Limiter(int sampleRate, float releaseSeconds = 0.1f)
{
    public const float Ceiling = 0.98f;
    private readonly float _hold = MathF.Exp(-1f / (releaseSeconds * sampleRate));
    // 1 - gain. Kept as the attenuation, which decays to exactly 0: a gain creeping up toward 1 stops
    // short of it (1.4e-4 below at 48 kHz, where its step rounds away), and the synth would then never
    // again sound exactly as a fresh one, so a live take would not match its render sample for sample.
    private float _attenuation;

    /// <summary>The gain applied to the last frame: 1 when not limiting.</summary>
    public float Gain => 1f - _attenuation;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Process(Span<float> interleaved, int channels)
    {
        for (int t = 0; t < interleaved.Length; t += channels)
        {
            float peak = 0f;
            for (int c = 0; c < channels; c++) peak = MathF.Max(peak, MathF.Abs(interleaved[t + c]));
            _attenuation *= _hold;
            if (_attenuation < 1e-7f) _attenuation = 0f;
            if (peak > Ceiling) _attenuation = MathF.Max(_attenuation, 1f - Ceiling / peak);
            if (_attenuation == 0f) continue;
            float gain = 1f - _attenuation;
            for (int c = 0; c < channels; c++) interleaved[t + c] *= gain;
        }
    }
}
