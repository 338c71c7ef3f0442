using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LatentTerrain.Models.BuiltIn;

/// <summary>
/// Sums the harmonics of one voice, one frame at a time. Every harmonic is <c>±sin(k·Φ)</c> of a single
/// master phase Φ, so the partials stay exactly harmonic and phase-continuous whatever the pitch does;
/// the fundamental and every amplitude move linearly, sample by sample, from the previous frame's
/// value to this frame's, reaching it on the frame's last sample.
/// </summary>
/// <remarks>
/// Speed: the sines of all harmonics come from the Chebyshev recursion
/// <c>sin((k+1)Φ) = 2 cos Φ · sin(kΦ) − sin((k−1)Φ)</c>, vectorised across samples, so a harmonic
/// costs three fused multiply-adds per sample and only one sine and cosine per sample are evaluated.
/// Band limit: a harmonic's gain falls linearly from 1 at <see cref="FadeStart"/> to 0 at
/// <see cref="FadeEnd"/> (below Nyquist), evaluated from its instantaneous frequency at every sample,
/// so a rising pitch fades partials out before they can alias, without a step.
/// </remarks>
internal sealed class HarmonicOscillatorBank
{
    public const int MaxHarmonics = 128;
    public const float FadeStartFraction = 0.40f, FadeEndFraction = 0.475f;
    /// <summary>Samples per pass of the kernels: two 16-lane blocks side by side, so their recursions hide each other's latency.</summary>
    private const int Block = 32;

    private readonly int _frame, _padded;
    private readonly double _radiansPerHz;
    private readonly double[] _halfPeriods, _count, _triangle;
    private readonly float[] _phase, _sin, _twoCos, _ramp, _channels;
    private readonly float[] _start = new float[MaxHarmonics], _step = new float[MaxHarmonics], _previous = new float[MaxHarmonics];
    /// <summary>Unwrapped, in double: its precision stays far below audibility for days of play.</summary>
    private double _phaseAtFrameEnd;
    private float _previousF0;
    private bool _started;

    public HarmonicOscillatorBank(int sampleRate, int frame)
    {
        _frame = frame;
        _padded = (frame + Block - 1) / Block * Block;
        _radiansPerHz = 2 * Math.PI / sampleRate;
        FadeStart = FadeStartFraction * sampleRate;
        FadeEnd = FadeEndFraction * sampleRate;
        _halfPeriods = new double[frame];
        _count = new double[_padded];
        _triangle = new double[_padded];
        for (int t = 0; t < _padded; t++)
        {
            _count[t] = t + 1;
            _triangle[t] = (t + 1.0) * (t + 2.0) / 2;
        }
        _phase = new float[_padded];
        _sin = new float[_padded];
        _twoCos = new float[_padded];
        _channels = new float[NoiseSource.Channels * _padded];
        _ramp = new float[_padded];
        for (int t = 0; t < _padded; t++) _ramp[t] = (t + 1f) / frame;
    }

    /// <summary>Where harmonics start to fade (80 % of Nyquist): below it every harmonic plays at full gain.</summary>
    public float FadeStart { get; }
    /// <summary>Where the fade reaches silence (95 % of Nyquist).</summary>
    public float FadeEnd { get; }

    /// <summary>The fundamental's phase at each sample of the last frame, in half periods (Φ / π), unwrapped.</summary>
    public ReadOnlySpan<double> HalfPeriods => _halfPeriods;

    /// <summary>The band-limit gain of a partial at <paramref name="frequency"/> Hz.</summary>
    public float Gain(float frequency) => Math.Clamp((FadeEnd - frequency) / (FadeEnd - FadeStart), 0f, 1f);

