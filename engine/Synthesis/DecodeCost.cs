using System.Diagnostics;

namespace LatentTerrain.Engine.Synthesis;

/// <summary>
/// How long one voice bank's decoder takes for a frame, as the synth thread measures it: the
/// longest of the recent frames (each new one counts whole, older ones fade by 2% a frame). It
/// sets how many new notes may decode their first frame in one block (<see cref="FirstFramesPerBlock"/>).
/// Used by the synth thread only.
/// </summary>
internal sealed class DecodeCost
{
    private double _peakSeconds;

    public void Observe(long ticks) => _peakSeconds = Math.Max((double)ticks / Stopwatch.Frequency, _peakSeconds * 0.98);

    /// <summary>
    /// How many first frames fit in half of one block's time of <paramref name="blockSeconds"/> (the
    /// other half is for the frames the sounding voices decode in it, of this model and of one
    /// fading out): at least one, and no limit before anything was measured. A chord of a model
    /// that takes a millisecond a frame then starts a note a block, 2.7 ms apart, instead of
    /// decoding eight frames in one block of 2.7 ms, which the queue cannot absorb; a model of a
    /// tenth of that starts eight at once.
    /// </summary>
    public int FirstFramesPerBlock(double blockSeconds) =>
        _peakSeconds <= 0 ? int.MaxValue : Math.Max(1, (int)Math.Min(int.MaxValue, 0.5 * blockSeconds / _peakSeconds));
}
