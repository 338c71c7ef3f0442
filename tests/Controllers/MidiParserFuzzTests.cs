using LatentTerrain.Controllers.Midi;

namespace LatentTerrain.Tests.Controllers;

public class MidiParserFuzzTests
{
    /// <summary>Checks every message as it comes: channel and system messages well formed, SysEx framed and within the limit.</summary>
    private sealed class SaneReceiver(int maxSysEx) : IMidiReceiver
    {
        public MidiMessage Last;
        public long Count;

        public void Receive(in MidiMessage message)
        {
            int length = MidiMessage.DataLength(message.Status);
            if (length < 0) throw new InvalidOperationException($"message with status {message.Status:X2}");
            if (message.Data1 > 127 || message.Data2 > 127) throw new InvalidOperationException($"data byte above 127 in {message}");
            if (length < 2 && message.Data2 != 0 || length < 1 && message.Data1 != 0) throw new InvalidOperationException($"extra data in {message}");
            Last = message;
            Count++;
        }

        public void ReceiveSysEx(ReadOnlySpan<byte> message)
        {
            if (message.Length < 2 || message.Length > maxSysEx || message[0] != 0xF0 || message[^1] != 0xF7) throw new InvalidOperationException("badly framed SysEx");
            foreach (byte b in message[1..^1]) if (b > 127) throw new InvalidOperationException("status byte inside a SysEx");
            Count++;
        }
    }

    [Fact]
    public void AMillionRandomStreamsLeaveTheParserSane()
    {
        var random = new Random(6);
        var parser = new MidiParser(maxSysExLength: 64);
        var receiver = new SaneReceiver(64);
        var stream = new byte[48];
        byte[] probe = [0x93, 0x3C, 0x40];
        for (int i = 0; i < 1_000_000; i++)
        {
            int length = random.Next(stream.Length + 1);
            // Half the streams are biased toward status bytes and SysEx boundaries, where the states change.
            for (int b = 0; b < length; b++)
                stream[b] = (byte)(i % 2 == 0 ? random.Next(256) : random.Next(4) switch { 0 => 0xF0, 1 => 0xF7, 2 => 0x80 + random.Next(128), _ => random.Next(128) });
            // Split each stream at a random point, as packets would.
            int split = random.Next(length + 1);
            parser.Feed(stream.AsSpan(0, split), receiver);
            parser.Feed(stream.AsSpan(split, length - split), receiver);

            // Whatever came before, a whole message with its status byte is read exactly.
            if (i % 1000 == 0)
            {
                long before = receiver.Count;
                parser.Feed(probe, receiver);
                Assert.Equal(before + 1, receiver.Count);
                Assert.Equal(new MidiMessage(0x93, 0x3C, 0x40), receiver.Last);
                Assert.False(parser.InSysEx);
            }
        }
        Assert.True(receiver.Count > 1_000_000, $"only {receiver.Count} messages from a million streams");
    }
}
