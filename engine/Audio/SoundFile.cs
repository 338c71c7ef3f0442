using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace LatentTerrain.Engine.Audio;

/// <summary>
/// One sound file open through libsndfile (libsndfile.so.1, Debian package libsndfile1): read
/// or written as float frames, interleaved the way libsndfile moves them, or planar with the
/// helpers. <see cref="AudioFile"/> is the easy way in; this class is for reading or writing a
/// file a block at a time.
/// </summary>
/// <remarks>
/// libsndfile works on a file descriptor that .NET opened (sf_open_fd), so opening errors are
/// .NET's clear ones, and a file being written can be the temporary file of an
/// <see cref="Files.AtomicFile"/>. Not thread-safe: one thread uses one file.
/// </remarks>
public sealed partial class SoundFile : IDisposable
{
    // Frames per native call when converting between planar and interleaved.
    private const int BlockFrames = 4096;

    private readonly Native.SoundFileHandle handle;
    private float[]? interleaved;

    private SoundFile(Native.SoundFileHandle handle, string path, in Native.Info info)
    {
        this.handle = handle;
        Path = path;
        SampleRate = info.SampleRate;
        Channels = info.Channels;
        Frames = info.Frames;
        Format = Native.Describe(info.Format);
    }

    /// <summary>The file as the caller named it; every error message starts with it.</summary>
    public string Path { get; }
    public int SampleRate { get; }
    public int Channels { get; }
    /// <summary>
    /// Reading: the frames the file declares (libsndfile's count; <see cref="long.MaxValue"/> when
    /// it cannot know). Writing: the frames written so far.
    /// </summary>
    public long Frames { get; private set; }
    /// <summary>libsndfile's names for the container and the encoding: "WAV (Microsoft), 32 bit float".</summary>
    public string Format { get; }

    /// <summary>Opens a file in any format libsndfile reads (WAV, FLAC, AIFF, Ogg Vorbis, Opus, MP3, ...).</summary>
    /// <exception cref="AudioFileException">The file is missing, unreadable, or not sound libsndfile knows.</exception>
    public static SoundFile OpenRead(string path)
    {
        using SafeFileHandle file = OpenForReading(path);
        // libsndfile would call an empty file an unknown format.
        if (RandomAccess.GetLength(file) == 0) throw new AudioFileException(path, "the file is empty (0 bytes)");
        var info = default(Native.Info);
        var handle = Native.Open(file, Native.ModeRead, ref info)
            ?? throw new AudioFileException(path, $"not a sound file libsndfile can read ({Native.LastOpenError()})");
        return new SoundFile(handle, path, info);
    }

    /// <summary>
    /// Starts writing a sound file on <paramref name="file"/>, an empty file open for writing that
    /// the caller closes after disposing this (the <see cref="Files.AtomicFile"/> stream's handle).
    /// <paramref name="path"/> names it in messages.
    /// </summary>
    /// <exception cref="AudioFileException">libsndfile cannot write this format with these channels and rate.</exception>
    public static SoundFile Create(SafeFileHandle file, string path, AudioFileFormat format, int sampleRate, int channels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        var info = new Native.Info { SampleRate = sampleRate, Channels = channels, Format = Native.FormatCode(format) };
        var handle = Native.Open(file, Native.ModeWrite, ref info)
            ?? throw new AudioFileException(path,
                $"libsndfile cannot write {format.Name()} with {channels} channels at {sampleRate} Hz ({Native.LastOpenError()})");
        // A float WAV's PEAK chunk carries the time of writing, so the same render would never give
        // the same bytes twice. libsndfile ignores this for formats without a PEAK chunk.
        Native.sf_command(handle, Native.CommandSetAddPeakChunk, 0, Native.False);
        // Samples beyond [-1, 1] clip in integer formats rather than wrap around into loud clicks.
        Native.sf_command(handle, Native.CommandSetClipping, 0, Native.True);
        return new SoundFile(handle, path, info with { Frames = 0 });
    }

    /// <summary>
    /// Reads up to <c>interleaved.Length / Channels</c> frames (sample after sample of each frame);
    /// returns how many it read, 0 at the end.
    /// </summary>
    public unsafe int ReadFrames(Span<float> interleaved)
    {
        long frames = interleaved.Length / Channels;
        fixed (float* samples = interleaved)
        {
            long read = Native.sf_readf_float(handle, samples, frames);
            if (read == 0 && Native.sf_error(handle) != 0)
                throw new AudioFileException(Path, $"cannot be read to the end ({Native.ErrorOf(handle)})");
            return (int)read;
        }
    }

