using System.Numerics.Tensors;

namespace LatentTerrain.Models.BuiltIn;

/// <summary>
/// Audio to latents: the decoder's inverse. Frame i is read at its last sample, (i + 1)·Ratio − 1,
/// because that is where the decoder's glide reaches frame i's parameters.
/// </summary>
/// <remarks>
/// The recording is analysed at fixed instants, 200 a second whatever the ratio. YIN gives each the
/// fundamental and whether it is voiced; a voiced instant a semitone off its neighbours' median is
/// looked at again near that median (YIN's slips to multiples of the period), and unvoiced ones look
/// for the period near the pitch bridging the voiced ones around them. The harmonic analyser then
/// reads the harmonics and the noise between them over four periods. Each instant pools those
/// readings over ±16 periods (at least ±50 ms, at most ±150 ms, twice that where the noise comes
/// within 6 dB of the harmonics) with triangular weights: the decoder's noise is random, so one
/// window's reading of it is too, and pooling steadies it at the price of blurring faster changes.
/// From the pool come noisiness (<see cref="NoiseSeparation"/>) and the envelope fit (brightness,
/// warmth, nasality, edge, hollowness); loudness pools the level over ±30 ms only. A frame takes its pitch from the two instants
/// around it, in octaves, and the rest from a line between them.
/// Unvoiced stretches (and instants whose envelope cannot be fitted) keep pitch and timbre from the
/// last voiced one (the first voiced one's before it; zeros if none is voiced); digitally silent
/// stretches also keep noisiness, and read the bottom of the loudness range. Every output is clamped
/// to its documented range.
/// </remarks>
internal sealed class BuiltInEncoder
{
    public const float LowestF0 = 50f, HighestF0 = 1000f;
    /// <summary>YIN aperiodicity below which an instant counts as voiced: its harmonics stand above the noise.</summary>
    private const float VoicingThreshold = 0.45f;
    /// <summary>Mean square below which an instant is silence (-130 dBFS).</summary>
    private const float SilentMeanSquare = 1e-13f;
    private const int InstantsPerSecond = 200;
    private const float PoolSeconds = 0.05f, PoolPeriods = 16f, MaxPoolSeconds = 0.15f, LevelSeconds = 0.03f;
    /// <summary>Noise-to-harmonic power above which an instant pools its readings twice as long (-6 dB).</summary>
    private const double NoisyRatio = 0.25;
    private static readonly int[] Timbre =
        [CodecLatents.Brightness, CodecLatents.Warmth, CodecLatents.Nasality, CodecLatents.Edge, CodecLatents.Hollowness];

    private readonly int _sampleRate, _ratio, _hop;

    public BuiltInEncoder(int sampleRate, int ratio)
    {
        _sampleRate = sampleRate;
        _ratio = ratio;
        _hop = sampleRate / InstantsPerSecond;
    }

    /// <summary>What one analysis instant measured.</summary>
    private sealed class Instant
    {
        public float F0;
        public bool Voiced;
        public double MeanSquare;
        /// <summary>The readings at harmonics 1..n and at half harmonics ½..n − ½.</summary>
        public float[] Harmonics = [], Halves = [];
    }

    public float[] Encode(ReadOnlySpan<float> audio)
    {
        int frames = audio.Length / _ratio;
        var latents = new float[frames * CodecLatents.Count];
        if (frames == 0) return latents;
        var instants = Analyse(audio);
        var pooled = Pool(instants);

        var heldPitch = new bool[frames];
        for (int i = 0; i < frames; i++)
        {
            var row = latents.AsSpan(i * CodecLatents.Count, CodecLatents.Count);
            double centre = ((i + 1.0) * _ratio - 1) / _hop;
            // Everything but pitch is pooled over tens of milliseconds, so a line between two instants 5 ms apart loses nothing.
            int j = Math.Min((int)centre, instants.Length - 1), next = Math.Min(j + 1, instants.Length - 1);
            float fraction = (float)(centre - j);
            for (int latent = 0; latent < CodecLatents.Count; latent++)
                row[latent] = pooled[j * CodecLatents.Count + latent] * (1 - fraction) + pooled[next * CodecLatents.Count + latent] * fraction;
            if (PitchAt(instants, centre * _hop) is float f0 && pooled[j * CodecLatents.Count + CodecLatents.Loudness] > CodecLatents.Min)
                row[CodecLatents.Pitch] = CodecLatents.ToPitch(f0);
            else heldPitch[i] = true;
        }
        Hold(latents, heldPitch, [CodecLatents.Pitch]);
        for (int i = 0; i < latents.Length; i++) latents[i] = CodecLatents.Saturate(latents[i]);
        return latents;
    }

