using LatentTerrain.Engine.Synthesis;

namespace LatentTerrain.Engine.Rendering;

/// <summary>
/// Plays a gesture through a synth on a clock of its own instead of the sound card's: events are
/// written to the cursor board at the first block that starts at or after their time (by a
/// <see cref="GesturePlayer"/>, as on the live synth thread), and blocks are rendered as fast as they go.
/// </summary>
public static class OfflineRenderer
{
    /// <summary>The real-time output's default period, used here too so that both paths read cursors on the same block grid.</summary>
    public const int DefaultBlockFrames = 128;

    /// <summary>
    /// Renders <paramref name="seconds"/> of <paramref name="gesture"/> (by default its duration plus
    /// <paramref name="tailSeconds"/> for the release) into interleaved audio at the synth's rate.
    /// </summary>
    public static float[] Render(Synth synth, Gesture gesture, double? seconds = null, double tailSeconds = 1.0, int blockFrames = DefaultBlockFrames)
    {
        double length = seconds ?? gesture.Duration + tailSeconds;
        if (!(length > 0 && length <= 3600)) throw new ArgumentException($"a render must last between 0 and 3600 s, not {length:g4} s");
        int channels = synth.OutputChannels;
        long totalFrames = (long)Math.Round(length * synth.SampleRate);
        var output = new float[totalFrames * channels];
        var player = new GesturePlayer(gesture, synth.Cursors, synth.SampleRate);
        for (long start = 0; start < totalFrames; start += blockFrames)
        {
            player.Advance(start);
            int frames = (int)Math.Min(blockFrames, totalFrames - start);
            synth.Render(output.AsSpan((int)(start * channels), frames * channels));
        }
        return output;
    }
}