    /// <summary>The mean square of harmonics 1..128 with <paramref name="amplitudes"/> at <paramref name="f0"/>, after the band-limit gains.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public float MeanSquare(float f0, ReadOnlySpan<float> amplitudes)
    {
        var slope = new Vector<float>(-f0 / (FadeEnd - FadeStart));
        var offset = new Vector<float>(FadeEnd / (FadeEnd - FadeStart));
        var sum = Vector<float>.Zero;
        for (int i = 0; i < MaxHarmonics; i += Vector<float>.Count)
        {
            var gain = Vector.Min(Vector<float>.One, Vector.Max(Vector<float>.Zero, Vector.FusedMultiplyAdd(slope, new Vector<float>(HarmonicNumbers, i), offset)));
            var audible = new Vector<float>(amplitudes.Slice(i)) * gain;
            sum = Vector.FusedMultiplyAdd(audible, audible, sum);
        }
        return 0.5f * Vector.Sum(sum);
    }

    /// <summary>
    /// Each harmonic's sign, from the Rudin–Shapiro sequence (−1 where the binary digits of k − 1 hold
    /// an odd number of "11"s). Signs leave the spectrum alone, but keep the peak of any sum of up to
    /// 128 equal harmonics under five times its RMS, where all-positive sines peak at up to sixteen
    /// times: a bright low voice at full loudness stays under full scale.
    /// </summary>
    private static readonly float[] Signs = Enumerable.Range(0, MaxHarmonics)
        .Select(n => BitOperations.PopCount((uint)(n & (n >> 1))) % 2 == 0 ? 1f : -1f).ToArray();

    private static readonly float[] HarmonicNumbers = Enumerable.Range(1, MaxHarmonics).Select(k => (float)k).ToArray();

    /// <summary>The partial sums of the last frame, one per noise channel ([channel, sample], <see cref="Stride"/> samples a channel).</summary>
    public ReadOnlySpan<float> ChannelSums => _channels;
    public int Stride => _padded;
    /// <summary>How many channels of the last frame hold an audible harmonic; the rest of <see cref="ChannelSums"/> is stale.</summary>
    public int UsedChannels { get; private set; }

