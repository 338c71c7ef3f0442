using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace LatentTerrain.Controllers.Midi;

/// <summary>
/// RtMidi's C interface (librtmidi.so.6, RtMidi 5.0, Debian package librtmidi6), as rtmidi_c.h
/// declares it, with the one rule its errors need: every call that can fail goes through
/// <see cref="Call"/>.
/// </summary>
/// <remarks>
/// Failure is told by the wrapper's <c>ok</c> flag, which RtMidi sets to false and never back
/// to true, so <see cref="Call"/> raises it before each call. The message RtMidi means to give
/// with it is unreadable (see <see cref="NativeStandardError"/>); what it printed is read instead.
/// Each RtMidi input or output is a client of its own (on JACK: a JACK client, activated at
/// creation, with one port once opened).
/// </remarks>
internal static unsafe partial class RtMidi
{
    private const string Library = "librtmidi.so.6";

    /// <summary>RtMidiWrapper, what every RtMidiInPtr and RtMidiOutPtr points to.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Wrapper
    {
        public void* Instance;
        public void* CallbackData;
        /// <summary>C's bool: 1 while no call failed.</summary>
        public byte Ok;
        /// <summary>Dangles after a failure (see <see cref="NativeStandardError"/>): never read.</summary>
        public byte* Message;
    }

    /// <summary>
    /// Runs <paramref name="call"/> on <paramref name="device"/> and returns what RtMidi printed
    /// meanwhile (its warnings, for example "JACK server not running?").
    /// </summary>
    /// <exception cref="MidiException">The call failed: "<paramref name="operation"/>: RtMidi's reason".</exception>
    public static string Call(RtMidiHandle device, string operation, Action<RtMidiHandle> call)
    {
        device.Ok = true;
        string printed = NativeStandardError.Capture(() => call(device));
        return device.Ok ? printed : throw new MidiException($"{operation}: {Reason(printed)}");
    }

    /// <summary>A new RtMidi input on <paramref name="api"/>, and what RtMidi printed making it.</summary>
    /// <exception cref="MidiException">RtMidi cannot use <paramref name="api"/> here (for example ALSA without /dev/snd/seq).</exception>
    public static (RtMidiInHandle Device, string Printed) CreateInput(MidiApi api, string clientName) =>
        Created(api, () => rtmidi_in_create(api, clientName, QueueSize));

    /// <summary>A new RtMidi output on <paramref name="api"/>, and what RtMidi printed making it.</summary>
    /// <exception cref="MidiException">RtMidi cannot use <paramref name="api"/> here.</exception>
    public static (RtMidiOutHandle Device, string Printed) CreateOutput(MidiApi api, string clientName) =>
        Created(api, () => rtmidi_out_create(api, clientName));

    private static (T Device, string Printed) Created<T>(MidiApi api, Func<T> create) where T : RtMidiHandle
    {
        T? device = null;
        string printed = NativeStandardError.Capture(() => device = create());
        if (device!.Ok) return (device, printed);
        device.Dispose();
        throw new MidiException($"{api.DisplayName()} MIDI is unavailable: {Reason(printed)}");
    }

    /// <summary>The names of the ports <paramref name="device"/> could open now, in RtMidi's order (its port numbers).</summary>
    public static List<string> PortNames(RtMidiHandle device, string operation, out string printed)
    {
        var names = new List<string>();
        printed = Call(device, operation, handle =>
        {
            uint count = rtmidi_get_port_count(handle);
            if (!handle.Ok) return;
            for (uint index = 0; index < count; index++)
            {
                int length = 0;
                if (rtmidi_get_port_name(handle, index, null, &length) != 0 || length <= 0) return;
                var name = new byte[length];
                fixed (byte* text = name)
                {
                    if (rtmidi_get_port_name(handle, index, text, &length) < 0) return;
                    names.Add(Marshal.PtrToStringUTF8((nint)text) ?? "");
                }
            }
        });
        return names;
    }

    /// <summary>The compiled MIDI APIs, in the order RtMidi tries them.</summary>
    public static MidiApi[] CompiledApis()
    {
        int count = rtmidi_get_compiled_api(null, 0);
        var apis = new MidiApi[Math.Max(count, 0)];
        fixed (MidiApi* first = apis) count = rtmidi_get_compiled_api(first, (uint)apis.Length);
        return apis[..Math.Max(count, 0)];
    }

    // RtMidi prints each message between blank lines; libjack and ALSA add lines of their own
    // before it (for example "open /dev/snd/seq failed: No such file or directory").
    private static string Reason(string printed)
    {
        var lines = printed.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "RtMidi gave no reason" : string.Join("; ", lines.Distinct());
    }