    /// <summary>Writes whole frames, interleaved (sample after sample of each frame).</summary>
    public unsafe void WriteFrames(ReadOnlySpan<float> interleaved)
    {
        if (interleaved.Length % Channels != 0)
            throw new ArgumentException($"{interleaved.Length} samples are not whole frames of {Channels} channels", nameof(interleaved));
        long frames = interleaved.Length / Channels;
        fixed (float* samples = interleaved)
        {
            long written = Native.sf_writef_float(handle, samples, frames);
            Frames += written;
            if (written != frames)
                throw new AudioFileException(Path, $"cannot be written ({Native.ErrorOf(handle)})");
        }
    }

    /// <summary>Writes planar samples: channel after channel, each <c>planar.Length / Channels</c> frames long.</summary>
    public void WritePlanar(ReadOnlySpan<float> planar)
    {
        if (planar.Length % Channels != 0)
            throw new ArgumentException($"{planar.Length} samples do not split into {Channels} equal channels", nameof(planar));
        int frames = planar.Length / Channels;
        float[] block = interleaved ??= new float[BlockFrames * Channels];
        for (int start = 0; start < frames; start += BlockFrames)
        {
            int count = Math.Min(BlockFrames, frames - start);
            for (int c = 0; c < Channels; c++)
            {
                ReadOnlySpan<float> channel = planar.Slice(c * frames + start, count);
                for (int i = 0; i < count; i++) block[i * Channels + c] = channel[i];
            }
            WriteFrames(block.AsSpan(0, count * Channels));
        }
    }

    /// <summary>Reads everything from here to the end into a planar buffer.</summary>
    /// <exception cref="AudioFileException">The file breaks off unreadably, or is too long to hold in one buffer.</exception>
    public AudioBuffer ReadToEnd()
    {
        // Trust the declared length for the first allocation, and grow if more arrives; a file
        // whose length libsndfile cannot know starts at a second's worth.
        int capacity = Frames is > 0 and < long.MaxValue ? FramesThatFit(Frames) : SampleRate;
        float[] planar = new float[capacity * Channels];
        float[] block = interleaved ??= new float[BlockFrames * Channels];
        int frames = 0;
        for (int read; (read = ReadFrames(block)) > 0; frames += read)
        {
            if (frames + read > capacity)
            {
                int larger = FramesThatFit(Math.Max(2L * capacity, (long)frames + read));
                planar = Relayout(planar, capacity, frames, larger);
                capacity = larger;
            }
            for (int c = 0; c < Channels; c++)
            {
                Span<float> channel = planar.AsSpan(c * capacity + frames, read);
                for (int i = 0; i < read; i++) channel[i] = block[i * Channels + c];
            }
        }
        if (frames != capacity) planar = Relayout(planar, capacity, frames, frames);
        return new AudioBuffer(SampleRate, Channels, planar);
    }

    /// <summary>Closes the file; for a file being written, libsndfile completes its header here.</summary>
    public void Dispose() => handle.Dispose();

    private int FramesThatFit(long frames) => frames * Channels <= Array.MaxLength
        ? (int)frames
        : throw new AudioFileException(Path, $"too long to read at once ({frames} frames of {Channels} channels)");

    // Planar with channels `capacity` apart -> planar with channels `newCapacity` apart, the first `frames` of each kept.
    private float[] Relayout(float[] planar, int capacity, int frames, int newCapacity)
    {
        float[] result = new float[newCapacity * Channels];
        for (int c = 0; c < Channels; c++)
            planar.AsSpan(c * capacity, frames).CopyTo(result.AsSpan(c * newCapacity));
        return result;
    }

    private static SafeFileHandle OpenForReading(string path)
    {
        try
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new AudioFileException(path, "no such file", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new AudioFileException(path, Directory.Exists(path) ? "is a folder, not a sound file" : "cannot be read (permission denied)", e);
        }
        catch (IOException e)
        {
            throw new AudioFileException(path, $"cannot be opened ({e.Message})", e);
        }
    }

    /// <summary>libsndfile's C interface, as sndfile.h of libsndfile 1.2 declares it.</summary>
    private static unsafe partial class Native
    {
        private const string Library = "libsndfile.so.1";

        public const int ModeRead = 0x10, ModeWrite = 0x20;
        public const int False = 0, True = 1;
        public const int CommandGetFormatInfo = 0x1028, CommandSetAddPeakChunk = 0x1050, CommandSetClipping = 0x10C0;

        private const int Wav = 0x010000, Aiff = 0x020000, Flac = 0x170000, Ogg = 0x200000;
        private const int Pcm16 = 0x0002, Pcm24 = 0x0003, Float = 0x0006, Vorbis = 0x0060;
        private const int ContainerMask = 0x0FFF0000, EncodingMask = 0x0000FFFF;

