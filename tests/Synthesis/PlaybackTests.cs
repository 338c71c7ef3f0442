using LatentTerrain.Engine.Rendering;
using LatentTerrain.Engine.Synthesis;
using LatentTerrain.Engine.Terrain;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Synthesis;

/// <summary>What teaching plays on the audio clock: a fragment's own sound over the voices, a path looped and stopped.</summary>
public sealed class PlaybackTests
{
    /// <summary>A clip is added to the silent synth's output sample for sample, once, and then the synth is silent again; with no allocation.</summary>
    [Fact]
    public void A_clip_plays_once_over_the_voices_and_allocates_nothing()
    {
        using var synth = new Synth(new SineAutoencoder(), new TerrainSnapshots(LinearTerrain.PitchAlongX()));
        var clip = Enumerable.Range(0, 300 * 2).Select(i => (float)Math.Sin(i * 0.01) * 0.25f).ToArray();
        var block = new float[128 * 2];
        synth.PlayClip(clip);
        Assert.True(synth.PlayingClip);
        var heard = new List<float>();
        long allocated = Allocations.Of(() => synth.Render(block), attempts: 1);
        heard.AddRange(block);
        for (int i = 0; i < 3; i++)
        {
            synth.Render(block);
            heard.AddRange(block);
        }
        Assert.Equal(0, allocated);
        Assert.False(synth.PlayingClip);
        Assert.Equal(clip, heard.Take(clip.Length));
        Assert.All(heard.Skip(clip.Length), sample => Assert.Equal(0f, sample));
    }

    /// <summary>A looped gesture starts again after its loop length, on the frames it is given; stopped, it lifts its cursor and moves it no more.</summary>
    [Fact]
    public void A_looped_gesture_repeats_on_the_audio_clock_and_a_stop_lifts_its_cursor()
    {
        var board = new CursorBoard();
        var gesture = new Gesture([new GestureEvent(0, 3, 1f, 0f, 1f), new GestureEvent(0.5, 3, 2f, 0f, 1f)]);
        var player = new GesturePlayer(gesture, board, 100) { LoopSeconds = 1.0 };
        float XAt(long frame)
        {
            player.Advance(frame);
            return board.Read(3).X;
        }
        Assert.Equal(1f, XAt(1000));
        Assert.Equal(1f, XAt(1049));
        Assert.Equal(2f, XAt(1050));
        Assert.Equal(2f, XAt(1099));
        Assert.Equal(1f, XAt(1100));
        Assert.Equal(2f, XAt(1150));
        Assert.False(player.Finished);

        player.Stop();
        Assert.Equal(0, Allocations.Of(() => player.Advance(1160), attempts: 1));
        Assert.True(player.Finished);
        Assert.False(board.Read(3).Active);
        player.Advance(1200);
        Assert.False(board.Read(3).Active);
    }
}
