using LatentTerrain.Controllers.Midi;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Midi;

/// <summary>Bytes sent through real RtMidi ports on JACK servers of the tests' own, arriving whole, in order and without allocation.</summary>
[Collection(JackServer.Collection)]
public sealed class MidiTransferTests
{
    [JackFact]
    public void Messages_sent_out_of_a_virtual_port_arrive_at_an_input_whole_and_in_order_SysEx_included()
    {
        using var server = JackServer.Start();
        using var keyboard = MidiOutput.OpenVirtual("keys", clientName: "keyboard");
        var log = new MessageLog();
        using var input = MidiInput.Open(MidiPorts.ListOnce().Input("keyboard:keys"), log);
        Assert.Equal("keyboard:keys", input.Name);
        Assert.True(input.IsConnected);

        var sent = Phrase(Random.Shared.Next());
        foreach (var message in sent) keyboard.Send(message);

        Assert.Equal(sent, log.WaitFor(sent.Count));
        Assert.Null(input.ReceiverFault);
    }

    [JackFact]
    public void A_SysEx_message_sent_in_two_packets_arrives_as_one()
    {
        using var server = JackServer.Start();
        using var keyboard = MidiOutput.OpenVirtual("keys", clientName: "keyboard");
        var log = new MessageLog();
        using var input = MidiInput.Open(MidiPorts.ListOnce().Input("keyboard:keys"), log);
        byte[] sysEx = [0xF0, 0x00, 0x20, 0x29, 0x02, 0x0C, 0x0E, 0x01, 0xF7];

        keyboard.Send(sysEx.AsSpan(0, 5));
        keyboard.Send(sysEx.AsSpan(5));
        keyboard.Send([0x90, 60, 100]);

        Assert.Equal([sysEx, [0x90, 60, 100]], log.WaitFor(2));
    }

    [JackFact]
    public void System_messages_not_asked_for_are_dropped_and_those_asked_for_arrive()
    {
        using var server = JackServer.Start();
        using var keyboard = MidiOutput.OpenVirtual("keys", clientName: "keyboard");
        var port = MidiPorts.ListOnce().Input("keyboard:keys");
        var plain = new MessageLog();
        var everything = new MessageLog();
        using var plainInput = MidiInput.Open(port, plain, MidiSystemMessages.None);
        using var fullInput = MidiInput.Open(port, everything, MidiSystemMessages.SysEx | MidiSystemMessages.Timing | MidiSystemMessages.ActiveSensing);
        byte[][] sent = [[0xF8], [0xFE], [0xF0, 0x7E, 0x7F, 0x06, 0x01, 0xF7], [0xF1, 0x21], [0xB0, 74, 64]];

        foreach (var message in sent) keyboard.Send(message);

        Assert.Equal(sent, everything.WaitFor(sent.Length));
        Assert.Equal([[0xB0, 74, 64]], plain.WaitFor(1));
    }

    [JackFact]
    public void Several_inputs_at_once_each_hear_their_own_device_and_an_output_reaches_a_virtual_input()
    {
        using var server = JackServer.Start();
        using var seaboard = MidiOutput.OpenVirtual("mpe", clientName: "seaboard");
        using var launchpad = MidiOutput.OpenVirtual("pads", clientName: "launchpad");
        var fromSeaboard = new MessageLog();
        var fromLaunchpad = new MessageLog();
        var list = MidiPorts.ListOnce();
        using var first = MidiInput.Open(list.Input("seaboard"), fromSeaboard);
        using var second = MidiInput.Open(list.Input("launchpad"), fromLaunchpad);
        var lights = new MessageLog();
        using var device = MidiInput.OpenVirtual("lights", lights, clientName: "launchpad-leds");
        using var output = MidiOutput.Open(MidiPorts.ListOnce().Output("launchpad-leds:lights"));

        seaboard.Send([0x91, 60, 90]);
        launchpad.Send([0x90, 11, 127]);
        seaboard.Send([0xE1, 0x00, 0x50]);
        output.Send([0xF0, 0x00, 0x20, 0x29, 0x02, 0x0C, 0x0E, 0x01, 0xF7]);

        Assert.Equal([[0x91, 60, 90], [0xE1, 0x00, 0x50]], fromSeaboard.WaitFor(2));
        Assert.Equal([[0x90, 11, 127]], fromLaunchpad.WaitFor(1));
        Assert.Equal([[0xF0, 0x00, 0x20, 0x29, 0x02, 0x0C, 0x0E, 0x01, 0xF7]], lights.WaitFor(1));
    }

    [JackFact]
    public void Receiving_allocates_nothing_per_message_in_steady_state()
    {
        using var server = JackServer.Start();
        using var keyboard = MidiOutput.OpenVirtual("keys", clientName: "keyboard");
        var counter = new AllocationCounter();
        using var input = MidiInput.Open(MidiPorts.ListOnce().Input("keyboard:keys"), counter);
        byte[] sysEx = [0xF0, .. Enumerable.Range(0, 300).Select(i => (byte)(i % 128)), 0xF7];

        for (int i = 0; i < 2000; i++)
        {
            keyboard.Send([(byte)(0x90 | i % 16), (byte)(i % 128), 100]);
            keyboard.Send([0xD0, (byte)(i % 128)]);
            if (i % 10 == 0) keyboard.Send(sysEx);
            if (i % 50 == 49) counter.WaitFor(i * 2 + i / 10 + 2);
        }

        Assert.Equal(2000 * 2 + 200, counter.WaitFor(2000 * 2 + 200));
        // Bytes the MIDI thread allocated from its 500th message to its last: the first ones warm up (code is compiled).
        Assert.Equal(0, counter.AllocatedAfterWarmUp);
    }

