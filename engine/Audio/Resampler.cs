using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace LatentTerrain.Engine.Audio;

/// <summary>How hard the resampler works. Both are linear phase, so nothing moves in time.</summary>
public enum ResampleQuality
{
    /// <summary>soxr's HQ: 20-bit precision, flat to 91% of the lower Nyquist frequency.</summary>
    High,
    /// <summary>soxr's VHQ: 28-bit precision, for material that will be processed further.</summary>
    VeryHigh,
}

/// <summary>
/// Sample-rate conversion with libsoxr (libsoxr.so.0, Debian package libsoxr0), on planar float
/// audio: <see cref="Resample"/> for a whole buffer, <see cref="StreamingResampler"/> for a stream.
/// </summary>
public static partial class Resampler
{
    /// <summary>
    /// <paramref name="audio"/> at <paramref name="targetRate"/>: exactly
    /// <see cref="OutputFrames"/> frames, time-aligned with the input (soxr removes its filter's
    /// delay), with everything above the lower of the two Nyquist frequencies filtered out.
    /// </summary>
    /// <exception cref="ResamplerException">libsoxr refused.</exception>
    public static unsafe AudioBuffer Resample(AudioBuffer audio, int targetRate, ResampleQuality quality = ResampleQuality.High)
    {
        ArgumentNullException.ThrowIfNull(audio);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetRate);
        if (targetRate == audio.SampleRate) return new AudioBuffer(targetRate, audio.Channels, (float[])audio.Samples.Clone());
        int frames = OutputFrames(audio.Frames, audio.SampleRate, targetRate);
        var output = new AudioBuffer(targetRate, audio.Channels, frames);
        if (frames == 0) return output;

        var io = Native.soxr_io_spec(Native.Float32Split, Native.Float32Split);
        var spec = Native.Quality(quality);
        float** ins = stackalloc float*[audio.Channels], outs = stackalloc float*[audio.Channels];
        nint error;
        fixed (float* source = audio.Samples, target = output.Samples)
        {
            for (int c = 0; c < audio.Channels; c++)
            {
                ins[c] = source + (long)c * audio.Frames;
                outs[c] = target + (long)c * frames;
            }
            // Where the exact length falls on half a sample, soxr stops one frame short; that last
            // frame, past the input's end, stays silent.
            error = Native.soxr_oneshot(audio.SampleRate, targetRate, (uint)audio.Channels,
                ins, (nuint)audio.Frames, null, outs, (nuint)frames, out _, &io, &spec, null);
        }
        Native.ThrowIfError(error, $"resampling {audio.Channels} channels from {audio.SampleRate} Hz to {targetRate} Hz");
        return output;
    }

    /// <summary>The length of <paramref name="frames"/> at another rate: frames * target / source, rounded to the nearest.</summary>
    public static int OutputFrames(int frames, int sourceRate, int targetRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frames);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sourceRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetRate);
        return checked((int)(((long)frames * targetRate * 2 + sourceRate) / (2L * sourceRate)));
    }

    /// <summary>libsoxr's C interface, as soxr.h of libsoxr 0.1.3 declares it.</summary>
    internal static unsafe partial class Native
    {
        private const string Library = "libsoxr.so.0";

        /// <summary>SOXR_FLOAT32_S: float samples, one buffer per channel (planar).</summary>
        public const int Float32Split = 4;
        private const uint RecipeHigh = 4, RecipeVeryHigh = 6;  // SOXR_HQ = SOXR_20_BITQ, SOXR_VHQ = SOXR_28_BITQ

        /// <summary>soxr_io_spec_t.</summary>
        [StructLayout(LayoutKind.Sequential)]
        public struct IoSpec
        {
            public int InputType;
            public int OutputType;
            public double Scale;
            public nint Reserved;
            public CULong Flags;
        }

        /// <summary>soxr_quality_spec_t.</summary>
        [StructLayout(LayoutKind.Sequential)]
        public struct QualitySpec
        {
            public double Precision;
            public double PhaseResponse;
            public double PassbandEnd;
            public double StopbandBegin;
            public nint Reserved;
            public CULong Flags;
        }

        /// <summary>A soxr_t.</summary>
        public sealed class ResamplerHandle : SafeHandleZeroOrMinusOneIsInvalid
        {
            public ResamplerHandle() : base(ownsHandle: true)
            {
            }

            protected override bool ReleaseHandle()
            {
                soxr_delete(handle);
                return true;
            }
        }

        public static QualitySpec Quality(ResampleQuality quality) => soxr_quality_spec(new CULong(quality switch
        {
            ResampleQuality.High => RecipeHigh,
            ResampleQuality.VeryHigh => RecipeVeryHigh,
            _ => throw new ArgumentOutOfRangeException(nameof(quality), quality, null),
        }), new CULong(0));

        /// <summary>soxr's errors are constant C strings (soxr_error_t); null means none.</summary>
        public static void ThrowIfError(nint error, string operation)
        {
            if (error != 0) throw new ResamplerException(operation, Marshal.PtrToStringUTF8(error) ?? "unknown error");
        }

        [LibraryImport(Library)]
        public static partial IoSpec soxr_io_spec(int inputType, int outputType);

        [LibraryImport(Library)]
        private static partial QualitySpec soxr_quality_spec(CULong recipe, CULong flags);

        [LibraryImport(Library)]
        public static partial nint soxr_oneshot(double inputRate, double outputRate, uint channels,
            float** input, nuint inputFrames, nuint* inputDone,
            float** output, nuint outputFrames, out nuint outputDone,
            IoSpec* io, QualitySpec* quality, void* runtime);

        [LibraryImport(Library)]
        public static partial ResamplerHandle soxr_create(double inputRate, double outputRate, uint channels,
            out nint error, IoSpec* io, QualitySpec* quality, void* runtime);

        /// <summary>
        /// With <paramref name="inputDone"/> null soxr takes all the input; output it has no room
        /// for waits inside for the next call. A null <paramref name="input"/> means end of input.
        /// </summary>
        [LibraryImport(Library)]
        public static partial nint soxr_process(ResamplerHandle resampler,
            float** input, nuint inputFrames, nuint* inputDone,
            float** output, nuint outputFrames, out nuint outputDone);

        [LibraryImport(Library)]
        public static partial double soxr_delay(ResamplerHandle resampler);

        [LibraryImport(Library)]
        public static partial nint soxr_clear(ResamplerHandle resampler);

        [LibraryImport(Library)]
        private static partial void soxr_delete(nint resampler);
    }
}

