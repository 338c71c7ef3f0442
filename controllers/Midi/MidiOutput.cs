namespace LatentTerrain.Controllers.Midi;

/// <summary>An open MIDI output: messages sent to a device (pad lights, programmer mode) or out of a virtual port.</summary>
public sealed unsafe class MidiOutput : MidiConnection
{
    /// <summary>
    /// The longest message RtMidi's JACK output takes: it queues messages in a 16 KiB ring with a
    /// 4-byte length each, and silently drops what does not fit, so longer ones are refused here.
    /// </summary>
    public const int LargestJackMessage = 16383 - sizeof(int);

    private MidiOutput(RtMidiOutHandle device, MidiApi api, string clientName, string localPortName) : base(device, api, clientName, localPortName)
    {
    }

    /// <summary>Opens <paramref name="port"/> (an output port of a <see cref="MidiPortList"/>), looking it up again by name.</summary>
    /// <exception cref="MidiException">It is gone, or its API refused; the message names it.</exception>
    public static MidiOutput Open(MidiPort port, string clientName = DefaultClientName)
    {
        if (port.Direction != MidiDirection.Output) throw new ArgumentException($"{port} is an input port, not an output", nameof(port));
        var output = Create(port.Api, clientName, "out");
        try
        {
            output.Connect(port);
            return output;
        }
        catch
        {
            output.Dispose();
            throw;
        }
    }

    /// <summary>Opens a virtual output port called <paramref name="portName"/> that other programs receive from (on JACK: "client:portName").</summary>
    /// <exception cref="MidiException">The API refused (on JACK: no server); the message says why.</exception>
    public static MidiOutput OpenVirtual(string portName, MidiApi api = MidiApi.Jack, string clientName = DefaultClientName)
    {
        var output = Create(api, clientName, portName);
        try
        {
            output.OpenVirtual();
            return output;
        }
        catch
        {
            output.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Sends one whole message (a SysEx message whole, F0 to F7). On JACK it leaves in the
    /// server's next process cycle; sent while the port is gone, it is lost.
    /// </summary>
    /// <exception cref="ArgumentException">The message is empty.</exception>
    /// <exception cref="MidiException">It is too long for the API, or RtMidi failed to send it.</exception>
    public void Send(ReadOnlySpan<byte> message)
    {
        if (message.IsEmpty) throw new ArgumentException("a MIDI message has at least one byte", nameof(message));
        if (Api == MidiApi.Jack && message.Length > LargestJackMessage)
            throw new MidiException($"a {message.Length}-byte message is too long for {this}: RtMidi's JACK output takes at most {LargestJackMessage} bytes");
        int result;
        // Not while the port watcher closes and reopens the port on its thread.
        lock (Gate)
        {
            if (IsDisposed) throw new ObjectDisposedException(ToString());
            if (Device == null) return;   // its JACK server is gone: lost, as while its port is gone
            fixed (byte* bytes = message) result = RtMidi.rtmidi_out_send_message((RtMidiOutHandle)Device, bytes, message.Length);
        }
        // RtMidi printed its reason on standard error; reading it would cost every message a capture.
        if (result != 0) throw new MidiException($"RtMidi could not send {message.Length} bytes to {this}; it printed why on standard error");
    }

    private static MidiOutput Create(MidiApi api, string clientName, string localPortName)
    {
        var (device, _) = RtMidi.CreateOutput(api, clientName);
        return new MidiOutput(device, api, clientName, localPortName);
    }

    private protected override RtMidiHandle NewDevice(MidiApi api, string clientName) => RtMidi.CreateOutput(api, clientName).Device;
}
