using System.Numerics.Tensors;

namespace LatentTerrain.Engine.Audio;

/// <summary>
/// Sample-rate conversion for the live path (a 44.1 kHz model on a 48 kHz device): a polyphase
/// windowed-sinc filter that takes exactly the input it asks for (<see cref="InputFramesFor"/>)
/// and gives exactly the output asked of it, with a fixed delay under a millisecond, allocating
/// nothing once made.
/// </summary>
/// <remarks>
/// Why not soxr (<see cref="Resampler"/>, which stays the offline converter): fed 128-frame blocks
/// at 44.1 to 48 kHz, its HQ recipe holds back about 1000 output frames (21 ms) and hands them out
/// in bursts of about 900, and its only short-delay recipe (LQ) ends the passband at 68% of the
/// Nyquist frequency. Here the kernel is a Kaiser-windowed sinc of <see cref="Taps"/> input samples
/// whose stopband begins at the lower of the two Nyquist frequencies (80 dB down), one row of taps
/// per output phase of the reduced ratio target / source.
/// </remarks>
public sealed class PolyphaseResampler
{
    /// <summary>Taps per output sample, counted at the lower of the two rates: the delay is half of them.</summary>
    public const int TapsAtLowerRate = 64;

    /// <summary>The most phases a ratio may need (the target rate over the rates' greatest common divisor).</summary>
    public const int MaxPhases = 4096;

    private const double StopbandDecibels = 80;

    private readonly int _up, _down;       // the ratio target / source in lowest terms
    private readonly float[] _filters;     // [phase, tap]: tap j weighs input i - Taps + 1 + j for an output at input time i + phase / _up
    private readonly float[][] _history;   // per channel: the last Taps input frames, then this call's
    private long _produced, _consumed;