        /// <summary>SF_INFO.</summary>
        [StructLayout(LayoutKind.Sequential)]
        public struct Info
        {
            public long Frames;
            public int SampleRate;
            public int Channels;
            public int Format;
            public int Sections;
            public int Seekable;
        }

        /// <summary>SF_FORMAT_INFO.</summary>
        [StructLayout(LayoutKind.Sequential)]
        private struct FormatInfo
        {
            public int Format;
            public byte* Name;
            public byte* Extension;
        }

        /// <summary>
        /// A SNDFILE*. It holds a reference on the descriptor it was opened on, so that descriptor
        /// stays open (and its number cannot be reused for another file) until sf_close has run,
        /// even when the handle is only finalised.
        /// </summary>
        public sealed class SoundFileHandle : SafeHandleZeroOrMinusOneIsInvalid
        {
            private SafeFileHandle? file;

            public SoundFileHandle() : base(ownsHandle: true)
            {
            }

            public void Hold(SafeFileHandle descriptor) => file = descriptor;

            protected override bool ReleaseHandle()
            {
                // sf_close's result says little: with a borrowed descriptor libsndfile reports no
                // error of its own here. Write errors surface earlier, from sf_writef_float.
                bool closed = sf_close(handle) == 0;
                file?.DangerousRelease();
                return closed;
            }
        }

        /// <summary>sf_open_fd on a descriptor .NET owns; null when libsndfile refuses (see <see cref="LastOpenError"/>).</summary>
        public static SoundFileHandle? Open(SafeFileHandle file, int mode, ref Info info)
        {
            bool held = false;
            file.DangerousAddRef(ref held);
            try
            {
                var handle = sf_open_fd((int)file.DangerousGetHandle(), mode, ref info, False);
                if (handle.IsInvalid)
                {
                    handle.Dispose();
                    file.DangerousRelease();
                    return null;
                }
                handle.Hold(file);
                return handle;
            }
            catch
            {
                file.DangerousRelease();
                throw;
            }
        }

        /// <summary>Why the last sf_open_fd failed. libsndfile keeps it in one global, so read it at once.</summary>
        public static string LastOpenError() => Text(sf_strerror_global(0));

        public static string ErrorOf(SoundFileHandle handle) => Text(sf_strerror(handle));

        public static int FormatCode(AudioFileFormat format) => format switch
        {
            AudioFileFormat.WavFloat32 => Wav | Float,
            AudioFileFormat.WavPcm16 => Wav | Pcm16,
            AudioFileFormat.WavPcm24 => Wav | Pcm24,
            AudioFileFormat.Flac16 => Flac | Pcm16,
            AudioFileFormat.Flac24 => Flac | Pcm24,
            AudioFileFormat.Aiff16 => Aiff | Pcm16,
            AudioFileFormat.Aiff24 => Aiff | Pcm24,
            AudioFileFormat.OggVorbis => Ogg | Vorbis,
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
        };

        public static string Describe(int format) => $"{NameOf(format & ContainerMask)}, {NameOf(format & EncodingMask)}";

        private static string NameOf(int format)
        {
            var info = new FormatInfo { Format = format };
            return sf_command_format_info(0, CommandGetFormatInfo, ref info, sizeof(FormatInfo)) == 0 && info.Name != null
                ? Text((nint)info.Name)
                : $"format 0x{format:X}";
        }

        private static string Text(nint utf8) => Marshal.PtrToStringUTF8(utf8) ?? "";

        [LibraryImport(Library)]
        private static partial SoundFileHandle sf_open_fd(int fd, int mode, ref Info info, int closeDescriptor);

        [LibraryImport(Library)]
        private static partial int sf_close(nint sndfile);

        [LibraryImport(Library)]
        public static partial long sf_readf_float(SoundFileHandle sndfile, float* frames, long count);

        [LibraryImport(Library)]
        public static partial long sf_writef_float(SoundFileHandle sndfile, float* frames, long count);

        [LibraryImport(Library)]
        public static partial int sf_error(SoundFileHandle sndfile);

        [LibraryImport(Library)]
        public static partial int sf_command(SoundFileHandle sndfile, int command, nint data, int dataSize);

        [LibraryImport(Library, EntryPoint = "sf_command")]
        private static partial int sf_command_format_info(nint noFile, int command, ref FormatInfo data, int dataSize);

        [LibraryImport(Library)]
        private static partial nint sf_strerror(SoundFileHandle sndfile);

        [LibraryImport(Library, EntryPoint = "sf_strerror")]
        private static partial nint sf_strerror_global(nint noFile);
    }
}