    /// <summary>Loudness, noisiness and timbre at every instant, each from the readings pooled around it; timbre and noisiness held where they cannot be read.</summary>
    private float[] Pool(Instant[] instants)
    {
        var values = new float[instants.Length * CodecLatents.Count];
        var heldTimbre = new bool[instants.Length];
        var heldNoise = new bool[instants.Length];
        var fit = new EnvelopeFit();
        var pool = new ReadingPool();
        Span<float> harmonicPower = stackalloc float[HarmonicAnalyser.MaxHarmonics];
        Span<float> noisePower = stackalloc float[HarmonicAnalyser.MaxHarmonics];
        for (int j = 0; j < instants.Length; j++)
        {
            var row = values.AsSpan(j * CodecLatents.Count, CodecLatents.Count);
            var instant = instants[j];
            // A noise band one fundamental wide needs this many periods to read its power to about ±1 dB.
            double reach = Math.Clamp(instant.Voiced ? PoolPeriods / instant.F0 : 0, PoolSeconds, MaxPoolSeconds) * InstantsPerSecond;
            // Half an analysis window (two periods), in instants.
            int step = Math.Max(1, (int)(2 * InstantsPerSecond / instant.F0));
            pool.Gather(instants, j, reach, step);
            if (!(pool.MeanSquare > SilentMeanSquare))
            {
                row[CodecLatents.Loudness] = CodecLatents.Min;
                heldTimbre[j] = heldNoise[j] = true;
                continue;
            }
            row[CodecLatents.Loudness] = CodecLatents.ToLoudness((float)Level(instants, j));
            double ratio = NoiseSeparation.Separate(pool.Harmonics, pool.Halves, harmonicPower, noisePower);
            if (ratio > NoisyRatio)
            {
                // Where noise dominates, the harmonics under it read unsteadily: pool twice as long.
                pool.Gather(instants, j, 2 * reach, step);
                ratio = NoiseSeparation.Separate(pool.Harmonics, pool.Halves, harmonicPower, noisePower);
            }
            row[CodecLatents.Noisiness] = CodecLatents.ToNoisiness(10f * MathF.Log10((float)ratio));
            int measured = pool.Harmonics.Length;
            fit.Clear();
            fit.Add(harmonicPower[..measured], noisePower[..measured]);
            if (instant.Voiced && pool.VoicedShare > 0.5 && fit.TrySolve(out var envelope))
            {
                row[CodecLatents.Brightness] = CodecLatents.ToBrightness(envelope.TiltDbPerOctave);
                row[CodecLatents.Warmth] = CodecLatents.ToShape(envelope.WarmthDb);
                row[CodecLatents.Nasality] = CodecLatents.ToShape(envelope.NasalityDb);
                row[CodecLatents.Edge] = CodecLatents.ToShape(envelope.EdgeDb);
                row[CodecLatents.Hollowness] = CodecLatents.ToHollowness(envelope.EvenDb);
            }
            else heldTimbre[j] = true;
        }
        Hold(values, heldTimbre, Timbre);
        Hold(values, heldNoise, [CodecLatents.Noisiness]);
        return values;
    }

    /// <summary>
    /// The mean square around an instant, over ±30 ms with triangular weights: level needs less
    /// steadying than the rest, and a shorter pool keeps attacks sharp.
    /// </summary>
    private static double Level(Instant[] instants, int j)
    {
        const double reach = LevelSeconds * InstantsPerSecond;
        double sum = 0, total = 0;
        for (int i = Math.Max(0, j - (int)reach); i <= Math.Min(instants.Length - 1, j + (int)reach); i++)
        {
            double weight = 1 - Math.Abs(i - j) / reach;
            sum += weight * instants[i].MeanSquare;
            total += weight;
        }
        return sum / total;
    }

