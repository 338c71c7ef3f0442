using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace LatentTerrain.Models.BuiltIn;

/// <summary>
/// YIN (de Cheveigné and Kawahara 2002) around any instant of a recording: a coarse search over the
/// whole pitch range on a low-passed, 4× decimated copy, then a fine minimum at the full rate. The
/// difference function is centred on the instant for every lag, so a gliding pitch is measured where
/// it is asked for, not half a period later.
/// </summary>
internal sealed class PitchTracker
{
    public const float MinF0 = 40f, MaxF0 = 1200f;
    /// <summary>The first dip of the normalised difference below this is taken as the period (YIN's absolute threshold).</summary>
    private const float DipThreshold = 0.2f;
    private const int Decimation = 4;
    private const float LowPassHz = 3000f;

    private readonly int _sampleRate;
    private readonly float[] _lowPassed, _decimated;
    private readonly int _pad, _padDecimated, _window, _minLag, _maxLag;
    private readonly float[] _difference, _normalised;

    public PitchTracker(ReadOnlySpan<float> audio, int sampleRate)
    {
        _sampleRate = sampleRate;
        int rate = sampleRate / Decimation;
        _window = (int)(0.021f * rate);
        _minLag = (int)(rate / MaxF0);
        _maxLag = (int)MathF.Ceiling(rate / MinF0);
        _padDecimated = (_window + _maxLag) / 2 + 16;
        _pad = _padDecimated * Decimation;
        _lowPassed = LowPass(audio, sampleRate, _pad);
        _decimated = new float[(_lowPassed.Length - 1) / Decimation + 1];
        for (int i = 0; i < _decimated.Length; i++) _decimated[i] = _lowPassed[i * Decimation];
        _difference = new float[_maxLag + 2];
        _normalised = new float[_maxLag + 2];
    }

    /// <summary>
    /// The fundamental around sample <paramref name="centre"/> and its aperiodicity: the normalised
    /// difference at the chosen period, near 0 for a clean periodic sound and near 1 for noise.
    /// </summary>
    public (float F0, float Aperiodicity) Estimate(int centre)
    {
        DifferenceFunction(centre);
        int best = -1;
        for (int lag = _minLag; lag <= _maxLag; lag++)
        {
            if (_normalised[lag] < DipThreshold)
            {
                while (lag < _maxLag && _normalised[lag + 1] < _normalised[lag]) lag++;
                best = lag;
                break;
            }
        }
        if (best < 0)
        {
            // No dip is deep enough: in noise, a multiple of the period can win by chance, so the first dip nearly as deep as the deepest wins.
            float deepest = _normalised[Deepest(_minLag, _maxLag)];
            for (int lag = _minLag; lag <= _maxLag && best < 0; lag++)
                if (_normalised[lag] <= 1.15f * deepest + 0.02f && _normalised[lag] <= _normalised[lag - 1] && _normalised[lag] <= _normalised[lag + 1]) best = lag;
            if (best < 0) best = Deepest(_minLag, _maxLag);
        }
        return Result(centre, Shortest(best));
    }

    /// <summary>
    /// The shortest period whose multiple <paramref name="lag"/> is: in noise the normalised difference
    /// sinks a little with every lag, so it can favour two or three periods over one, while the raw
    /// difference at the true period is as small as at its multiples.
    /// </summary>
    private int Shortest(int lag)
    {
        for (int divisor = 8; divisor >= 2; divisor--)
        {
            float guess = (float)lag / divisor;
            if (guess < _minLag) continue;
            int low = Math.Max(_minLag, (int)(guess * 0.97f)), high = Math.Min(_maxLag, (int)MathF.Ceiling(guess * 1.03f));
            int candidate = low;
            for (int l = low; l <= high; l++) if (_difference[l] < _difference[candidate]) candidate = l;
            if (_difference[candidate] <= 1.3f * _difference[lag]) return candidate;
        }
        return lag;
    }

    /// <summary>
    /// The deepest dip within a semitone of <paramref name="expected"/> Hz: where the voiced instants
    /// around a noisy stretch say the pitch must be, the periodicity left under the noise still shows.
    /// </summary>
    public (float F0, float Aperiodicity) Track(int centre, float expected)
    {
        DifferenceFunction(centre);
        float lag = _sampleRate / Decimation / expected;
        int low = Math.Max(_minLag, (int)(lag / 1.06f)), high = Math.Min(_maxLag, (int)MathF.Ceiling(lag * 1.06f));
        return Result(centre, Deepest(low, high));
    }

