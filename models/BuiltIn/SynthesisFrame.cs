namespace LatentTerrain.Models.BuiltIn;

/// <summary>The physical parameters of one latent frame: what the decoder renders and the encoder measures.</summary>
internal readonly record struct SynthesisFrame(
    float F0, float MeanSquare, float TiltDbPerOctave, float WarmthDb, float NasalityDb, float EdgeDb, float NoiseFraction, float EvenDb)
{
    /// <summary>Maps a latent frame (any finite or infinite values) to parameters inside the documented ranges.</summary>
    public static SynthesisFrame FromLatents(ReadOnlySpan<float> z)
    {
        float noiseToHarmonicDb = CodecLatents.NoiseCentreDb + CodecLatents.NoiseDbPerUnit * Z(z, CodecLatents.Noisiness);
        return new SynthesisFrame(
            F0: CodecLatents.ReferencePitch * MathF.Pow(2f, Z(z, CodecLatents.Pitch)),
            MeanSquare: DbToPower(CodecLatents.LoudnessCentreDb + CodecLatents.LoudnessDbPerUnit * Z(z, CodecLatents.Loudness)),
            TiltDbPerOctave: CodecLatents.TiltCentreDbPerOctave + CodecLatents.TiltDbPerOctavePerUnit * Z(z, CodecLatents.Brightness),
            WarmthDb: CodecLatents.ShapeDbPerUnit * Z(z, CodecLatents.Warmth),
            NasalityDb: CodecLatents.ShapeDbPerUnit * Z(z, CodecLatents.Nasality),
            EdgeDb: CodecLatents.ShapeDbPerUnit * Z(z, CodecLatents.Edge),
            NoiseFraction: 1f / (1f + DbToPower(-noiseToHarmonicDb)),
            EvenDb: CodecLatents.EvenDbPerUnit * (Z(z, CodecLatents.Hollowness) + 2f));
    }

    private static float Z(ReadOnlySpan<float> z, int index) => CodecLatents.Saturate(z[index]);

    public static float DbToPower(float db) => MathF.Pow(10f, db / 10f);
}
