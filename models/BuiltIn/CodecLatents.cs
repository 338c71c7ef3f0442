namespace LatentTerrain.Models.BuiltIn;

/// <summary>
/// The built-in codec's eight latents: their order, their ranges and how each maps to a synthesis
/// parameter. Every range is [-2, 2] so that a terrain trained with mean squared error weighs them
/// alike (RAVE's latents have about the same spread).
/// </summary>
/// <remarks>
/// | # | name | meaning | mapping (z = latent) |
/// | 0 | pitch | fundamental frequency | 220 Hz · 2^z (55..880 Hz) |
/// | 1 | loudness | RMS level of the voice | -40 + 12 z dBFS (-64..-16) |
/// | 2 | brightness | spectral tilt of the harmonics (and so of the noise) | -9 + 4.5 z dB per octave (-18..0) |
/// | 3 | warmth | level around the 2nd and 3rd harmonics | 9 z dB (±18) at harmonic 2.5 |
/// | 4 | nasality | level around the 5th harmonic | 9 z dB (±18) at harmonic 5 |
/// | 5 | edge | level around the 12th harmonic | 9 z dB (±18) at harmonic 12 |
/// | 6 | noisiness | breath: noise power over harmonic power | -15 + 7.5 z dB (-30..0) |
/// | 7 | hollowness | level of the even harmonics | -6 (z + 2) dB (0..-24) |
/// </remarks>
internal static class CodecLatents
{
    public const int Count = 8;
    public const int Pitch = 0, Loudness = 1, Brightness = 2, Warmth = 3, Nasality = 4, Edge = 5, Noisiness = 6, Hollowness = 7;
    public const float Min = -2f, Max = 2f;

    public const float ReferencePitch = 220f;
    public const float LoudnessCentreDb = -40f, LoudnessDbPerUnit = 12f;
    public const float TiltCentreDbPerOctave = -9f, TiltDbPerOctavePerUnit = 4.5f;
    public const float ShapeDbPerUnit = 9f;
    public const float NoiseCentreDb = -15f, NoiseDbPerUnit = 7.5f;
    public const float EvenDbPerUnit = -6f;

    /// <summary>
    /// The centres of the three shape bumps, in octaves above the fundamental: between harmonics 2 and
    /// 3, at 5 and at 12. The first sits between an even and an odd harmonic so that hollowness, which
    /// empties the even ones, never hides it from the encoder.
    /// </summary>
    public static readonly float[] ShapeCentres = [MathF.Log2(2.5f), MathF.Log2(5f), MathF.Log2(12f)];
    /// <summary>The bumps' Gaussian width in octaves: wide enough to overlap their neighbours a little, so no harmonic falls in a gap.</summary>
    public const float ShapeWidth = 0.5f;

    public static readonly LatentDescription[] Descriptions =
    [
        new("pitch", "fundamental frequency, in octaves above or below A3", Min, Max, "220 Hz · 2^z (55..880 Hz)"),
        new("loudness", "RMS level of the voice", Min, Max, "-40 + 12 z dBFS RMS (-64..-16)"),
        new("brightness", "spectral tilt of the harmonics (and so of the noise): dark, almost a sine, to flat", Min, Max, "-9 + 4.5 z dB per octave (-18..0)"),
        new("warmth", "boost or cut around the 2nd and 3rd harmonics", Min, Max, "9 z dB (±18) at harmonic 2.5"),
        new("nasality", "boost or cut around the 5th harmonic", Min, Max, "9 z dB (±18) at harmonic 5"),
        new("edge", "boost or cut around the 12th harmonic", Min, Max, "9 z dB (±18) at harmonic 12"),
        new("noisiness", "breath: noise power relative to harmonic power", Min, Max, "-15 + 7.5 z dB (-30..0)"),
        new("hollowness", "even harmonics from full (sawtooth-like) to absent (square-like)", Min, Max, "-6 (z + 2) dB on even harmonics (0..-24)"),
    ];

    /// <summary>
    /// Clamps a latent to its range. NaN, which a terrain never outputs, goes to the bottom of the
    /// range (for loudness: the quietest level) rather than poisoning the voice's state.
    /// </summary>
    public static float Saturate(float z) => z >= Min ? (z <= Max ? z : Max) : Min;

    public static float ToPitch(float f0) => MathF.Log2(f0 / ReferencePitch);
    public static float ToLoudness(float meanSquare) => (10f * MathF.Log10(meanSquare) - LoudnessCentreDb) / LoudnessDbPerUnit;
    public static float ToBrightness(float dbPerOctave) => (dbPerOctave - TiltCentreDbPerOctave) / TiltDbPerOctavePerUnit;
    public static float ToShape(float db) => db / ShapeDbPerUnit;
    public static float ToNoisiness(float noiseToHarmonicDb) => (noiseToHarmonicDb - NoiseCentreDb) / NoiseDbPerUnit;
    public static float ToHollowness(float evenDb) => evenDb / EvenDbPerUnit - 2f;
}