    /// <summary>Messages the input holds when no callback takes them (RtMidi's default); unused, since a callback always does.</summary>
    private const uint QueueSize = 100;

    [LibraryImport(Library)]
    public static partial int rtmidi_get_compiled_api(MidiApi* apis, uint size);

    [LibraryImport(Library)]
    public static partial void rtmidi_open_port(RtMidiHandle device, uint portNumber, [MarshalAs(UnmanagedType.LPUTF8Str)] string portName);

    [LibraryImport(Library)]
    public static partial void rtmidi_open_virtual_port(RtMidiHandle device, [MarshalAs(UnmanagedType.LPUTF8Str)] string portName);

    [LibraryImport(Library)]
    public static partial void rtmidi_close_port(RtMidiHandle device);

    /// <summary>rtmidi_close_port for a handle being released, which the SafeHandle marshalling would refuse.</summary>
    [LibraryImport(Library, EntryPoint = "rtmidi_close_port")]
    public static partial void rtmidi_close_port_released(nint device);

    [LibraryImport(Library)]
    public static partial uint rtmidi_get_port_count(RtMidiHandle device);

    /// <summary>With <paramref name="name"/> null, writes the length the name needs (with its NUL) to <paramref name="length"/>.</summary>
    [LibraryImport(Library)]
    public static partial int rtmidi_get_port_name(RtMidiHandle device, uint portNumber, byte* name, int* length);

    [LibraryImport(Library)]
    private static partial RtMidiInHandle rtmidi_in_create(MidiApi api, [MarshalAs(UnmanagedType.LPUTF8Str)] string clientName, uint queueSizeLimit);

    [LibraryImport(Library)]
    public static partial void rtmidi_in_free(nint device);

    [LibraryImport(Library)]
    public static partial void rtmidi_in_set_callback(RtMidiInHandle device,
        delegate* unmanaged[Cdecl]<double, byte*, nuint, void*, void> callback, void* userData);

    [LibraryImport(Library)]
    public static partial void rtmidi_in_ignore_types(RtMidiInHandle device, [MarshalAs(UnmanagedType.U1)] bool sysEx,
        [MarshalAs(UnmanagedType.U1)] bool timing, [MarshalAs(UnmanagedType.U1)] bool activeSensing);

    [LibraryImport(Library)]
    private static partial RtMidiOutHandle rtmidi_out_create(MidiApi api, [MarshalAs(UnmanagedType.LPUTF8Str)] string clientName);

    [LibraryImport(Library)]
    public static partial void rtmidi_out_free(nint device);

    /// <summary>0 when sent (or queued for JACK's next cycle), -1 on failure.</summary>
    [LibraryImport(Library)]
    public static partial int rtmidi_out_send_message(RtMidiOutHandle device, byte* message, int length);
}

/// <summary>An RtMidiPtr: the wrapper of one RtMidi input or output.</summary>
internal abstract unsafe class RtMidiHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    /// <summary>The wrapper's ok flag: false once a call failed (RtMidi never sets it back).</summary>
    public bool Ok
    {
        get => ((RtMidi.Wrapper*)handle)->Ok != 0;
        set => ((RtMidi.Wrapper*)handle)->Ok = value ? (byte)1 : (byte)0;
    }

    /// <summary>Whether RtMidi made its input or output (a wrapper without one tells a failed creation).</summary>
    public bool HasInstance => ((RtMidi.Wrapper*)handle)->Instance != null;
}

/// <summary>An RtMidiInPtr, freed with rtmidi_in_free.</summary>
internal sealed class RtMidiInHandle : RtMidiHandle
{
    protected override bool ReleaseHandle()
    {
        // rtmidi_in_free deletes the callback's data before the input (rtmidi_c.cpp), so the
        // port is closed first: no callback can start once the input has no port. The callback is
        // not cancelled: RtMidi's JACK thread reads "using a callback" and the callback without a
        // lock, and could call a null one. The callback's own data, the queue, is freed after this.
        if (HasInstance) RtMidi.rtmidi_close_port_released(handle);
        RtMidi.rtmidi_in_free(handle);
        return true;
    }
}

/// <summary>An RtMidiOutPtr, freed with rtmidi_out_free.</summary>
internal sealed class RtMidiOutHandle : RtMidiHandle
{
    protected override bool ReleaseHandle()
    {
        RtMidi.rtmidi_out_free(handle);
        return true;
    }
}