    /// <summary>
    /// Full blocking garbage collections, one after another, stop every thread in the runtime: a
    /// callback of ours on JACK's thread would be held past JACK's period (RtMidi then delivers a
    /// message twice and loses another). Every message is numbered, so a loss, a double or a swap shows.
    /// </summary>
    [JackFact]
    public void A_fast_stream_arrives_exactly_once_and_in_order_while_garbage_collections_stop_the_runtime()
    {
        using var server = JackServer.Start();
        using var keyboard = MidiOutput.OpenVirtual("keys", clientName: "keyboard");
        var log = new MessageLog();
        using var input = MidiInput.Open(MidiPorts.ListOnce().Input("keyboard:keys"), log);
        // Message i: a Note On (i even) or a control change (i odd) carrying i in its two data bytes.
        var sent = Enumerable.Range(0, 2000).Select(i => i % 2 == 0
            ? new byte[] { 0x90, (byte)(i & 0x7F), (byte)(1 + (i >> 7)) }
            : new byte[] { 0xB0, (byte)(i & 0x7F), (byte)(i >> 7) }).ToList();
        // Live objects for every collection to trace and move, so that each one lasts milliseconds.
        var heap = Enumerable.Range(0, 100_000).Select(i => new object[] { i, i.ToString(System.Globalization.CultureInfo.InvariantCulture) }).ToArray();
        bool sending = true;
        int collections = 0;
        var collector = new Thread(() =>
        {
            while (Volatile.Read(ref sending))
            {
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                collections++;
                // A moment between collections for the sender (and, before, for a managed callback to enter).
                Thread.Sleep(1);
            }
        });
        collector.Start();
        try
        {
            for (int i = 0; i < sent.Count; i++)
            {
                keyboard.Send(sent[i]);
                // A few messages per JACK cycle (128 frames at 48 kHz), within what RtMidi's JACK output holds.
                if (i % 8 == 7) Thread.Sleep(1);
            }
            Assert.Equal(sent, log.WaitFor(sent.Count));
        }
        finally
        {
            Volatile.Write(ref sending, false);
            collector.Join();
        }
        Thread.Sleep(100);
        Assert.Equal(sent.Count, log.Messages.Length);
        Assert.True(collections > 10, $"only {collections} collections ran while sending");
        Assert.Equal(0, input.DroppedMessages);
        GC.KeepAlive(heap);
    }

    [JackFact]
    public void Messages_longer_than_JACKs_output_takes_and_empty_ones_are_refused()
    {
        using var server = JackServer.Start();
        using var keyboard = MidiOutput.OpenVirtual("keys", clientName: "keyboard");

        var tooLong = Assert.Throws<MidiException>(() => keyboard.Send(new byte[MidiOutput.LargestJackMessage + 1]));
        Assert.Equal("a 16380-byte message is too long for MIDI output 'keys' (virtual, JACK): RtMidi's JACK output takes at most 16379 bytes", tooLong.Message);
        Assert.Throws<ArgumentException>(() => keyboard.Send([]));
    }

    /// <summary>
    /// A few notes, pressure and bends on MPE channels, real-time bytes and SysEx messages of
    /// 6, 328 (a Launchpad frame) and 3000 bytes, shuffled by <paramref name="seed"/>.
    /// </summary>
    private static List<byte[]> Phrase(int seed)
    {
        var random = new Random(seed);
        var messages = new List<byte[]>();
        for (int i = 0; i < 60; i++)
        {
            byte channel = (byte)(1 + i % 15);
            messages.Add([(byte)(0x90 | channel), (byte)random.Next(128), (byte)random.Next(1, 128)]);
            messages.Add([(byte)(0xE0 | channel), (byte)random.Next(128), (byte)random.Next(128)]);
            messages.Add([(byte)(0xD0 | channel), (byte)random.Next(128)]);
            messages.Add([(byte)(0xB0 | channel), 74, (byte)random.Next(128)]);
            if (i % 20 == 5) messages.Add(SysEx(random, 6));
            if (i % 20 == 10) messages.Add(SysEx(random, 328));
            if (i == 30) messages.Add(SysEx(random, 3000));
            messages.Add([(byte)(0x80 | channel), (byte)random.Next(128), 0]);
        }
        return messages;
    }

    private static byte[] SysEx(Random random, int length)
    {
        var message = new byte[length];
        for (int i = 1; i < length - 1; i++) message[i] = (byte)random.Next(128);
        message[0] = 0xF0;
        message[^1] = 0xF7;
        return message;
    }

    /// <summary>Counts messages and what the receiving thread allocated between the 500th and the latest, reading the thread's own counter.</summary>
    private sealed class AllocationCounter : IRawMidiReceiver
    {
        private const int WarmUp = 500;
        private long count, atWarmUp, latest;

        public long AllocatedAfterWarmUp => Volatile.Read(ref latest) - Volatile.Read(ref atWarmUp);

        public void Receive(ReadOnlySpan<byte> message, double deltaSeconds)
        {
            long bytes = GC.GetAllocatedBytesForCurrentThread();
            if (count == WarmUp) Volatile.Write(ref atWarmUp, bytes);
            if (count >= WarmUp) Volatile.Write(ref latest, bytes);
            Volatile.Write(ref count, count + 1);
        }

        public long WaitFor(long messages)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (Volatile.Read(ref count) < messages && clock.Elapsed < TimeSpan.FromSeconds(5)) Thread.Sleep(1);
            return Volatile.Read(ref count);
        }
    }
}