    private int Deepest(int low, int high)
    {
        int best = low;
        for (int lag = low; lag <= high; lag++) if (_normalised[lag] < _normalised[best]) best = lag;
        return best;
    }

    private (float F0, float Aperiodicity) Result(int centre, int best)
    {
        float coarse = best + Vertex(_normalised[best - 1], _normalised[best], _normalised[best + 1]);
        return (_sampleRate / Refine(centre + _pad, coarse * Decimation), _normalised[best]);
    }

    /// <summary>YIN's cumulative-mean-normalised difference at every lag, on the decimated copy.</summary>
    private void DifferenceFunction(int centre)
    {
        int c = (centre + _pad) / Decimation;
        _difference[0] = 0;
        for (int lag = 1; lag <= _maxLag + 1; lag++) _difference[lag] = Difference(_decimated, c, lag, _window);
        float running = 0;
        _normalised[0] = 1;
        for (int lag = 1; lag <= _maxLag + 1; lag++)
        {
            running += _difference[lag];
            _normalised[lag] = running > 0 ? _difference[lag] * lag / running : 1f;
        }
    }

    /// <summary>The period in full-rate samples: the minimum of the difference function near the coarse estimate.</summary>
    private float Refine(int centre, float coarseLag)
    {
        int window = _window * Decimation;
        int around = (int)MathF.Round(coarseLag);
        int best = around;
        float bestValue = float.MaxValue;
        Span<float> values = stackalloc float[9];
        for (int i = 0; i < 9; i++)
        {
            values[i] = Difference(_lowPassed, centre, around - 4 + i, window);
            if (values[i] < bestValue) { bestValue = values[i]; best = i; }
        }
        if (best == 0 || best == 8) return coarseLag;
        return around - 4 + best + Vertex(values[best - 1], values[best], values[best + 1]);
    }

    /// <summary>Offset of the vertex of the parabola through three equally spaced points, in [-0.5, 0.5].</summary>
    private static float Vertex(float left, float middle, float right)
    {
        float curvature = left - 2 * middle + right;
        return curvature > 0 ? Math.Clamp(0.5f * (left - right) / curvature, -0.5f, 0.5f) : 0f;
    }

    /// <summary>Σ (x[s+j] − x[s+j+lag])² over the window, with s chosen so the pairs centre on <paramref name="centre"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Difference(float[] x, int centre, int lag, int window)
    {
        int start = centre - (window + lag) / 2;
        var a = x.AsSpan(start, window);
        var b = x.AsSpan(start + lag, window);
        int width = Vector<float>.Count, j = 0;
        var sum = Vector<float>.Zero;
        for (; j <= window - width; j += width)
        {
            var d = new Vector<float>(a.Slice(j)) - new Vector<float>(b.Slice(j));
            sum = Vector.FusedMultiplyAdd(d, d, sum);
        }
        float total = Vector.Sum(sum);
        for (; j < window; j++) total += (a[j] - b[j]) * (a[j] - b[j]);
        return total;
    }

    /// <summary>A linear-phase windowed-sinc low-pass, delay compensated, into a zero-padded copy.</summary>
    private static float[] LowPass(ReadOnlySpan<float> audio, int sampleRate, int pad)
    {
        const int half = 48;
        var taps = new float[2 * half + 1];
        double cutoff = LowPassHz / sampleRate;
        for (int i = -half; i <= half; i++)
        {
            double sinc = i == 0 ? 2 * cutoff : Math.Sin(2 * Math.PI * cutoff * i) / (Math.PI * i);
            double blackman = 0.42 + 0.5 * Math.Cos(Math.PI * i / half) + 0.08 * Math.Cos(2 * Math.PI * i / half);
            taps[i + half] = (float)(sinc * blackman);
        }
        var source = new float[audio.Length + 2 * (pad + half)];
        audio.CopyTo(source.AsSpan(pad + half));
        var output = new float[audio.Length + 2 * pad];
        for (int i = 0; i < taps.Length; i++)
            TensorPrimitives.MultiplyAdd(source.AsSpan(i, output.Length), taps[i], output, output);
        return output;
    }
}
