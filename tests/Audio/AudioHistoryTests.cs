using LatentTerrain.Engine.Audio;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Audio;

public sealed class AudioHistoryTests
{
    // Frame f carries f in its first channel and -f in its second: exact in float below 2^24.
    private static float[] Frames(long first, int count)
    {
        var samples = new float[2 * count];
        for (int i = 0; i < count; i++) (samples[2 * i], samples[2 * i + 1]) = (first + i, -(first + i));
        return samples;
    }

    [Fact]
    public void Keeps_the_newest_frames_across_the_wrap()
    {
        // Ten frames at ten frames a second: three at a time, every place of the wrap comes up.
        var history = new AudioHistory(channels: 2, sampleRate: 10, seconds: 1);
        Assert.Equal((10, 0L, 0L), (history.Capacity, history.FramesWritten, history.OldestFrame));
        var newest = new float[2 * 10];
        for (int round = 0; round < 12; round++)
        {
            history.Write(Frames(3 * round, 3));
            long written = 3 * round + 3;
            Assert.Equal((written, Math.Max(0, written - 10)), (history.FramesWritten, history.OldestFrame));
            int held = (int)Math.Min(written, 10);
            Assert.True(history.TryRead(written - held, newest.AsSpan(0, 2 * held)));
            Assert.Equal(Frames(written - held, held), newest[..(2 * held)]);
        }
    }

    [Fact]
    public void A_write_longer_than_the_history_keeps_its_end()
    {
        var history = new AudioHistory(channels: 2, sampleRate: 10, seconds: 1);
        history.Write(Frames(0, 4));

        history.Write(Frames(4, 25));

        Assert.Equal((29L, 19L), (history.FramesWritten, history.OldestFrame));
        var held = new float[2 * 10];
        Assert.True(history.TryRead(19, held));
        Assert.Equal(Frames(19, 10), held);
    }

    [Fact]
    public void Frames_not_yet_written_or_already_overwritten_are_refused()
    {
        var history = new AudioHistory(channels: 2, sampleRate: 10, seconds: 1);
        history.Write(Frames(0, 15));
        var three = new float[2 * 3];

        Assert.False(history.TryRead(13, three));   // 15 is not written yet
        Assert.False(history.TryRead(4, three));    // 4 is overwritten
        Assert.False(history.TryRead(-1, three));
        Assert.True(history.TryRead(5, three));
        Assert.Equal(Frames(5, 3), three);
    }

    [Fact]
    public void A_mark_copies_every_frame_written_since_as_planar_audio()
    {
        var history = new AudioHistory(channels: 2, sampleRate: 100, seconds: 1);
        history.Write(Frames(0, 70));
        long mark = history.FramesWritten;
        history.Write(Frames(70, 50));

        var since = history.Since(mark);

        Assert.Equal((100, 2, 50), (since.SampleRate, since.Channels, since.Frames));
        Assert.Equal(Enumerable.Range(70, 50).Select(f => (float)f), since.Channel(0).ToArray());
        Assert.Equal(Enumerable.Range(70, 50).Select(f => (float)-f), since.Channel(1).ToArray());
        Assert.Equal(0, history.Since(history.FramesWritten).Frames);
    }

    [Fact]
    public void The_last_seconds_are_the_newest_frames_or_all_there_are()
    {
        var history = new AudioHistory(channels: 2, sampleRate: 100, seconds: 1);
        history.Write(Frames(0, 30));
        Assert.Equal(Enumerable.Range(0, 30).Select(f => (float)f), history.Last(0.5).Channel(0).ToArray());

        history.Write(Frames(30, 200));

        Assert.Equal(Enumerable.Range(180, 50).Select(f => (float)f), history.Last(0.5).Channel(0).ToArray());
        Assert.Equal(100, history.Last(5).Frames);
    }

    [Fact]
    public void A_mark_older_than_the_history_is_refused_in_one_line()
    {
        var history = new AudioHistory(channels: 2, sampleRate: 100, seconds: 1);
        history.Write(Frames(0, 10));
        long mark = history.FramesWritten;
        history.Write(Frames(10, 150));

        var error = Assert.Throws<InvalidOperationException>(() => history.Since(mark));
        Assert.Equal("the audio history keeps the last 1 s, and 1.5 s have passed since the mark", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => history.Since(history.FramesWritten + 1));
    }

    [Fact]
    public void Only_whole_frames_go_in_or_out()
    {
        var history = new AudioHistory(channels: 2, sampleRate: 100, seconds: 1);

        Assert.Equal("3 samples are not whole frames of 2 channels (Parameter 'interleaved')",
            Assert.Throws<ArgumentException>(() => history.Write(new float[3])).Message);
        Assert.Throws<ArgumentException>(() => history.TryRead(0, new float[5]));
    }

    [Fact]
    public void The_peak_is_the_loudest_sample_of_the_newest_frames()
    {
        var history = new AudioHistory(channels: 2, sampleRate: 100, seconds: 1);
        Assert.Equal(0f, history.Peak(10));
        history.Write([0.1f, -0.9f, 0.2f, 0.3f]);
        history.Write(new float[2 * 95]);
        history.Write([0.5f, -0.25f]);

        Assert.Equal(0.5f, history.Peak(10));
        Assert.Equal(0.9f, history.Peak(100));
        Assert.Equal(0.9f, history.Peak(1000));
    }

    [Fact]
    public void Writing_and_reading_allocate_nothing()
    {
        var history = new AudioHistory(channels: 2, sampleRate: 48000, seconds: 1);
        var block = new float[2 * 128];
        var read = new float[2 * 1000];
        history.Write(block);

        Assert.Equal(0, Allocations.Of(() =>
        {
            for (int i = 0; i < 1000; i++)
            {
                history.Write(block);
                history.TryRead(history.FramesWritten - 1000, read);
                history.Peak(4800);
            }
        }));
    }

    /// <summary>
    /// A writer on its own thread laps a short history again and again while a reader copies nearly
    /// over half of it, a million times: every copy it is handed is whole (frame f holds f, modulo 2^20 to
    /// stay exact in float), and those the writer overtook are refused. How many are refused is the
    /// machine's (how the threads interleave); that none handed out is torn is the history's.
    /// </summary>
    [Fact]
    public void A_copy_the_writer_overtakes_is_refused_never_handed_out_torn()
    {
        const int Attempts = 1_000_000, Wrap = 1 << 20;
        var history = new AudioHistory(channels: 2, sampleRate: 64, seconds: 1);
        history.Write(new float[2 * 64]);
        bool done = false;
        var writer = new Thread(() =>
        {
            var block = new float[2 * 7];
            for (long first = 64; !Volatile.Read(ref done); first += 7)
            {
                for (int i = 0; i < 7; i++) (block[2 * i], block[2 * i + 1]) = ((first + i) % Wrap, -((first + i) % Wrap));
                history.Write(block);
            }
        });
        writer.Start();
        var copy = new float[2 * 40];
        string? failure = null;
        long refused = 0;
        for (int attempt = 0; attempt < Attempts && failure == null; attempt++)
        {
            long first = history.FramesWritten - 40;
            if (!history.TryRead(first, copy))
            {
                refused++;
                continue;
            }
            for (int i = 0; i < 40 && failure == null; i++)
                if (first + i >= 64 && (copy[2 * i] != (first + i) % Wrap || copy[2 * i + 1] != -((first + i) % Wrap)))
                    failure = $"a copy of frames {first}.. held {copy[2 * i]} where frame {first + i} was ({attempt - refused} accepted, {refused} refused)";
        }
        Volatile.Write(ref done, true);
        writer.Join();

        Assert.Null(failure);
    }
}
