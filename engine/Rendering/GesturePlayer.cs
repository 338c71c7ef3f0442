using System.Diagnostics;
using LatentTerrain.Engine.Synthesis;

namespace LatentTerrain.Engine.Rendering;

/// <summary>
/// Plays a gesture in real time: a thread writes each event to the cursor board at its time after
/// <see cref="Start"/>, sleeping until shortly before it and spinning the last stretch, so events
/// are not late by a sleep's granularity (about a millisecond).
/// </summary>
public sealed class GesturePlayer(Gesture gesture, CursorBoard board) : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Thread? _running;

    public void Start()
    {
        var clock = Stopwatch.StartNew();
        _running = new Thread(() =>
        {
            for (int i = 0; i < gesture.Events.Count && !_stop.IsCancellationRequested; i++)
            {
                var due = TimeSpan.FromSeconds(gesture.Events[i].Time);
                while (due - clock.Elapsed > TimeSpan.FromMilliseconds(2)) _stop.Token.WaitHandle.WaitOne(due - clock.Elapsed - TimeSpan.FromMilliseconds(1.5));
                while (clock.Elapsed < due) Thread.SpinWait(20);
                gesture.Apply(i, board);
            }
        }) { IsBackground = true, Name = "gesture player", Priority = ThreadPriority.AboveNormal };
        _running.Start();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _running?.Join();
        _stop.Dispose();
    }
}