    /// <summary>Pitch, voicing, level and the harmonic and half-harmonic readings at every instant.</summary>
    private Instant[] Analyse(ReadOnlySpan<float> audio)
    {
        var instants = new Instant[(audio.Length - 1) / _hop + 1];
        var tracker = new PitchTracker(audio, _sampleRate);
        for (int j = 0; j < instants.Length; j++)
        {
            var (f0, aperiodicity) = tracker.Estimate(j * _hop);
            instants[j] = new Instant { F0 = f0, Voiced = aperiodicity < VoicingThreshold && f0 is >= LowestF0 and <= HighestF0 };
        }
        MendOutliers(instants, tracker);
        BridgeUnvoiced(instants);
        for (int j = 0; j < instants.Length; j++)
            if (!instants[j].Voiced) instants[j].F0 = tracker.Track(j * _hop, instants[j].F0).F0;

        int pad = HarmonicAnalyser.MaxHalfSpan(_sampleRate) + 16;
        var padded = new float[audio.Length + 2 * pad];
        audio.CopyTo(padded.AsSpan(pad));
        var analyser = new HarmonicAnalyser(padded, pad, _sampleRate, HarmonicOscillatorBank.FadeStartFraction * _sampleRate);
        var harmonics = new float[HarmonicAnalyser.MaxHarmonics];
        var halves = new float[HarmonicAnalyser.MaxHarmonics];
        for (int j = 0; j < instants.Length; j++)
        {
            var instant = instants[j];
            var measured = analyser.Measure(j * _hop, instant.F0, Glide(instants, j), harmonics, halves);
            instant.MeanSquare = measured.MeanSquare;
            instant.Harmonics = harmonics[..measured.Harmonics];
            instant.Halves = halves[..measured.Harmonics];
        }
        return instants;
    }

    /// <summary>
    /// A voiced instant more than a semitone away from the median of the voiced instants within ±50 ms
    /// has most likely locked onto a multiple or a fraction of the period: it looks again near the median.
    /// </summary>
    private void MendOutliers(Instant[] instants, PitchTracker tracker)
    {
        const int reach = InstantsPerSecond / 20;
        var medians = new float[instants.Length];
        var around = new List<float>();
        for (int j = 0; j < instants.Length; j++)
        {
            around.Clear();
            for (int i = Math.Max(0, j - reach); i <= Math.Min(instants.Length - 1, j + reach); i++)
                if (instants[i].Voiced) around.Add(instants[i].F0);
            around.Sort();
            medians[j] = around.Count > 0 ? around[around.Count / 2] : 0;
        }
        for (int j = 0; j < instants.Length; j++)
        {
            var instant = instants[j];
            if (!instant.Voiced || medians[j] == 0 || MathF.Abs(MathF.Log2(instant.F0 / medians[j])) < 1f / 12) continue;
            var (f0, aperiodicity) = tracker.Track(j * _hop, medians[j]);
            instant.F0 = f0;
            instant.Voiced = aperiodicity < VoicingThreshold;
        }
    }

    /// <summary>
    /// Gives unvoiced instants the pitch bridging the voiced ones around them (in octaves): where the
    /// tracker then looks for what periodicity the noise left, so the analyser reads a noisy stretch
    /// at the harmonics it most likely has rather than at YIN's free guess.
    /// </summary>
    private static void BridgeUnvoiced(Instant[] instants)
    {
        int previous = -1;
        for (int j = 0; j <= instants.Length; j++)
        {
            if (j < instants.Length && !instants[j].Voiced) continue;
            for (int u = previous + 1; u < j; u++)
            {
                if (previous >= 0 && j < instants.Length)
                    instants[u].F0 = instants[previous].F0 * MathF.Pow(instants[j].F0 / instants[previous].F0, (u - previous) / (float)(j - previous));
                else if (previous >= 0) instants[u].F0 = instants[previous].F0;
                else if (j < instants.Length) instants[u].F0 = instants[j].F0;
            }
            previous = j;
        }
    }

    /// <summary>The fundamental at a sample, interpolated in octaves between the voiced instants around it; null if they are not voiced.</summary>
    private float? PitchAt(Instant[] instants, double sample)
    {
        int j = Math.Min((int)(sample / _hop), instants.Length - 1);
        double fraction = sample / _hop - j;
        var before = instants[j];
        var after = j + 1 < instants.Length ? instants[j + 1] : null;
        if (before.Voiced && after is { Voiced: true })
            return before.F0 * MathF.Pow(after.F0 / before.F0, (float)fraction);
        if (before.Voiced && fraction < 0.5) return before.F0;
        if (after is { Voiced: true } && fraction >= 0.5) return after.F0;
        return null;
    }

