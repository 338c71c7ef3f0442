using System.Diagnostics;
using LatentTerrain.Engine.Audio;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Audio;

public sealed class AudioRingTests
{
    [Fact]
    public void Capacity_rounds_up_to_a_power_of_two_of_frames()
    {
        var ring = new AudioRing(100, 2);

        Assert.Equal((128, 2, 0, 128), (ring.Capacity, ring.Channels, ring.Count, ring.Free));
        Assert.Equal(64, new AudioRing(64, 1).Capacity);
    }

    [Fact]
    public void Frames_come_out_in_the_order_they_went_in_across_the_wrap()
    {
        var ring = new AudioRing(4, 2);
        var block = new float[6];
        var read = new float[6];
        float next = 0, expected = 0;
        // Three frames at a time through four slots: every position of the wrap comes up.
        for (int round = 0; round < 10; round++)
        {
            for (int i = 0; i < block.Length; i++) block[i] = next++;
            Assert.Equal(3, ring.Write(block));
            Assert.Equal((3, 1), (ring.Count, ring.Free));
            Assert.Equal(3, ring.Read(read));
            foreach (float sample in read) Assert.Equal(expected++, sample);
        }
        Assert.Equal(0, ring.Count);
    }

    [Fact]
    public void Write_takes_what_fits_and_read_gives_what_is_there()
    {
        var ring = new AudioRing(4, 1);

        Assert.Equal(4, ring.Write([1, 2, 3, 4, 5, 6]));
        Assert.Equal(0, ring.Write([7]));
        Assert.Equal((4, 0), (ring.Count, ring.Free));

        var first = new float[3];
        Assert.Equal(3, ring.Read(first));
        Assert.Equal([1f, 2, 3], first);

        // Only one frame is left: the rest of the destination is not touched.
        var rest = new float[] { -1, -1, -1 };
        Assert.Equal(1, ring.Read(rest));
        Assert.Equal([4f, -1, -1], rest);
        Assert.Equal(0, ring.Read(rest));
    }

    [Fact]
    public void Only_whole_frames_go_in_or_out()
    {
        var ring = new AudioRing(8, 2);

        var error = Assert.Throws<ArgumentException>(() => ring.Write([1, 2, 3]));
        Assert.Contains("3 samples are not whole frames of 2 channels", error.Message);
        Assert.Throws<ArgumentException>(() => ring.Read(new float[5]));
    }

    [Fact]
    public void Writing_and_reading_allocate_nothing()
    {
        var ring = new AudioRing(256, 2);
        var block = new float[2 * 100];
        ring.Write(block);
        ring.Read(block);

        Assert.Equal(0, Allocations.Of(() =>
        {
            for (int i = 0; i < 100; i++)
            {
                ring.Write(block);
                ring.Read(block);
            }
        }));
    }

    /// <summary>
    /// One writer and one reader on their own threads, each with blocks of changing size, pass
    /// millions of frames; every frame arrives once, whole, in order.
    /// </summary>
    [Theory]
    [InlineData(1, 4_000_000)]
    [InlineData(2, 3_000_000)]
    public void A_writer_and_a_reader_on_two_threads_pass_every_frame_in_order(int channels, int frames)
    {
        var ring = new AudioRing(1024, channels);
        // Frame f carries f in its first sample and -f in the others: exact in float below 2^24.
        float Sample(long frame, int channel) => channel == 0 ? frame : -frame;
        string? failure = null;

        var writer = new Thread(() =>
        {
            var random = new Random(1);
            var block = new float[700 * channels];
            long sent = 0;
            while (sent < frames && failure == null)
            {
                int count = (int)Math.Min(random.Next(1, 700), frames - sent);
                for (int i = 0; i < count; i++)
                    for (int c = 0; c < channels; c++) block[i * channels + c] = Sample(sent + i, c);
                int offset = 0;
                while (offset < count && failure == null)
                {
                    int written = ring.Write(block.AsSpan(offset * channels, (count - offset) * channels));
                    if (written == 0) Thread.Yield();
                    offset += written;
                }
                sent += count;
            }
        });
        var reader = new Thread(() =>
        {
            var random = new Random(2);
            var block = new float[500 * channels];
            long received = 0;
            while (received < frames && failure == null)
            {
                int read = ring.Read(block.AsSpan(0, random.Next(1, 500) * channels));
                if (read == 0) Thread.Yield();
                for (int i = 0; i < read && failure == null; i++)
                    for (int c = 0; c < channels; c++)
                        if (block[i * channels + c] != Sample(received + i, c))
                            failure = $"frame {received + i} channel {c} was {block[i * channels + c]}";
                received += read;
            }
        });
        var clock = Stopwatch.StartNew();
        writer.Start();
        reader.Start();
        Assert.True(writer.Join(TimeSpan.FromMinutes(2)) && reader.Join(TimeSpan.FromMinutes(2)),
            $"the threads did not finish in 2 minutes ({clock.Elapsed})");

        Assert.Null(failure);
        Assert.Equal(0, ring.Count);
    }

