using System.Diagnostics;

namespace LatentTerrain.Controllers.Midi;

/// <summary>
/// An open MIDI input: each message that arrives goes, whole, to its <see cref="IRawMidiReceiver"/>
/// on the input's own thread ("midi &lt;port&gt;"), with nothing allocated per message.
/// Open several to play several devices at once.
/// </summary>
/// <remarks>
/// RtMidi's callback, on the MIDI API's thread (JACK's real-time process thread), is C
/// (controllers/native/midi_queue.c): it stamps the arrival time and copies the message into a
/// queue, never entering the .NET runtime, so a garbage collection or the runtime's first contact
/// with that thread cannot make it overrun JACK's period (RtMidi then delivers messages twice or
/// loses them). The input's thread, real-time scheduled where allowed, empties the queue.
/// </remarks>
public sealed unsafe class MidiInput : MidiConnection
{
    /// <summary>Bytes of queued messages: seconds of the densest playing, and a SysEx dump of tens of kilobytes.</summary>
    private const long QueueBytes = 64 * 1024;

    /// <summary>Only a bound on each sleep: every message and <see cref="Released"/> wake the thread.</summary>
    private const int WaitMicroseconds = 1_000_000;

    private readonly IRawMidiReceiver receiver;
    private readonly MidiSystemMessages passed;
    private readonly NativeMidiQueue.QueueHandle queue;
    private readonly byte[] message;
    private Thread? thread;
    private volatile bool stopping;
    private long arrivalTimestamp;
    private Exception? fault;

    private MidiInput(RtMidiInHandle device, NativeMidiQueue.QueueHandle queue, MidiApi api, string clientName, string localPortName,
        IRawMidiReceiver receiver, MidiSystemMessages passed)
        : base(device, api, clientName, localPortName)
    {
        this.receiver = receiver;
        this.passed = passed;
        this.queue = queue;
        message = new byte[NativeMidiQueue.terrain_midi_queue_max_message(queue)];
        try
        {
            Listen(device);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The first exception the receiver threw, if any (caught so that it cannot end the input's thread); later messages still reach it.</summary>
    public Exception? ReceiverFault => Volatile.Read(ref fault);

    /// <summary>
    /// When the message being delivered arrived, in <see cref="Stopwatch"/> ticks: taken in RtMidi's
    /// callback on the API's thread (CLOCK_MONOTONIC, Stopwatch's clock on Linux), so it counts the
    /// queue and the input thread's wake-up. Read it in <see cref="IRawMidiReceiver.Receive"/>.
    /// </summary>
    public long ArrivalTimestamp => Volatile.Read(ref arrivalTimestamp);

    /// <summary>Messages lost because the queue was full (a receiver far slower than its device).</summary>
    public long DroppedMessages => NativeMidiQueue.terrain_midi_queue_dropped(queue);

    /// <summary>Opens <paramref name="port"/> (an input port of a <see cref="MidiPortList"/>), looking it up again by name.</summary>
    /// <exception cref="MidiException">It is gone, or its API refused; the message names it.</exception>
    public static MidiInput Open(MidiPort port, IRawMidiReceiver receiver, MidiSystemMessages passed = MidiSystemMessages.SysEx,
        string clientName = DefaultClientName)
    {
        if (port.Direction != MidiDirection.Input) throw new ArgumentException($"{port} is an output port, not an input", nameof(port));
        var input = Create(port.Api, clientName, "in", receiver, passed);
        try
        {
            input.Connect(port);
            input.StartDelivering();
            return input;
        }
        catch
        {
            input.Dispose();
            throw;
        }
    }

    /// <summary>Opens a virtual input port called <paramref name="portName"/> that other programs send to (on JACK: "client:portName").</summary>
    /// <exception cref="MidiException">The API refused (on JACK: no server); the message says why.</exception>
    public static MidiInput OpenVirtual(string portName, IRawMidiReceiver receiver, MidiApi api = MidiApi.Jack,
        MidiSystemMessages passed = MidiSystemMessages.SysEx, string clientName = DefaultClientName)
    {
        var input = Create(api, clientName, portName, receiver, passed);
        try
        {
            input.OpenVirtual();
            input.StartDelivering();
            return input;
        }
        catch
        {
            input.Dispose();
            throw;
        }
    }

    private protected override RtMidiHandle NewDevice(MidiApi api, string clientName)
    {
        var (device, _) = RtMidi.CreateInput(api, clientName);
        try
        {
            Listen(device);
            return device;
        }
        catch
        {
            device.Dispose();
            throw;
        }
    }

    // Every message into the queue, through the C callback.
    private void Listen(RtMidiInHandle device) =>
        RtMidi.Call(device, $"listening to MIDI input '{Name}'", _ =>
        {
            RtMidi.rtmidi_in_set_callback(device, NativeMidiQueue.EnqueueCallback, (void*)queue.DangerousGetHandle());
            RtMidi.rtmidi_in_ignore_types(device, !passed.HasFlag(MidiSystemMessages.SysEx),
                !passed.HasFlag(MidiSystemMessages.Timing), !passed.HasFlag(MidiSystemMessages.ActiveSensing));
        });

    private static MidiInput Create(MidiApi api, string clientName, string localPortName, IRawMidiReceiver receiver, MidiSystemMessages passed)
    {
        NativeMidiQueue.EnsureLoaded();
        var queue = NativeMidiQueue.terrain_midi_queue_create(QueueBytes);
        if (queue.IsInvalid) throw new OutOfMemoryException($"no memory for the {QueueBytes}-byte queue of MIDI input '{localPortName}'");
        try
        {
            var (device, _) = RtMidi.CreateInput(api, clientName);
            return new MidiInput(device, queue, api, clientName, localPortName, receiver, passed);
        }
        catch
        {
            queue.Dispose();
            throw;
        }
    }

    private void StartDelivering()
    {
        thread = new Thread(Deliver) { IsBackground = true, Name = $"midi {Name}" };
        thread.Start();
    }

    // After RtMidi is freed: no callback writes to the queue any more.
    private protected override void Released()
    {
        stopping = true;
        if (!queue.IsClosed) NativeMidiQueue.terrain_midi_queue_wake(queue);
        // Disposed from its own receiver, the thread ends on its own after this message.
        if (thread != null && thread != Thread.CurrentThread) thread.Join();
        // Freed once the thread let go of it too.
        queue.Dispose();
    }

    private void Deliver()
    {
        MidiThreadScheduling.TryMakeRealtime();
        bool held = false;
        queue.DangerousAddRef(ref held);
        try
        {
            nint native = queue.DangerousGetHandle();
            fixed (byte* bytes = message)
            {
                while (!stopping)
                {
                    long length = NativeMidiQueue.terrain_midi_dequeue(native, bytes, message.Length, out long arrivalNanoseconds, out double deltaSeconds);
                    if (length == 0)
                    {
                        NativeMidiQueue.terrain_midi_queue_wait(native, WaitMicroseconds);
                        continue;
                    }
                    Volatile.Write(ref arrivalTimestamp, StopwatchTicks(arrivalNanoseconds));
                    try
                    {
                        receiver.Receive(new ReadOnlySpan<byte>(bytes, (int)length), deltaSeconds);
                    }
                    catch (Exception failure)
                    {
                        Interlocked.CompareExchange(ref fault, failure, null);
                    }
                }
            }
        }
        finally
        {
            if (held) queue.DangerousRelease();
        }
    }

    private static long StopwatchTicks(long nanoseconds) =>
        Stopwatch.Frequency == 1_000_000_000 ? nanoseconds : (long)(nanoseconds * (Stopwatch.Frequency / 1e9));
}
