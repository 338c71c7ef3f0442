namespace LatentTerrain.Models.BuiltIn;

/// <summary>
/// Audio to latents: the decoder's inverse. Frame i is read at its last sample, (i + 1)·Ratio − 1,
/// because that is where the decoder's glide reaches frame i's parameters.
/// </summary>
/// <remarks>
/// The recording is analysed at fixed instants, 200 a second whatever the ratio: YIN gives the
/// fundamental and whether the instant is voiced; the harmonic analyser reads the harmonics and the
/// noise between them over a window of whole periods. A frame then takes its pitch from the two
/// instants around it, and pools loudness, noisiness and the envelope fit (brightness, warmth,
/// nasality, edge, hollowness) over the instants within ±30 ms, weighted by a triangle: the decoder's
/// noise is random, so a single window's reading of it is too, and pooling steadies it at the price of
/// blurring changes faster than that.
/// Frames that are unvoiced (or whose envelope cannot be fitted) keep pitch and timbre from the last
/// voiced frame (the first voiced frame's for those before it; zeros if none is voiced); digitally
/// silent frames also keep noisiness, and read the bottom of the loudness range. Every output is
/// clamped to its documented range.
/// </remarks>
internal sealed class BuiltInEncoder
{
    public const float LowestF0 = 50f, HighestF0 = 1000f;
    /// <summary>YIN aperiodicity below which an instant counts as voiced: its harmonics stand above the noise.</summary>
    private const float VoicingThreshold = 0.45f;
    /// <summary>Mean square below which a frame is silence (-130 dBFS).</summary>
    private const float SilentMeanSquare = 1e-13f;
    private const int InstantsPerSecond = 200;
    private const float PoolSeconds = 0.05f, PoolPeriods = 16f, MaxPoolSeconds = 0.15f;
    /// <summary>Noise-to-harmonic power above which a frame pools its readings twice as long (-6 dB).</summary>
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
    internal sealed class Instant
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