    /// <summary>
    /// The C callback PortAudio calls, called here directly as the device would: it plays what the
    /// ring holds, silence and an underrun for what it lacks, counts frames and the host's underflow
    /// flags, records where its first frame is heard and when it ran (on the machine's clock), and
    /// wakes a writer waiting for space. (What it does with a block is the core every device shares,
    /// tested on simulated time below.)
    /// </summary>
    [Fact]
    public unsafe void The_callback_plays_the_ring_and_counts_what_it_lacks()
    {
        using var ring = new AudioRing(256, 2);
        var output = new float[2 * 128];
        double dacTime = 0;
        int Play(nuint status = 0) => Call(NativeAudio.PlayCallback, null, output, 128, ring, dacTime, status);

        Assert.False(ring.TryGetLastRead(out _, out _));
        Array.Fill(output, 9f);
        Assert.Equal(0, Play());
        Assert.All(output, sample => Assert.Equal(0f, sample));
        Assert.Equal(1, ring.UnderrunCount);

        var frames = Enumerable.Range(0, 2 * 200).Select(i => (float)i).ToArray();
        ring.Write(frames);
        bool woken = false;
        var waiter = new Thread(() => woken = ring.WaitForSpace(2_000_000));
        waiter.Start();
        long before = Stopwatch.GetTimestamp();
        dacTime = 20.0;
        Play();
        Assert.True(waiter.Join(TimeSpan.FromSeconds(2)) && woken, "the writer was not woken");
        Assert.Equal(frames[..256], output);
        Assert.Equal(1, ring.UnderrunCount);
        Assert.True(ring.TryGetLastRead(out long first, out long ran));
        Assert.Equal(0, first);
        Assert.InRange(ran, before, Stopwatch.GetTimestamp());
        Assert.True(ring.TryReadClock(out _, out double heardAt, out _));
        Assert.Equal(20.0, heardAt);

        Play();   // 72 frames left: played, then silence
        Assert.Equal(frames[256..], output[..144]);
        Assert.All(output[144..], sample => Assert.Equal(0f, sample));
        Assert.Equal(2, ring.UnderrunCount);
        Assert.Equal(3 * 128, ring.FramesPlayed);
        Assert.True(ring.TryGetLastRead(out first, out _));
        Assert.Equal(128, first);

        // PortAudio's output-underflow flag (paOutputUnderflow) is a gap the host tells of.
        Assert.Equal(0, ring.UnderflowFlags);
        Play(status: 0x4);
        Assert.Equal(1, ring.UnderflowFlags);
    }

    /// <summary>
    /// PortAudio's input callback, called here directly as the device would: it copies what the
    /// device recorded into the ring; when the reader has fallen behind it keeps what fits, drops the
    /// rest and counts one overrun for the block, never waiting; PortAudio's input-overflow flag is a
    /// gap the host tells of.
    /// </summary>
    [Fact]
    public unsafe void The_input_callback_fills_the_ring_and_counts_what_did_not_fit()
    {
        using var ring = new AudioRing(256, 2);
        var recorded = Enumerable.Range(0, 2 * 200).Select(i => (float)i).ToArray();
        int Capture(nuint status = 0) => Call(NativeAudio.CaptureCallback, recorded, null, 200, ring, 0, status);

        Assert.Equal(0, Capture());
        Assert.Equal((200, 0L), (ring.Count, ring.OverrunCount));
        Assert.Equal(0, Capture(status: 0x2));   // 56 frames fit
        Assert.Equal((256, 1L, 1L), (ring.Count, ring.OverrunCount, ring.UnderflowFlags));

        var read = new float[2 * 256];
        Assert.Equal(256, ring.Read(read));
        Assert.Equal(recorded, read[..400]);
        Assert.Equal(recorded[..112], read[400..]);
    }

    /// <summary>Calls a PortAudio stream callback as PortAudio does, with the ring as its user data.</summary>
    private static unsafe int Call(delegate* unmanaged[Cdecl]<void*, void*, nuint, PortAudio.StreamCallbackTimeInfo*, nuint, void*, int> callback,
        float[]? input, float[]? output, int frames, AudioRing ring, double dacTime, nuint status)
    {
        var time = new PortAudio.StreamCallbackTimeInfo { OutputBufferDacTime = dacTime };
        fixed (float* recorded = input)
        fixed (float* played = output)
            return callback(recorded, played, (nuint)frames, &time, status, (void*)ring.Native);
    }