/// <summary>
/// Resamples a stream block by block, for real-time use: create it up front, then
/// <see cref="Process"/> allocates nothing. Its output, concatenated and followed by
/// <see cref="Drain"/>, is the one-shot <see cref="Resampler.Resample"/> of the whole input.
/// </summary>
/// <remarks>
/// The output starts late by the filter's delay (<see cref="Delay"/>), and comes in bursts:
/// soxr filters in blocks of its own size. Not thread-safe: one thread feeds one resampler.
/// </remarks>
public sealed unsafe class StreamingResampler : IDisposable
{
    private readonly Resampler.Native.ResamplerHandle handle;

    /// <exception cref="ResamplerException">libsoxr refused.</exception>
    public StreamingResampler(int sourceRate, int targetRate, int channels, ResampleQuality quality = ResampleQuality.High)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sourceRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        SourceRate = sourceRate;
        TargetRate = targetRate;
        Channels = channels;
        var io = Resampler.Native.soxr_io_spec(Resampler.Native.Float32Split, Resampler.Native.Float32Split);
        var spec = Resampler.Native.Quality(quality);
        handle = Resampler.Native.soxr_create(sourceRate, targetRate, (uint)channels, out nint error, &io, &spec, null);
        if (handle.IsInvalid)
        {
            handle.Dispose();
            Resampler.Native.ThrowIfError(error, Describe("creating a resampler"));
            throw new ResamplerException(Describe("creating a resampler"), "soxr_create returned nothing");
        }
    }

    public int SourceRate { get; }
    public int TargetRate { get; }
    public int Channels { get; }

    /// <summary>Output frames soxr holds back at this moment (input taken, output not yet given): the latency it adds.</summary>
    public double Delay => Resampler.Native.soxr_delay(handle);

    /// <summary>
    /// Takes all of <paramref name="input"/> (planar: channel after channel, each
    /// <c>input.Length / Channels</c> frames at the source rate) and writes what is ready into
    /// <paramref name="output"/> (planar, channel c starting at <c>c * output.Length / Channels</c>);
    /// returns the frames written per channel. Output that does not fit waits for the next call.
    /// </summary>
    public int Process(ReadOnlySpan<float> input, Span<float> output)
    {
        int inputFrames = FramesIn(input.Length, nameof(input));
        int outputFrames = FramesIn(output.Length, nameof(output));
        // The channel pointers live on the stack: nothing for the garbage collector per block.
        float** ins = stackalloc float*[Channels], outs = stackalloc float*[Channels];
        fixed (float* source = input, target = output)
        {
            for (int c = 0; c < Channels; c++)
            {
                ins[c] = source + (long)c * inputFrames;
                outs[c] = target + (long)c * outputFrames;
            }
            // ins is never null, so soxr never takes an empty block for the end of the input.
            nint error = Resampler.Native.soxr_process(handle, ins, (nuint)inputFrames, null, outs, (nuint)outputFrames, out nuint produced);
            // Tested here so that the message, a new string, is only made on failure.
            if (error != 0) Resampler.Native.ThrowIfError(error, Describe("resampling"));
            return (int)produced;
        }
    }

    /// <summary>
    /// Ends the input and writes what soxr still holds into <paramref name="output"/> (planar, as
    /// for <see cref="Process"/>); returns the frames written, 0 once all is out. Call until it
    /// returns 0, then <see cref="Reset"/> before feeding a new stream.
    /// </summary>
    public int Drain(Span<float> output)
    {
        int outputFrames = FramesIn(output.Length, nameof(output));
        float** outs = stackalloc float*[Channels];
        fixed (float* target = output)
        {
            for (int c = 0; c < Channels; c++) outs[c] = target + (long)c * outputFrames;
            nint error = Resampler.Native.soxr_process(handle, null, 0, null, outs, (nuint)outputFrames, out nuint produced);
            if (error != 0) Resampler.Native.ThrowIfError(error, Describe("draining"));
            return (int)produced;
        }
    }

    /// <summary>Forgets the stream, as if freshly created (same rates and quality).</summary>
    public void Reset() => Resampler.Native.ThrowIfError(Resampler.Native.soxr_clear(handle), Describe("resetting"));

    public void Dispose() => handle.Dispose();

    private int FramesIn(int samples, string name) => samples % Channels == 0
        ? samples / Channels
        : throw new ArgumentException($"{samples} samples do not split into {Channels} equal channels", name);

    private string Describe(string operation) => $"{operation} {Channels} channels from {SourceRate} Hz to {TargetRate} Hz";
}