    /// <summary>
    /// Renders one frame: the glide from the previous frame's fundamental and amplitudes to
    /// <paramref name="f0"/> and <paramref name="amplitudes"/> (harmonics 1..128, before the band-limit
    /// gain), summed per noise channel into <see cref="ChannelSums"/>. After a reset the first frame
    /// starts at its own pitch and amplitudes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Render(float f0, ReadOnlySpan<float> amplitudes)
    {
        if (!_started) TensorPrimitives.Multiply(amplitudes, Signs, _previous);
        float f0a = _started ? _previousF0 : f0;
        float fLow = MathF.Min(f0a, f0), fHigh = MathF.Max(f0a, f0);
        // Harmonics up to `full` never reach the fade; those from `top` on are silent the whole frame.
        int full = Math.Min(amplitudes.Length, (int)(FadeStart / fHigh));
        int top = Math.Min(amplitudes.Length, (int)MathF.Ceiling(FadeEnd / fLow));
        for (int i = 0; i < amplitudes.Length; i++)
        {
            float signed = Signs[i] * amplitudes[i];
            _start[i] = _previous[i];
            _step[i] = signed - _previous[i];
            _previous[i] = signed;
        }

        AdvancePhase(f0a, f0);
        Trig.SinCos(_phase, _sin, _twoCos);
        TensorPrimitives.Multiply(_twoCos, 2f, _twoCos);
        UsedChannels = 1;
        while (UsedChannels < NoiseSource.Channels && NoiseSource.ChannelEnds[UsedChannels - 1] < top) UsedChannels++;
        if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported) Sum512(full, top, f0a, f0);
        else SumPortable(full, top, f0a, f0);
        _previousF0 = f0;
        _started = true;
    }

    public void Reset()
    {
        _phaseAtFrameEnd = 0;
        _previousF0 = 0;
        _started = false;
    }

    /// <summary>
    /// The phase of every sample of the frame (and of the padding after it), the fundamental ramping
    /// linearly in Hz: in closed form from the frame's start phase, in double, so no error accumulates.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AdvancePhase(float f0a, float f0b)
    {
        // Sum over samples 0..t of the fundamental at sample j, f0a + slope·(j + 1): f0a·(t + 1) + slope·(t + 1)(t + 2)/2.
        double slope = (f0b - f0a) / (double)_frame, start = _phaseAtFrameEnd;
        var perCount = new Vector<double>(_radiansPerHz * f0a);
        var perTriangle = new Vector<double>(_radiansPerHz * slope);
        var origin = new Vector<double>(start);
        var toTurns = new Vector<double>(1 / (2 * Math.PI));
        var turn = new Vector<double>(2 * Math.PI);
        var toHalfPeriods = new Vector<double>(1 / Math.PI);
        var half = new Vector<double>(0.5);
        int width = Vector<double>.Count;
        for (int t = 0; t < _padded; t += width)
        {
            var phase = origin + Vector.FusedMultiplyAdd(perCount, new Vector<double>(_count, t), perTriangle * new Vector<double>(_triangle, t));
            if (t < _frame) (phase * toHalfPeriods).CopyTo(_halfPeriods, t);
            // Wrapped to [-π, π], the single-precision phase is exact to a few parts in 10⁷ of a turn.
            var wrapped = phase - turn * Vector.Floor(Vector.FusedMultiplyAdd(phase, toTurns, half));
            for (int lane = 0; lane < width; lane++) _phase[t + lane] = (float)wrapped[lane];
        }
        _phaseAtFrameEnd = start + _radiansPerHz * (_frame * (double)f0a + slope * _frame * (_frame + 1) * 0.5);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Sum512(int full, int top, float f0a, float f0b)
    {
        ref float start = ref _start[0], step = ref _step[0];
        var fadeEnd = Vector512.Create(FadeEnd);
        var fadeSlope = Vector512.Create(1f / (FadeEnd - FadeStart));
        var glide = Vector512.Create(f0b - f0a);
        var from = Vector512.Create(f0a);
        for (int t = 0; t < _padded; t += Block)
        {
            var twoCosA = Vector512.Create(_twoCos.AsSpan(t, 16)); var twoCosB = Vector512.Create(_twoCos.AsSpan(t + 16, 16));
            var sa1 = Vector512.Create(_sin.AsSpan(t, 16)); var sb1 = Vector512.Create(_sin.AsSpan(t + 16, 16));
            var sa0 = Vector512<float>.Zero; var sb0 = Vector512<float>.Zero;
            var rampA = Vector512.Create(_ramp.AsSpan(t, 16)); var rampB = Vector512.Create(_ramp.AsSpan(t + 16, 16));
            var f0A = Vector512.FusedMultiplyAdd(glide, rampA, from); var f0B = Vector512.FusedMultiplyAdd(glide, rampB, from);
            int i = 0;
            for (int channel = 0; channel < UsedChannels; channel++)
            {
                int end = Math.Min(NoiseSource.ChannelEnds[channel], top), fullEnd = Math.Min(end, full);
                var startA = Vector512<float>.Zero; var startB = Vector512<float>.Zero;
                var stepA = Vector512<float>.Zero; var stepB = Vector512<float>.Zero;
                var fadingA = Vector512<float>.Zero; var fadingB = Vector512<float>.Zero;
                for (; i < fullEnd; i++)
                {
                    var a = Vector512.Create(Unsafe.Add(ref start, i));
                    var d = Vector512.Create(Unsafe.Add(ref step, i));
                    startA = Vector512.FusedMultiplyAdd(a, sa1, startA); startB = Vector512.FusedMultiplyAdd(a, sb1, startB);
                    stepA = Vector512.FusedMultiplyAdd(d, sa1, stepA); stepB = Vector512.FusedMultiplyAdd(d, sb1, stepB);
                    var sa2 = Avx512F.FusedMultiplySubtract(twoCosA, sa1, sa0); var sb2 = Avx512F.FusedMultiplySubtract(twoCosB, sb1, sb0);
                    sa0 = sa1; sa1 = sa2;
                    sb0 = sb1; sb1 = sb2;
                }
                for (; i < end; i++)
                {
                    var harmonic = Vector512.Create(-(i + 1f));
                    var a = Vector512.Create(Unsafe.Add(ref start, i));
                    var d = Vector512.Create(Unsafe.Add(ref step, i));
                    var gainA = Vector512.Min(Vector512<float>.One, Vector512.Max(Vector512<float>.Zero, Vector512.FusedMultiplyAdd(harmonic, f0A, fadeEnd) * fadeSlope));
                    var gainB = Vector512.Min(Vector512<float>.One, Vector512.Max(Vector512<float>.Zero, Vector512.FusedMultiplyAdd(harmonic, f0B, fadeEnd) * fadeSlope));
                    fadingA = Vector512.FusedMultiplyAdd(Vector512.FusedMultiplyAdd(rampA, d, a) * gainA, sa1, fadingA);
                    fadingB = Vector512.FusedMultiplyAdd(Vector512.FusedMultiplyAdd(rampB, d, a) * gainB, sb1, fadingB);
                    var sa2 = Avx512F.FusedMultiplySubtract(twoCosA, sa1, sa0); var sb2 = Avx512F.FusedMultiplySubtract(twoCosB, sb1, sb0);
                    sa0 = sa1; sa1 = sa2;
                    sb0 = sb1; sb1 = sb2;
                }
                (Vector512.FusedMultiplyAdd(rampA, stepA, startA) + fadingA).CopyTo(_channels.AsSpan(channel * _padded + t, 16));
                (Vector512.FusedMultiplyAdd(rampB, stepB, startB) + fadingB).CopyTo(_channels.AsSpan(channel * _padded + t + 16, 16));
            }
        }
    }

    /// <summary>The same sums for machines without 512-bit vectors, one machine-width block at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SumPortable(int full, int top, float f0a, float f0b)
    {
        int width = Vector<float>.Count;
        var fadeEnd = new Vector<float>(FadeEnd);
        var fadeSlope = new Vector<float>(1f / (FadeEnd - FadeStart));
        var glide = new Vector<float>(f0b - f0a);
        for (int t = 0; t < _padded; t += width)
        {
            var twoCos = new Vector<float>(_twoCos, t);
            var s1 = new Vector<float>(_sin, t);
            var s0 = Vector<float>.Zero;
            var ramp = new Vector<float>(_ramp, t);
            var f0 = Vector.FusedMultiplyAdd(glide, ramp, new Vector<float>(f0a));
            int i = 0;
            for (int channel = 0; channel < UsedChannels; channel++)
            {
                int end = Math.Min(NoiseSource.ChannelEnds[channel], top), fullEnd = Math.Min(end, full);
                var accStart = Vector<float>.Zero;
                var accStep = Vector<float>.Zero;
                var fading = Vector<float>.Zero;
                for (; i < fullEnd; i++)
                {
                    accStart = Vector.FusedMultiplyAdd(new Vector<float>(_start[i]), s1, accStart);
                    accStep = Vector.FusedMultiplyAdd(new Vector<float>(_step[i]), s1, accStep);
                    var s2 = Vector.FusedMultiplyAdd(twoCos, s1, -s0);
                    s0 = s1;
                    s1 = s2;
                }
                for (; i < end; i++)
                {
                    var headroom = Vector.FusedMultiplyAdd(new Vector<float>(-(i + 1f)), f0, fadeEnd) * fadeSlope;
                    var gain = Vector.Min(Vector<float>.One, Vector.Max(Vector<float>.Zero, headroom));
                    var amplitude = Vector.FusedMultiplyAdd(ramp, new Vector<float>(_step[i]), new Vector<float>(_start[i]));
                    fading = Vector.FusedMultiplyAdd(amplitude * gain, s1, fading);
                    var s2 = Vector.FusedMultiplyAdd(twoCos, s1, -s0);
                    s0 = s1;
                    s1 = s2;
                }
                (Vector.FusedMultiplyAdd(ramp, accStep, accStart) + fading).CopyTo(_channels.AsSpan(channel * _padded + t, width));
            }
        }
    }
}
