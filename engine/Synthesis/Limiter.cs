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
    private readonly float _release = 1f - MathF.Exp(-1f / (releaseSeconds * sampleRate));
    private float _gain = 1f;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Process(Span<float> interleaved, int channels)
    {
        for (int t = 0; t < interleaved.Length; t += channels)
        {
            float peak = 0f;
            for (int c = 0; c < channels; c++) peak = MathF.Max(peak, MathF.Abs(interleaved[t + c]));
            float allowed = peak > Ceiling ? Ceiling / peak : 1f;
            _gain += (1f - _gain) * _release;
            if (_gain > allowed) _gain = allowed;
            for (int c = 0; c < channels; c++) interleaved[t + c] *= _gain;
        }
    }
}
