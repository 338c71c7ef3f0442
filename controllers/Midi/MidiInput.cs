using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LatentTerrain.Controllers.Midi;

/// <summary>
/// An open MIDI input: each message that arrives goes, whole, to its <see cref="IRawMidiReceiver"/>
/// on the MIDI API's thread (JACK's process thread), with nothing allocated per message.
/// Open several to play several devices at once.
/// </summary>
public sealed unsafe class MidiInput : MidiConnection
{
    private readonly IRawMidiReceiver receiver;
    private GCHandle self;
    private Exception? fault;

    private MidiInput(RtMidiInHandle device, MidiApi api, string localPortName, IRawMidiReceiver receiver, MidiSystemMessages passed)
        : base(device, api, localPortName)
    {
        this.receiver = receiver;
        self = GCHandle.Alloc(this);
        try
        {
            RtMidi.Call(device, $"listening to MIDI input '{localPortName}'", _ =>
            {
                RtMidi.rtmidi_in_set_callback(device, &OnMessage, (void*)GCHandle.ToIntPtr(self));
                RtMidi.rtmidi_in_ignore_types(device, !passed.HasFlag(MidiSystemMessages.SysEx),
                    !passed.HasFlag(MidiSystemMessages.Timing), !passed.HasFlag(MidiSystemMessages.ActiveSensing));
            });
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The first exception the receiver threw, if any (caught so that it cannot end the process from the MIDI thread); later messages still reach it.</summary>
    public Exception? ReceiverFault => Volatile.Read(ref fault);

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
            return input;
        }
        catch
        {
            input.Dispose();
            throw;
        }
    }

    private static MidiInput Create(MidiApi api, string clientName, string localPortName, IRawMidiReceiver receiver, MidiSystemMessages passed)
    {
        var (device, _) = RtMidi.CreateInput(api, clientName);
        return new MidiInput(device, api, localPortName, receiver, passed);
    }

    private protected override void Released()
    {
        if (self.IsAllocated) self.Free();
    }

    // RtMidi's callback, on the API's thread: the message is RtMidi's own buffer, reused.
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnMessage(double deltaSeconds, byte* message, nuint size, void* user)
    {
        var input = (MidiInput)GCHandle.FromIntPtr((nint)user).Target!;
        try
        {
            input.receiver.Receive(new ReadOnlySpan<byte>(message, (int)size), deltaSeconds);
        }
        catch (Exception failure)
        {
            Interlocked.CompareExchange(ref input.fault, failure, null);
        }
    }
}