    /// <summary>The fundamental's change per sample at an instant, from its voiced neighbours; the analyser's window follows it.</summary>
    private float Glide(Instant[] instants, int j)
    {
        bool before = j > 0 && instants[j - 1].Voiced && instants[j].Voiced;
        bool after = j + 1 < instants.Length && instants[j + 1].Voiced && instants[j].Voiced;
        if (before && after) return (instants[j + 1].F0 - instants[j - 1].F0) / (2f * _hop);
        if (before) return (instants[j].F0 - instants[j - 1].F0) / _hop;
        if (after) return (instants[j + 1].F0 - instants[j].F0) / _hop;
        return 0f;
    }

    /// <summary>Gives held rows (frames or instants) the values of the last row that measured them (the first such row's before it; zero if none did).</summary>
    private static void Hold(float[] latents, bool[] held, int[] indices)
    {
        int frames = held.Length, first = Array.IndexOf(held, false);
        for (int i = 0; i < frames; i++)
        {
            if (!held[i]) continue;
            int source = i > 0 ? i - 1 : first;
            foreach (int index in indices)
                latents[i * CodecLatents.Count + index] = source >= 0 ? latents[source * CodecLatents.Count + index] : 0f;
        }
    }

    /// <summary>
    /// The readings of the instants around an instant, averaged with triangular weights: the level, the
    /// share of voiced instants, and per harmonic the readings at it and half a harmonic below it
    /// (over the harmonics that most of the weight measured).
    /// </summary>
    private sealed class ReadingPool
    {
        private readonly float[] _harmonics = new float[HarmonicAnalyser.MaxHarmonics];
        private readonly float[] _halves = new float[HarmonicAnalyser.MaxHarmonics];
        private readonly float[] _weights = new float[HarmonicAnalyser.MaxHarmonics];
        private int _measured;

        public double MeanSquare { get; private set; }
        public double VoicedShare { get; private set; }
        public ReadOnlySpan<float> Harmonics => _harmonics.AsSpan(0, _measured);
        public ReadOnlySpan<float> Halves => _halves.AsSpan(0, _measured);

        /// <param name="centre">The instant to pool around.</param>
        /// <param name="reach">Half the triangle's width, in instants.</param>
        /// <param name="step">Take every step-th instant: where the analysis windows span several instants, their neighbours add little.</param>
        public void Gather(Instant[] instants, double centre, double reach, int step)
        {
            Array.Clear(_harmonics);
            Array.Clear(_halves);
            Array.Clear(_weights);
            double meanSquare = 0, total = 0, voiced = 0;
            int from = Math.Max(0, (int)Math.Ceiling(centre - reach)), to = Math.Min(instants.Length - 1, (int)(centre + reach));
            from += ((int)centre - from) % step;
            for (int j = from; j <= to; j += step)
            {
                float weight = (float)(1 - Math.Abs(j - centre) / reach);
                if (weight <= 0) continue;
                var instant = instants[j];
                int n = instant.Harmonics.Length;
                total += weight;
                meanSquare += weight * instant.MeanSquare;
                if (instant.Voiced) voiced += weight;
                TensorPrimitives.MultiplyAdd(instant.Harmonics, weight, _harmonics.AsSpan(0, n), _harmonics.AsSpan(0, n));
                TensorPrimitives.MultiplyAdd(instant.Halves, weight, _halves.AsSpan(0, n), _halves.AsSpan(0, n));
                TensorPrimitives.Add(_weights.AsSpan(0, n), weight, _weights.AsSpan(0, n));
            }
            MeanSquare = meanSquare / total;
            VoicedShare = voiced / total;
            _measured = 0;
            while (_measured < _weights.Length && _weights[_measured] > 0.5 * total) _measured++;
            TensorPrimitives.Divide(_harmonics.AsSpan(0, _measured), _weights.AsSpan(0, _measured), _harmonics.AsSpan(0, _measured));
            TensorPrimitives.Divide(_halves.AsSpan(0, _measured), _weights.AsSpan(0, _measured), _halves.AsSpan(0, _measured));
        }
    }
}