    /// <param name="maxOutputFrames">The most output frames one <see cref="Process"/> call may ask for.</param>
    public PolyphaseResampler(int sourceRate, int targetRate, int channels, int maxOutputFrames)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sourceRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxOutputFrames);
        int divisor = GreatestCommonDivisor(sourceRate, targetRate);
        _up = targetRate / divisor;
        _down = sourceRate / divisor;
        if (_up > MaxPhases)
            throw new ArgumentException($"no live resampler from {sourceRate} Hz to {targetRate} Hz: their ratio {_up}/{_down} needs more than {MaxPhases} filter phases");
        SourceRate = sourceRate;
        TargetRate = targetRate;
        Channels = channels;
        MaxOutputFrames = maxOutputFrames;

        // Downsampling widens the kernel in input samples so that it stays as sharp at the output rate.
        double lowerShare = Math.Min(1.0, (double)_up / _down);
        Taps = (int)Math.Ceiling(TapsAtLowerRate / lowerShare / 8) * 8;
        _filters = Kernel(_up, Taps, lowerShare);
        MaxInputFrames = (int)((long)maxOutputFrames * _down / _up) + 2;
        _history = new float[channels][];
        for (int c = 0; c < channels; c++) _history[c] = new float[Taps + MaxInputFrames];
    }

    public int SourceRate { get; }
    public int TargetRate { get; }
    public int Channels { get; }
    public int MaxOutputFrames { get; }
    /// <summary>The most input frames one call can take.</summary>
    public int MaxInputFrames { get; }
    /// <summary>Input samples each output sample weighs (a multiple of 8).</summary>
    public int Taps { get; }

    /// <summary>How late the output is, in output frames: a sound at input frame t comes out at output time t * target / source + this.</summary>
    public double DelayFrames => Taps / 2 * (double)_up / _down;

    public double DelaySeconds => DelayFrames / TargetRate;

    /// <summary>Input frames the next <see cref="Process"/> of <paramref name="outputFrames"/> must be given.</summary>
    public int InputFramesFor(int outputFrames)
    {
        if (outputFrames is < 0 || outputFrames > MaxOutputFrames)
            throw new ArgumentOutOfRangeException(nameof(outputFrames), outputFrames, $"must be 0..{MaxOutputFrames}");
        // The output at input time n * down / up uses the inputs up to its integer part.
        return outputFrames == 0 ? 0 : (int)Math.Max(0, (_produced + outputFrames - 1) * _down / _up + 1 - _consumed);
    }

    /// <summary>
    /// Turns <paramref name="input"/> (interleaved, exactly <see cref="InputFramesFor"/> the output's
    /// frames) into <paramref name="output"/> (interleaved, overwritten).
    /// </summary>
    public void Process(ReadOnlySpan<float> input, Span<float> output)
    {
        if (output.Length % Channels != 0) throw new ArgumentException($"{output.Length} samples do not split into {Channels} channels", nameof(output));
        int outputFrames = output.Length / Channels, inputFrames = InputFramesFor(outputFrames);
        if (input.Length != inputFrames * Channels)
            throw new ArgumentException($"{outputFrames} output frames take {inputFrames} input frames now, not {input.Length / (double)Channels}", nameof(input));

        for (int c = 0; c < Channels; c++)
        {
            var history = _history[c];
            for (int i = 0; i < inputFrames; i++) history[Taps + i] = input[i * Channels + c];
        }
        for (int n = 0; n < outputFrames; n++)
        {
            long time = (_produced + n) * _down;
            int phase = (int)(time % _up);
            // The window's first input, as a place in the history: Taps frames before this call's first.
            int start = (int)(time / _up - _consumed) + 1;
            var taps = _filters.AsSpan(phase * Taps, Taps);
            for (int c = 0; c < Channels; c++)
                output[n * Channels + c] = TensorPrimitives.Dot(taps, new ReadOnlySpan<float>(_history[c], start, Taps));
        }
        for (int c = 0; c < Channels; c++) Array.Copy(_history[c], inputFrames, _history[c], 0, Taps);
        _produced += outputFrames;
        _consumed += inputFrames;
    }

    /// <summary>Forgets the stream: silence before, as when made.</summary>
    public void Reset()
    {
        foreach (var history in _history) Array.Clear(history);
        _produced = _consumed = 0;
    }

    /// <summary>
    /// One row of <paramref name="taps"/> weights per phase p of <paramref name="phases"/>: the
    /// windowed sinc centred Taps / 2 inputs before the output's time, each row summing to one.
    /// </summary>
    private static float[] Kernel(int phases, int taps, double lowerShare)
    {
        // Kaiser's estimates: the transition width that this many taps and this attenuation allow,
        // placed just below the lower Nyquist frequency (in cycles per input sample).
        double beta = 0.1102 * (StopbandDecibels - 8.7);
        double transition = (StopbandDecibels - 7.95) / (14.36 * TapsAtLowerRate) * lowerShare;
        double cutoff = 0.5 * lowerShare - transition / 2;
        double half = taps / 2.0, besselBeta = BesselI0(beta);
        var filters = new float[phases * taps];
        var row = new double[taps];
        for (int p = 0; p < phases; p++)
        {
            double fraction = (double)p / phases, sum = 0;
            for (int j = 0; j < taps; j++)
            {
                double t = fraction + (taps / 2 - 1) - j;
                double x = t / half;
                double window = Math.Abs(x) >= 1 ? 0 : BesselI0(beta * Math.Sqrt(1 - x * x)) / besselBeta;
                double sinc = t == 0 ? 1 : Math.Sin(2 * Math.PI * cutoff * t) / (2 * Math.PI * cutoff * t);
                row[j] = 2 * cutoff * sinc * window;
                sum += row[j];
            }
            for (int j = 0; j < taps; j++) filters[p * taps + j] = (float)(row[j] / sum);
        }
        return filters;
    }

    private static double BesselI0(double x)
    {
        double term = 1, sum = 1, quarter = x * x / 4;
        for (int k = 1; term > 1e-12 * sum; k++)
        {
            term *= quarter / ((double)k * k);
            sum += term;
        }
        return sum;
    }

    private static int GreatestCommonDivisor(int a, int b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }
}