    /// <summary>
    /// A quarter of a second of tone, then nothing more: the device plays the tone, then silence,
    /// and from the block that ran dry on every block is one underrun (none early: each came a
    /// period after the one before).
    /// </summary>
    [Fact]
    public void A_starved_ring_plays_silence_and_counts_each_short_block()
    {
        const int Rate = 48000;
        using var ring = new AudioRing(16384, 1);
        var tone = Signals.Sine(1000, Rate, Rate / 4);
        Assert.Equal(Rate / 4, ring.Write(tone));
        var device = new SimulatedDevice(ring, Rate, periodFrames: 128, seconds: 0.5, patient: false);

        device.Play(Rate / 2 / 128);

        Assert.Equal(tone, device.Played[..tone.Length].ToArray());
        Assert.Equal(-1, device.Played[tone.Length..].IndexOfAnyExcept(0f));
        // 93 whole blocks of tone; the 94th has 96 frames of it.
        Assert.Equal((Rate / 2 / 128 - 93L, 0L), (ring.UnderrunCount, ring.EarlyUnderrunCount));
        Assert.Equal(Rate / 2 / 128 * 128, ring.FramesPlayed);
    }

    /// <summary>
    /// A device that stalls and then catches up (blocks back to back, as JACK's dummy driver does
    /// after it ran late) finds the ring short: those underruns are counted early, since they came
    /// less than half a period after the callback before, and the synth is not to blame for them.
    /// A stall alone is no underrun, and a block a period after the one before is not early.
    /// </summary>
    [Fact]
    public void Underruns_of_a_device_catching_up_are_counted_early()
    {
        using var ring = new AudioRing(1024, 2);
        ring.Write(new float[2 * 3 * 128]);
        var device = new SimulatedDevice(ring, 48000, periodFrames: 128, seconds: 0.1, patient: false);

        device.Play(2);
        device.Stall(4);
        Assert.Equal(0, ring.UnderrunCount);
        device.CatchUp(3);   // the last queued block, then two back to back with nothing left
        Assert.Equal((2L, 2L), (ring.UnderrunCount, ring.EarlyUnderrunCount));
        device.Play(1);
        Assert.Equal((3L, 2L), (ring.UnderrunCount, ring.EarlyUnderrunCount));
    }

    /// <summary>
    /// A gap the host flags (a JACK xrun, PortAudio's underflow flag) is counted apart from
    /// underruns, which are the ring's: a block the ring held is played all the same.
    /// </summary>
    [Fact]
    public void A_gap_the_host_flags_is_counted_apart_from_underruns()
    {
        using var ring = new AudioRing(1024, 1);
        ring.Write(Signals.Sine(440, 48000, 3 * 128));
        var device = new SimulatedDevice(ring, 48000, periodFrames: 128, seconds: 0.1, patient: true);

        device.Play(1);
        device.FlagGap();
        device.Play(2);

        Assert.Equal((1L, 0L, 3 * 128L), (ring.UnderflowFlags, ring.UnderrunCount, ring.FramesPlayed));
        Assert.Equal(Signals.Sine(440, 48000, 3 * 128), device.Played.ToArray());
    }

    /// <summary>
    /// The clock the core records is the device's: where each block starts in the ring, when its
    /// callback began (here simulated, exactly a period apart) and when its first frame is heard.
    /// </summary>
    [Fact]
    public void The_core_records_the_devices_clock()
    {
        using var ring = new AudioRing(1024, 2);
        ring.Write(new float[2 * 3 * 128]);
        var device = new SimulatedDevice(ring, 48000, periodFrames: 128, seconds: 0.1, patient: true);
        long start = device.Now;

        device.Play(3);

        Assert.True(ring.TryReadClock(out long frame, out double heardAt, out long began));
        Assert.Equal((256L, start + 2 * 128 * 1_000_000_000L / 48000), (frame, began));
        Assert.Equal((began + 128 * 1_000_000_000L / 48000) / 1e9, heardAt);
        Assert.Equal(start + 3 * 128 * 1_000_000_000L / 48000, device.Now);
    }

    /// <summary>The core a device's callback calls allocates nothing: it is C, and so is the simulated device's path to it.</summary>
    [Fact]
    public void A_device_pulling_blocks_allocates_nothing()
    {
        using var ring = new AudioRing(1024, 2);
        var block = new float[2 * 128];
        var device = new SimulatedDevice(ring, 48000, periodFrames: 128, seconds: 3, patient: true);
        ring.Write(block);
        device.Play(1);

        Assert.Equal(0, Allocations.Of(() =>
        {
            for (int i = 0; i < 50; i++)
            {
                ring.Write(block);
                device.Play(1);
            }
            device.CatchUp(10);   // and underruns: nothing is left
        }));
    }
}
