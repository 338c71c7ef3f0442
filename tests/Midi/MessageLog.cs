using System.Diagnostics;
using LatentTerrain.Controllers.Midi;

namespace LatentTerrain.Tests.Midi;

/// <summary>A receiver that keeps a copy of every message (allocating: a test's, not the instrument's) and lets a test wait for them.</summary>
internal sealed class MessageLog : IRawMidiReceiver
{
    private readonly List<byte[]> messages = [];

    public void Receive(ReadOnlySpan<byte> message, double deltaSeconds)
    {
        lock (messages)
        {
            messages.Add(message.ToArray());
            Monitor.PulseAll(messages);
        }
    }

    public byte[][] Messages
    {
        get { lock (messages) return [.. messages]; }
    }

    /// <summary>Waits until <paramref name="count"/> messages arrived, or five seconds passed; returns them.</summary>
    public byte[][] WaitFor(int count)
    {
        var clock = Stopwatch.StartNew();
        lock (messages)
        {
            while (messages.Count < count && clock.Elapsed < TimeSpan.FromSeconds(5))
                Monitor.Wait(messages, TimeSpan.FromMilliseconds(100));
            return [.. messages];
        }
    }
}
