using System.Numerics;
using System.Runtime.CompilerServices;

namespace LatentTerrain.Models.BuiltIn;

/// <summary>
/// The voice's noise, as random modulations of its own harmonics. Each of <see cref="Channels"/>
/// channels is a smooth random signal ν with a fresh random sign every half period of the
/// fundamental, interpolated by a cubic B-spline and kept at unit variance. The decoder multiplies
/// each group of harmonics by its channel, which spreads every harmonic into a band about one
/// fundamental wide: the noise tiles the spectrum under the harmonics' own envelope (breath that
/// takes the timbre's colour, as aspiration does in a voice or a flute), and never buries a harmonic
/// more than the noisiness latent says. Independent channels keep the noise from pulsing as one.
/// </summary>
/// <remarks>
/// The random values come from hashing (seed, channel, half-period index), so the noise is a pure
/// function of the seed and the phase: deterministic, and reset by resetting the phase.
/// </remarks>
internal sealed class NoiseSource
{
    public const int Channels = 16;
    /// <summary>Harmonics 1..12 get a channel each; then 13–16, 17–32, 33–64 and 65–128 share one.</summary>
    public static readonly int[] ChannelEnds = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 16, 32, 64, 128];

    private readonly uint _seed;
    private readonly int _frame;
    private readonly int _valuesPerChannel;
    private readonly int[] _knot;
    private readonly float[] _fraction, _w0, _w1, _w2, _w3, _count;
    /// <summary>The random values at the knots the frame touches, [channel, knot].</summary>
    private readonly float[] _values;

    public NoiseSource(uint seed, int frame)
    {
        _seed = seed;
        _frame = frame;
        _knot = new int[frame];
        _fraction = new float[frame];
        _count = Enumerable.Range(1, frame).Select(i => (float)i).ToArray();
        _w0 = new float[frame];
        _w1 = new float[frame];
        _w2 = new float[frame];
        _w3 = new float[frame];
        // A frame spans at most frame · 2 · 880 Hz / 44100 Hz half periods, plus the spline's neighbours.
        _valuesPerChannel = frame / 16 + 8;
        _values = new float[Channels * _valuesPerChannel];
    }

    /// <summary>
    /// Mixes one frame: <c>Σ over channels of sum · (harmonic gain + noise gain · ν)</c>, both gains
    /// gliding linearly over the frame, into <paramref name="output"/>.
    /// </summary>
    /// <param name="halfPeriods">The fundamental's unwrapped phase at each sample, in half periods (phase / π).</param>
    /// <param name="sums">The harmonics' partial sums, [channel, sample], <paramref name="stride"/> samples per channel.</param>
    /// <param name="channels">How many channels hold harmonics.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Mix(ReadOnlySpan<double> halfPeriods, ReadOnlySpan<float> sums, int stride, int channels,
        (float From, float To) harmonicGain, (float From, float To) noiseGain, Span<float> output)
    {
        long first = (long)Math.Floor(halfPeriods[0]);
        Knots(halfPeriods, first);
        int count = _knot[_frame - 1] + 4;
        for (int channel = 0; channel < channels; channel++)
            for (int j = 0; j < count; j++) _values[channel * _valuesPerChannel + j] = Random(channel, first - 1 + j);

        int width = Vector<float>.Count;
        var harmonicStep = new Vector<float>((harmonicGain.To - harmonicGain.From) / _frame);
        var noiseStep = new Vector<float>((noiseGain.To - noiseGain.From) / _frame);
        for (int t = 0; t < _frame; t += width)
        {
            var position = new Vector<float>(_count, t);
            var harmonic = Vector.FusedMultiplyAdd(harmonicStep, position, new Vector<float>(harmonicGain.From));
            var noise = Vector.FusedMultiplyAdd(noiseStep, position, new Vector<float>(noiseGain.From));
            var w0 = new Vector<float>(_w0, t); var w1 = new Vector<float>(_w1, t);
            var w2 = new Vector<float>(_w2, t); var w3 = new Vector<float>(_w3, t);
            int knot = _knot[t];
            // A half period is longer than a vector of samples, so a vector straddles at most one knot.
            var later = Vector.GreaterThan(new Vector<int>(_knot, t), new Vector<int>(knot));
            var sum = Vector<float>.Zero;
            for (int channel = 0; channel < channels; channel++)
            {
                ref float v = ref _values[channel * _valuesPerChannel + knot];
                var r0 = new Vector<float>(v); var r1 = new Vector<float>(Unsafe.Add(ref v, 1));
                var r2 = new Vector<float>(Unsafe.Add(ref v, 2)); var r3 = new Vector<float>(Unsafe.Add(ref v, 3));
                var r4 = new Vector<float>(Unsafe.Add(ref v, 4));
                var nu = w0 * Vector.ConditionalSelect(later, r1, r0);
                nu = Vector.FusedMultiplyAdd(w1, Vector.ConditionalSelect(later, r2, r1), nu);
                nu = Vector.FusedMultiplyAdd(w2, Vector.ConditionalSelect(later, r3, r2), nu);
                nu = Vector.FusedMultiplyAdd(w3, Vector.ConditionalSelect(later, r4, r3), nu);
                sum = Vector.FusedMultiplyAdd(new Vector<float>(sums.Slice(channel * stride + t)), Vector.FusedMultiplyAdd(noise, nu, harmonic), sum);
            }
            sum.CopyTo(output.Slice(t));
        }
    }

    /// <summary>
    /// Each sample's knot (relative to <paramref name="first"/>) and its cubic B-spline weights, divided
    /// by their norm so ν keeps unit variance between knots as well as on them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Knots(ReadOnlySpan<double> halfPeriods, long first)
    {
        for (int t = 0; t < _frame; t++)
        {
            double position = halfPeriods[t] - first;
            int knot = (int)position;
            _knot[t] = knot;
            _fraction[t] = (float)(position - knot);
        }
        int width = Vector<float>.Count;
        var three = new Vector<float>(3f); var four = new Vector<float>(4f); var six = new Vector<float>(6f);
        for (int t = 0; t < _frame; t += width)
        {
            var f = new Vector<float>(_fraction, t);
            var f2 = f * f; var f3 = f2 * f; var g = Vector<float>.One - f;
            var w0 = g * g * g;
            var w1 = Vector.FusedMultiplyAdd(three, f3, four) - six * f2;
            var w2 = Vector.FusedMultiplyAdd(three, f2 + f, Vector<float>.One) - three * f3;
            var w3 = f3;
            var norm = Vector<float>.One / Vector.SquareRoot(w0 * w0 + w1 * w1 + w2 * w2 + w3 * w3);
            (w0 * norm).CopyTo(_w0, t);
            (w1 * norm).CopyTo(_w1, t);
            (w2 * norm).CopyTo(_w2, t);
            (w3 * norm).CopyTo(_w3, t);
        }
    }

    /// <summary>
    /// A random sign, from a SplitMix64 hash of the seed, the channel and the index. Signs have the
    /// same spectrum as any unit-variance values but the steadiest power, which keeps the encoder's
    /// noise readings steady over short spans.
    /// </summary>
    private float Random(int channel, long index)
    {
        ulong z = unchecked((ulong)index * 0x9E3779B97F4A7C15UL + (ulong)channel * 0xD1B54A32D192ED03UL + _seed * 0xA24BAED4963EE407UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (z & 1) == 0 ? 1f : -1f;
    }
}
