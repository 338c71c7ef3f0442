using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LatentTerrain.Controllers.Midi;

/// <summary>
/// Lists JACK's MIDI ports through a JACK client of our own (libjack.so.0) that is never activated,
/// so the server never has to wake it in its cycle (RtMidi's JACK client for listing was activated,
/// with a process callback, and loaded the audio graph), and that hears the server's end
/// (<see cref="ServerGone"/>), which RtMidi never tells.
/// </summary>
/// <remarks>
/// Not thread-safe: one thread lists. After the server went away the client is closed at the next
/// <see cref="List"/>, and a new one is opened at a later one only when the caller's
/// <c>mayOpen</c> allows: while a client of a dead server is still open anywhere in the process,
/// opening another makes libjack close and free every such client behind its owner's back
/// (MidiConnection, docs/architecture.md: Audio devices).
/// </remarks>
internal sealed unsafe partial class JackPorts : IDisposable
{
    private const string Library = "libjack.so.0";
    private const string ClientName = "terrain-ports";
    private const string MidiType = "8 bit raw midi";
    private const int NoStartServer = 0x01, ServerFailed = 0x10;
    private const ulong IsInput = 0x1, IsOutput = 0x2;

    private nint client;
    // Set by libjack's thread when the server shuts down or dies: native memory, so no object moves under it.
    private int* gone = (int*)NativeMemory.AllocZeroed(sizeof(int));
    private bool silenced;

    /// <summary>The server this client was connected to went away: true from libjack's word (any thread) until a new client is connected.</summary>
    public bool ServerGone => Volatile.Read(ref *gone) != 0;

    /// <summary>Whether it holds a client (a live one, or a dead one not yet closed); any thread.</summary>
    public bool HoldsClient => Volatile.Read(ref client) != 0;

    /// <summary>
    /// JACK's MIDI ports now: those we can receive from (others' outputs) and send to (others'
    /// inputs), full names in libjack's order (RtMidi's port numbers). Null, with the reason, when
    /// no server runs, the server went away, or <paramref name="mayOpen"/> forbids connecting now.
    /// </summary>
    public (List<string> Sources, List<string> Destinations)? List(Func<bool> mayOpen, out string? problem)
    {
        if (client != 0 && ServerGone)
        {
            // Not connected again in the same look: the caller first lets go of its other clients of that server.
            Close();
            problem = "the JACK server went away";
            return null;
        }
        if (client == 0)
        {
            if (!mayOpen())
            {
                problem = "the JACK server went away; waiting until every client of it is closed";
                return null;
            }
            if (!Open(out problem)) return null;
        }
        problem = null;
        return (Names(IsOutput), Names(IsInput));
    }

    public void Dispose()
    {
        Close();
        NativeMemory.Free(gone);
        gone = null;
    }

    private bool Open(out string? problem)
    {
        try
        {
            if (!silenced)
            {
                // libjack prints every failed connection; the caller says what failed in one line of its own.
                jack_set_error_function(&Ignore);
                jack_set_info_function(&Ignore);
                silenced = true;
            }
            int status = 0;
            byte* name = stackalloc byte[ClientName.Length + 1];
            System.Text.Encoding.UTF8.GetBytes(ClientName, new Span<byte>(name, ClientName.Length));
            name[ClientName.Length] = 0;
            nint opened = jack_client_open(name, NoStartServer, &status);
            if (opened == 0)
            {
                problem = (status & ServerFailed) != 0 ? "JACK server not running" : $"the JACK server refused a client (status 0x{status:x})";
                return false;
            }
            Volatile.Write(ref *gone, 0);
            jack_on_info_shutdown(opened, &OnShutdown, gone);
            Volatile.Write(ref client, opened);
            problem = null;
            return true;
        }
        catch (DllNotFoundException)
        {
            problem = "JACK is not installed (libjack.so.0)";
            return false;
        }
    }

    private void Close()
    {
        if (client != 0) jack_client_close(client);
        Volatile.Write(ref client, 0);
    }

    private List<string> Names(ulong flags)
    {
        var names = new List<string>();
        byte** ports = jack_get_ports(client, null, MidiType, flags);
        if (ports == null) return names;
        for (int i = 0; ports[i] != null; i++) names.Add(Marshal.PtrToStringUTF8((nint)ports[i]) ?? "");
        jack_free(ports);
        return names;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnShutdown(int code, byte* reason, void* flag) => Volatile.Write(ref *(int*)flag, 1);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void Ignore(byte* message)
    {
    }

    /// <summary>
    /// Variadic in C (more arguments follow only with JackServerName, which is not passed): on
    /// x86-64 a variadic callee only tests AL for zero to decide whether to save vector registers,
    /// so a plain call is safe; on AArch64 Linux variadic and fixed arguments travel alike.
    /// </summary>
    [LibraryImport(Library)]
    private static partial nint jack_client_open(byte* name, int options, int* status);

    [LibraryImport(Library)]
    private static partial int jack_client_close(nint client);

    [LibraryImport(Library)]
    private static partial void jack_on_info_shutdown(nint client, delegate* unmanaged[Cdecl]<int, byte*, void*, void> callback, void* argument);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    private static partial byte** jack_get_ports(nint client, string? namePattern, string typePattern, ulong flags);

    [LibraryImport(Library)]
    private static partial void jack_free(void* pointer);

    [LibraryImport(Library)]
    private static partial void jack_set_error_function(delegate* unmanaged[Cdecl]<byte*, void> function);

    [LibraryImport(Library)]
    private static partial void jack_set_info_function(delegate* unmanaged[Cdecl]<byte*, void> function);
}