        var heldPitch = new bool[frames];
        var heldTimbre = new bool[frames];
        var heldNoise = new bool[frames];
        var fit = new EnvelopeFit();
        var pool = new ReadingPool();
        Span<float> harmonicPower = stackalloc float[HarmonicAnalyser.MaxHarmonics];
        Span<float> noisePower = stackalloc float[HarmonicAnalyser.MaxHarmonics];
        for (int i = 0; i < frames; i++)
        {
            var row = latents.AsSpan(i * CodecLatents.Count, CodecLatents.Count);
            double centre = (i + 1.0) * _ratio - 1;
            float? f0 = PitchAt(instants, centre);
            // A noise band one fundamental wide needs this many periods to read its power to about ±1 dB.
            double reach = Math.Clamp(f0 is float f ? PoolPeriods / f : 0, PoolSeconds, MaxPoolSeconds);
            pool.Gather(instants, centre / _hop, reach * InstantsPerSecond);
            if (!(pool.MeanSquare > SilentMeanSquare))
            {
                row[CodecLatents.Loudness] = CodecLatents.Min;
                heldPitch[i] = heldTimbre[i] = heldNoise[i] = true;
                continue;
            }
            row[CodecLatents.Loudness] = CodecLatents.ToLoudness((float)pool.MeanSquare);
            if (f0 is float pitch) row[CodecLatents.Pitch] = CodecLatents.ToPitch(pitch);
            else heldPitch[i] = true;

            double ratio = NoiseSeparation.Separate(pool.Harmonics, pool.Halves, harmonicPower, noisePower);
            if (ratio > NoisyRatio)
            {
                // Where noise dominates, the harmonics under it read unsteadily: pool twice as long.
                pool.Gather(instants, centre / _hop, 2 * reach * InstantsPerSecond);
                ratio = NoiseSeparation.Separate(pool.Harmonics, pool.Halves, harmonicPower, noisePower);
            }
            row[CodecLatents.Noisiness] = CodecLatents.ToNoisiness(10f * MathF.Log10((float)ratio));
            int measured = pool.Harmonics.Length;
            fit.Clear();
            fit.Add(harmonicPower[..measured], noisePower[..measured]);
            if (!heldPitch[i] && pool.VoicedShare > 0.5 && fit.TrySolve(out var envelope))
            {
                row[CodecLatents.Brightness] = CodecLatents.ToBrightness(envelope.TiltDbPerOctave);
                row[CodecLatents.Warmth] = CodecLatents.ToShape(envelope.WarmthDb);
                row[CodecLatents.Nasality] = CodecLatents.ToShape(envelope.NasalityDb);
                row[CodecLatents.Edge] = CodecLatents.ToShape(envelope.EdgeDb);
                row[CodecLatents.Hollowness] = CodecLatents.ToHollowness(envelope.EvenDb);
            }
            else heldTimbre[i] = true;
        }
        Hold(latents, heldPitch, [CodecLatents.Pitch]);
        Hold(latents, heldTimbre, Timbre);
        Hold(latents, heldNoise, [CodecLatents.Noisiness]);
        for (int i = 0; i < latents.Length; i++) latents[i] = CodecLatents.Saturate(latents[i]);
        return latents;
    }

    /// <summary>Pitch, voicing, level, harmonic and noise power and the envelope's equations at every instant.</summary>
    private Instant[] Analyse(ReadOnlySpan<float> audio)
    {
        var instants = new Instant[(audio.Length - 1) / _hop + 1];
        var tracker = new PitchTracker(audio, _sampleRate);
        for (int j = 0; j < instants.Length; j++)
        {
            var (f0, aperiodicity) = tracker.Estimate(j * _hop);
            instants[j] = new Instant { F0 = f0, Voiced = aperiodicity < VoicingThreshold && f0 is >= LowestF0 and <= HighestF0 };
        }
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

    /// <summary>Gives held frames the values of the last frame that measured them (the first such frame's before it; zero if none did).</summary>
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
    /// The readings of the instants around a frame, averaged with triangular weights: the level, the
    /// share of voiced instants, and per harmonic the readings at it and half a harmonic below it
    /// (over the harmonics that most of the weight measured).
    /// </summary>
    private sealed class ReadingPool
    {
        private readonly double[] _harmonics = new double[HarmonicAnalyser.MaxHarmonics];
        private readonly double[] _halves = new double[HarmonicAnalyser.MaxHarmonics];
        private readonly double[] _weights = new double[HarmonicAnalyser.MaxHarmonics];
        private int _measured;

        public double MeanSquare { get; private set; }
        public double VoicedShare { get; private set; }
        public ReadOnlySpan<double> Harmonics => _harmonics.AsSpan(0, _measured);
        public ReadOnlySpan<double> Halves => _halves.AsSpan(0, _measured);

        /// <param name="centre">Where the frame is, in instants.</param>
        /// <param name="reach">Half the triangle's width, in instants.</param>
        public void Gather(Instant[] instants, double centre, double reach)
        {
            Array.Clear(_harmonics);
            Array.Clear(_halves);
            Array.Clear(_weights);
            double meanSquare = 0, total = 0, voiced = 0;
            int from = Math.Max(0, (int)Math.Ceiling(centre - reach)), to = Math.Min(instants.Length - 1, (int)(centre + reach));
            for (int j = from; j <= to; j++)
            {
                double weight = 1 - Math.Abs(j - centre) / reach;
                if (weight <= 0) continue;
                var instant = instants[j];
                total += weight;
                meanSquare += weight * instant.MeanSquare;
                if (instant.Voiced) voiced += weight;
                for (int k = 0; k < instant.Harmonics.Length; k++)
                {
                    _harmonics[k] += weight * instant.Harmonics[k];
                    _halves[k] += weight * instant.Halves[k];
                    _weights[k] += weight;
                }
            }
            MeanSquare = meanSquare / total;
            VoicedShare = voiced / total;
            _measured = 0;
            while (_measured < _weights.Length && _weights[_measured] > 0.5 * total) _measured++;
            for (int k = 0; k < _measured; k++)
            {
                _harmonics[k] /= _weights[k];
                _halves[k] /= _weights[k];
            }
        }
    }
}
