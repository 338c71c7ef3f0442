using LatentTerrain.Engine.Datasets;
using LatentTerrain.Engine.Terrain;
using LatentTerrain.Models.BuiltIn;

namespace LatentTerrain.Instrument;

/// <summary>
/// The dataset behind the default terrain, made with nothing but the built-in codec: nine sound
/// fragments, one per row of the plane (y = -4 .. 4), each drawn as a straight path across the
/// whole width (x = -16 .. 16). Every fragment is synthesised from a latent curve by the codec's
/// decoder and then encoded back by its encoder, so the dataset holds what a performer's encoded
/// audio would hold. Rows run from low, dark and steady at the bottom to high, airy and breathy
/// at the top; along each row the pitch rises and the timbre turns, so the plane sounds everywhere
/// and differs everywhere.
/// </summary>
internal static class DefaultDataset
{
    public const float Left = -16f, Right = 16f;
    /// <summary>Frames per fragment: a 32-unit path at the reference's 0.4 spacing.</summary>
    public const int Frames = 81;
    private const int Ratio = 2048;

    public static TerrainConfig TerrainConfig { get; } = new() { LatentSize = 8, Sigma = 0.1f, Seed = 1 };
    public static TrainingOptions Training { get; } = new() { Epochs = 400, Seed = 1 };

    /// <summary>
    /// Per row, bottom to top: pitch at the left and right ends (octaves around 220 Hz), loudness,
    /// brightness, noisiness and hollowness around which the row's timbre turns.
    /// </summary>
    private static readonly (float PitchFrom, float PitchTo, float Loudness, float Brightness, float Noisiness, float Hollowness)[] Rows =
    [
        (-1.8f, -1.0f, 1.9f, -1.4f, -1.6f, 0.8f),   // deep drone
        (-1.2f, -0.3f, 1.9f, -0.6f, -1.4f, -0.8f),  // bowed low string
        (-0.6f, 0.3f, 1.9f, 0.0f, -1.2f, -1.4f),    // buzzing reed
        (-0.2f, 0.6f, 1.8f, -0.4f, -0.6f, 1.2f),    // hollow clarinet-like
        (0.0f, 1.0f, 1.8f, 0.6f, -1.0f, -0.4f),     // bright lead
        (0.3f, 1.2f, 1.7f, -0.8f, 0.0f, 0.4f),      // breathy flute
        (0.6f, 1.5f, 1.7f, 0.8f, -0.8f, -1.6f),     // glassy high tone
        (0.9f, 1.7f, 1.6f, -0.2f, 0.2f, 0.0f),      // whistling wind
        (1.2f, 1.9f, 1.6f, 0.4f, 0.6f, 0.6f),       // airy
    ];

    public static TerrainDataset Make()
    {
        using var codec = new BuiltInCodec(new BuiltInCodecOptions { SampleRate = 48000, Ratio = Ratio });
        var trajectories = new List<Trajectory>();
        for (int row = 0; row < Rows.Length; row++)
        {
            float y = row - (Rows.Length - 1) / 2f;
            var audio = Synthesise(codec, Curve(row));
            var encoded = codec.Encode(audio);
            var latents = Enumerable.Range(0, encoded.Length / codec.LatentSize).Select(f => encoded.AsSpan(f * codec.LatentSize, codec.LatentSize).ToArray()).ToArray();
            trajectories.Add(new Trajectory([[Left, y], [Right, y]], latents) { Name = $"row {y:+0;-0;0}", Source = "built-in codec" });
        }
        return new TerrainDataset(2, codec.LatentSize, trajectories);
    }

    /// <summary>The latent curve of one row: frame after frame, in the codec's latent order.</summary>
    private static float[][] Curve(int row)
    {
        var r = Rows[row];
        var frames = new float[Frames][];
        for (int f = 0; f < Frames; f++)
        {
            float u = f / (Frames - 1f), turn = 2f * MathF.PI * (u + row / 9f);
            frames[f] =
            [
                r.PitchFrom + (r.PitchTo - r.PitchFrom) * u,
                r.Loudness + 0.2f * MathF.Sin(3f * turn),
                r.Brightness + 0.5f * MathF.Sin(turn),
                1.2f * MathF.Sin(turn + 1f),
                1.2f * MathF.Sin(2f * turn + 2f),
                1.0f * MathF.Cos(turn + 0.5f),
                Math.Clamp(r.Noisiness + 0.4f * MathF.Cos(2f * turn), -2f, 2f),
                Math.Clamp(r.Hollowness + 0.5f * MathF.Sin(turn + 3f), -2f, 2f),
            ];
        }
        return frames;
    }

    private static float[] Synthesise(BuiltInCodec codec, float[][] curve)
    {
        using var decoder = codec.CreateDecoder();
        var audio = new float[curve.Length * codec.Ratio];
        // One frame of pre-roll: the decoder starts from silence and glides into the first frame.
        decoder.Decode(curve[0], audio.AsSpan(0, codec.Ratio));
        for (int f = 0; f < curve.Length; f++) decoder.Decode(curve[f], audio.AsSpan(f * codec.Ratio, codec.Ratio));
        return audio;
    }
}
