using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace LatentTerrain.Controllers.Midi;

/// <summary>
/// The binding of <c>libterrain_midi.so</c>, our own C library (controllers/native/midi_queue.c,
/// built with the controllers): the queue between RtMidi's callback and an input's thread, and the
/// RtMidi callback that fills it without ever entering the .NET runtime.
/// </summary>
/// <remarks>
/// The calls that never block are marked <see cref="SuppressGCTransitionAttribute"/>: they are a
/// few dozen instructions, run once per message on the input's thread.
/// </remarks>
internal static unsafe partial class NativeMidiQueue
{
    private const string Library = "terrain_midi";

    /// <summary>Whether the library could be loaded, with the reason when not (a build without a C compiler).</summary>
    public static void EnsureLoaded()
    {
        if (!NativeLibrary.TryLoad(Library, typeof(NativeMidiQueue).Assembly, null, out _))
        {
            throw new DllNotFoundException(
                $"libterrain_midi.so is not next to {typeof(NativeMidiQueue).Assembly.Location}: it is built from controllers/native/midi_queue.c by the controllers' build, which needs a C compiler (cc); run scripts/setup");
        }
    }

    [LibraryImport(Library)]
    public static partial QueueHandle terrain_midi_queue_create(long capacity);

    [LibraryImport(Library)]
    public static partial void terrain_midi_queue_destroy(nint queue);

    [LibraryImport(Library), SuppressGCTransition]
    public static partial long terrain_midi_queue_max_message(QueueHandle queue);

    [LibraryImport(Library), SuppressGCTransition]
    public static partial long terrain_midi_queue_dropped(QueueHandle queue);

    [LibraryImport(Library), SuppressGCTransition]
    public static partial void terrain_midi_queue_wake(QueueHandle queue);

    [LibraryImport(Library), SuppressGCTransition]
    public static partial long terrain_midi_dequeue(nint queue, byte* buffer, long bufferSize, out long arrivalNanoseconds, out double deltaSeconds);

    /// <summary>Blocks: no <see cref="SuppressGCTransitionAttribute"/>, so a collection never waits for a sleeping reader.</summary>
    [LibraryImport(Library)]
    public static partial int terrain_midi_queue_wait(nint queue, int timeoutMicroseconds);

    /// <summary>RtMidi's input callback: the message to the queue (its user data), stamped with its arrival.</summary>
    public static delegate* unmanaged[Cdecl]<double, byte*, nuint, void*, void> EnqueueCallback
    {
        get
        {
            EnsureLoaded();
            nint library = NativeLibrary.Load(Library, typeof(NativeMidiQueue).Assembly, null);
            return (delegate* unmanaged[Cdecl]<double, byte*, nuint, void*, void>)NativeLibrary.GetExport(library, "terrain_midi_enqueue");
        }
    }

    internal sealed class QueueHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
    {
        protected override bool ReleaseHandle()
        {
            terrain_midi_queue_destroy(handle);
            return true;
        }
    }
}
