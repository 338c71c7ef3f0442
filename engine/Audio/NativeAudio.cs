using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace LatentTerrain.Engine.Audio;

/// <summary>
/// The binding of <c>libterrain_audio.so</c>, our own C library (engine/native/audio_ring.c, built
/// with the engine): the ring between the synth thread and the device (and between an input device
/// and the thread that drains it), and PortAudio callbacks that read or fill it without ever
/// entering the .NET runtime.
/// </summary>
/// <remarks>
/// The calls that never block are marked <see cref="SuppressGCTransitionAttribute"/>: they are a
/// few dozen instructions, and skipping the transition keeps the synth thread's per-block cost
/// and its exposure to a pending garbage collection down.
/// </remarks>
internal static unsafe partial class NativeAudio
{
    private const string Library = "terrain_audio";

    /// <summary>Whether the library could be loaded, with the reason when not (a build without a C compiler).</summary>
    public static void EnsureLoaded()
    {
        if (!NativeLibrary.TryLoad(Library, typeof(NativeAudio).Assembly, null, out _))
        {
            throw new DllNotFoundException(
                $"libterrain_audio.so is not next to {typeof(NativeAudio).Assembly.Location}: it is built from engine/native/audio_ring.c by the engine's build, which needs a C compiler (cc); run scripts/setup");
        }
    }

    [LibraryImport(Library)]
    public static partial RingHandle terrain_ring_create(long capacity, int channels);

    [LibraryImport(Library)]
    public static partial void terrain_ring_destroy(nint ring);

    [LibraryImport(Library), SuppressGCTransition]
    public static partial long terrain_ring_count(nint ring);

    [LibraryImport(Library), SuppressGCTransition]
    public static partial long terrain_ring_write(nint ring, float* interleaved, long frames);

    [LibraryImport(Library), SuppressGCTransition]
    public static partial long terrain_ring_read(nint ring, float* interleaved, long frames);

    /// <summary>Blocks: no <see cref="SuppressGCTransitionAttribute"/>, so a collection never waits for a sleeping writer.</summary>
    [LibraryImport(Library)]
    public static partial int terrain_ring_wait(nint ring, int timeoutMicroseconds);

    [LibraryImport(Library), SuppressGCTransition]
    public static partial long terrain_ring_underruns(nint ring);

    [LibraryImport(Library), SuppressGCTransition]
    public static partial long terrain_ring_early_underruns(nint ring);

    [LibraryImport(Library), SuppressGCTransition]
    public static partial void terrain_ring_set_sample_rate(nint ring, int rate);

    [LibraryImport(Library), SuppressGCTransition]
    public static partial long terrain_ring_underflow_flags(nint ring);

    [LibraryImport(Library), SuppressGCTransition]
    public static partial long terrain_ring_frames_played(nint ring);

    [LibraryImport(Library), SuppressGCTransition]
    public static partial int terrain_ring_finished(nint ring);

    [LibraryImport(Library), SuppressGCTransition]
    public static partial long terrain_ring_overruns(nint ring);

    [LibraryImport(Library), SuppressGCTransition]
    public static partial int terrain_ring_clock(nint ring, out long frame, out double dacTime, out long monotonicNanoseconds);

    /// <summary>Blocks, like <see cref="terrain_ring_wait"/>.</summary>
    [LibraryImport(Library)]
    public static partial void terrain_sleep_until(long monotonicNanoseconds);

    [LibraryImport(Library), SuppressGCTransition]
    public static partial void terrain_ring_set_stopping(nint ring, int stopping);

    /// <summary>
    /// What every device does with a block (PortAudio's and JACK's callbacks call it, and a test's
    /// simulated device): where the block's first ring frame is heard, the ring's next frames out
    /// and silence for what it lacks, counted as an underrun, and the writer woken.
    /// </summary>
    [LibraryImport(Library), SuppressGCTransition]
    public static partial void terrain_ring_pull(nint ring, float* interleaved, long frames, long monotonicNanoseconds, double heardAt, int gap);

    [LibraryImport(Library), SuppressGCTransition]
    public static partial void terrain_ring_count_gap(nint ring);

    /// <summary>
    /// What every input device does with a block it recorded (PortAudio's and JACK's callbacks call
    /// it, and a test's simulated device): the frames into the ring, an overrun counted when they do
    /// not all fit.
    /// </summary>
    [LibraryImport(Library), SuppressGCTransition]
    public static partial void terrain_ring_push(nint ring, float* interleaved, long frames, int gap);

    // The JACK client (engine/native/jack_output.c). Opening, starting, stopping and closing talk to
    // the server and may wait for it; the rest read fields.
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint terrain_jack_open(string clientName, nint ring, byte* error, int errorSize);

    [LibraryImport(Library)]
    public static partial int terrain_jack_capture(nint output, nint capture, byte* error, int errorSize);

    [LibraryImport(Library)]
    public static partial int terrain_jack_start(nint output, byte* error, int errorSize);

    [LibraryImport(Library)]
    public static partial void terrain_jack_stop(nint output);

    [LibraryImport(Library)]
    public static partial void terrain_jack_close(nint output);

    [LibraryImport(Library), SuppressGCTransition]
    public static partial int terrain_jack_gone(nint output);

    [LibraryImport(Library), SuppressGCTransition]
    public static partial double terrain_jack_time();

    [LibraryImport(Library)]
    public static partial double terrain_jack_latency(nint output);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int terrain_jack_probe(string clientName, out int sampleRate, out int playbackPorts, out int capturePorts, out int period);

    /// <summary>Points JACK_DEFAULT_SERVER at no server (1) or back (0), around Pa_Initialize: PortAudio must not hold a JACK client.</summary>
    [LibraryImport(Library)]
    public static partial void terrain_jack_hide(int hide);

    /// <summary>PortAudio's stream callback: the ring (its user data) to the device, silence for what it lacks.</summary>
    public static delegate* unmanaged[Cdecl]<void*, void*, nuint, PortAudio.StreamCallbackTimeInfo*, nuint, void*, int> PlayCallback
        => (delegate* unmanaged[Cdecl]<void*, void*, nuint, PortAudio.StreamCallbackTimeInfo*, nuint, void*, int>)Export("terrain_ring_play");

    /// <summary>PortAudio's input stream callback: what the device recorded into the ring (its user data).</summary>
    public static delegate* unmanaged[Cdecl]<void*, void*, nuint, PortAudio.StreamCallbackTimeInfo*, nuint, void*, int> CaptureCallback
        => (delegate* unmanaged[Cdecl]<void*, void*, nuint, PortAudio.StreamCallbackTimeInfo*, nuint, void*, int>)Export("terrain_ring_capture");

    /// <summary>PortAudio's stream-finished callback: marks a loss unless the stream was being stopped.</summary>
    public static delegate* unmanaged[Cdecl]<void*, void> FinishedCallback
        => (delegate* unmanaged[Cdecl]<void*, void>)Export("terrain_ring_finished_callback");

    private static nint Export(string name)
    {
        EnsureLoaded();
        return NativeLibrary.GetExport(NativeLibrary.Load(Library, typeof(NativeAudio).Assembly, null), name);
    }

    internal sealed class RingHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
    {
        protected override bool ReleaseHandle()
        {
            terrain_ring_destroy(handle);
            return true;
        }
    }
}
