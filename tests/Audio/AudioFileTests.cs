using System.Text;
using LatentTerrain.Engine.Audio;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Audio;

public sealed class AudioFileTests
{
    private const int Rate = 48000;

    /// <summary>Stereo noise at full scale, the two channels different.</summary>
    private static AudioBuffer Stereo(int frames = 10000) => Signals.Planar(Rate, Signals.Noise(frames, 1), Signals.Noise(frames, 2, 0.5));

    [Fact]
    public void Float_wav_keeps_every_bit()
    {
        string path = Path.Combine(Paths.NewScratch(), "take.wav");
        // Beyond full scale too: a float file holds any float.
        var audio = Signals.Planar(Rate, Signals.Noise(5000, 1, 4), Signals.Noise(5000, 2, 1e-3));

        AudioFile.Write(path, audio);
        var read = AudioFile.Read(path);

        Assert.Equal((Rate, 2, 5000), (read.SampleRate, read.Channels, read.Frames));
        Assert.Equal(audio.Samples, read.Samples);
    }

    public static TheoryData<AudioFileFormat, int> IntegerFormats => new()
    {
        { AudioFileFormat.WavPcm16, 16 },
        { AudioFileFormat.WavPcm24, 24 },
        { AudioFileFormat.Flac16, 16 },
        { AudioFileFormat.Flac24, 24 },
        { AudioFileFormat.Aiff16, 16 },
        { AudioFileFormat.Aiff24, 24 },
    };

    [Theory]
    [MemberData(nameof(IntegerFormats))]
    public void Integer_formats_keep_the_audio_to_their_last_bit(AudioFileFormat format, int bits)
    {
        string path = Path.Combine(Paths.NewScratch(), "take.any");
        var audio = Stereo();

        AudioFile.Write(path, audio, format);
        var read = AudioFile.Read(path);

        Assert.Equal((Rate, 2, audio.Frames), (read.SampleRate, read.Channels, read.Frames));
        // libsndfile writes with a scale of 2^(bits-1) - 1 and reads with 2^(bits-1): half a step
        // of rounding plus that gain difference, at most one step at full scale.
        double step = Math.Pow(2, 1 - bits);
        Assert.InRange(Signals.MaxDifference(audio.Samples, read.Samples), step / 4, 1.5 * step);
    }

    [Fact]
    public void Flac_is_lossless_within_its_bit_depth()
    {
        string path = Path.Combine(Paths.NewScratch(), "take.flac");
        // Values on the 24-bit grid as libsndfile reads them back, away from full scale.
        var random = new Random(5);
        var samples = Enumerable.Range(0, 20000).Select(_ => random.Next(-1 << 22, 1 << 22) / (float)(1 << 23)).ToArray();
        var audio = new AudioBuffer(Rate, 2, samples);

        AudioFile.Write(path, audio);
        var once = AudioFile.Read(path);
        AudioFile.Write(path, once);

        Assert.Equal(once.Samples, AudioFile.Read(path).Samples);
        Assert.True(Signals.MaxDifference(samples, once.Samples) <= Math.Pow(2, -23) / 2 + 1e-9);
    }

    [Fact]
    public void Ogg_vorbis_keeps_a_tone()
    {
        string path = Path.Combine(Paths.NewScratch(), "take.ogg");
        var audio = Signals.Planar(Rate, Signals.Sine(440, Rate, Rate), Signals.Sine(1000, Rate, Rate, 0.25));

        AudioFile.Write(path, audio);
        var read = AudioFile.Read(path);

        Assert.Equal((Rate, 2, audio.Frames), (read.SampleRate, read.Channels, read.Frames));
        for (int c = 0; c < 2; c++) Assert.True(Signals.Correlation(audio.Channel(c), read.Channel(c)) > 0.99, $"channel {c}");
    }

    [Theory]
    [InlineData("take.wav")]
    [InlineData("take.flac")]
    [InlineData("take.aiff")]
    [InlineData("take.ogg")]
    public void Every_channel_stays_in_its_place(string name)
    {
        string path = Path.Combine(Paths.NewScratch(), name);
        // Five channels, each a tone of its own, so a swapped or interleaved channel shows.
        var tones = new[] { 300.0, 700, 1100, 1900, 3100 };
        var audio = Signals.Planar(Rate, tones.Select(f => Signals.Sine(f, Rate, 24000)).ToArray());

        AudioFile.Write(path, audio);
        var read = AudioFile.Read(path);

        Assert.Equal(5, read.Channels);
        for (int c = 0; c < tones.Length; c++)
            Assert.InRange(Signals.Frequency(read.Channel(c)[1000..^1000], Rate), tones[c] - 0.5, tones[c] + 0.5);
    }

    [Fact]
    public void The_format_follows_the_extension()
    {
        string folder = Paths.NewScratch();
        var audio = Stereo(1000);
        var expected = new Dictionary<string, string>
        {
            ["a.wav"] = "WAV (Microsoft), 32 bit float",
            ["a.flac"] = "FLAC (Free Lossless Audio Codec), Signed 24 bit PCM",
            ["a.aiff"] = "AIFF (Apple/SGI), Signed 24 bit PCM",
            ["a.AIF"] = "AIFF (Apple/SGI), Signed 24 bit PCM",
            ["a.ogg"] = "OGG (OGG Container format), Vorbis",
        };

        foreach (var (name, format) in expected)
        {
            AudioFile.Write(Path.Combine(folder, name), audio);
            using var file = SoundFile.OpenRead(Path.Combine(folder, name));
            Assert.Equal((format, Rate, 2, 1000L), (file.Format, file.SampleRate, file.Channels, file.Frames));
        }
    }

    [Fact]
    public void Writing_the_same_audio_again_gives_the_same_bytes()
    {
        string first = Paths.NewScratch(), second = Paths.NewScratch();
        var audio = Stereo();
        string[] names = ["render.wav", "render.flac", "render.aiff"];

        foreach (string name in names) AudioFile.Write(Path.Combine(first, name), audio);
        // A float WAV's PEAK chunk would carry the time in seconds: let the clock move on.
        Thread.Sleep(TimeSpan.FromSeconds(1.2));
        foreach (string name in names) AudioFile.Write(Path.Combine(second, name), audio);

        foreach (string name in names)
            Assert.Equal(File.ReadAllBytes(Path.Combine(first, name)), File.ReadAllBytes(Path.Combine(second, name)));
        Assert.DoesNotContain("PEAK", Encoding.ASCII.GetString(File.ReadAllBytes(Path.Combine(first, "render.wav"))));
    }

    [Fact]
    public void A_file_written_a_block_at_a_time_reads_back_whole()
    {
        string path = Path.Combine(Paths.NewScratch(), "blocks.wav");
        var audio = Stereo(10000);
        float[] left = audio.Channel(0).ToArray(), right = audio.Channel(1).ToArray();

        using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
        using (var file = SoundFile.Create(stream.SafeFileHandle, path, AudioFileFormat.WavFloat32, Rate, 2))
        {
            for (int start = 0; start < 10000; start += 300)
            {
                int count = Math.Min(300, 10000 - start);
                file.WritePlanar([.. left.AsSpan(start, count), .. right.AsSpan(start, count)]);
            }
            Assert.Equal(10000, file.Frames);
        }

        Assert.Equal(audio.Samples, AudioFile.Read(path).Samples);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        string path = Path.Combine(Paths.NewScratch(), "in.wav");
        Assert.Equal($"{path}: no such file", Assert.Throws<AudioFileException>(() => AudioFile.Read(path)).Message);
    }

    [Fact]
    public void A_folder_is_not_a_sound_file()
    {
        string path = Paths.NewScratch();
        Assert.Equal($"{path}: is a folder, not a sound file", Assert.Throws<AudioFileException>(() => AudioFile.Read(path)).Message);
    }

    [Fact]
    public void A_text_file_is_not_a_sound_file_whatever_its_name()
    {
        string path = Path.Combine(Paths.NewScratch(), "x.wav");
        File.WriteAllText(path, "These are words, not sound.\nNot even a header.\n");

        var error = Assert.Throws<AudioFileException>(() => AudioFile.Read(path));

        // The problem in our words, then libsndfile's.
        Assert.StartsWith($"{path}: not a sound file libsndfile can read (", error.Message);
        Assert.EndsWith(")", error.Message);
        Assert.True(error.Message.Length > $"{path}: not a sound file libsndfile can read ()".Length, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_file_of_no_bytes_is_empty()
    {
        string path = Path.Combine(Paths.NewScratch(), "blank.wav");
        File.WriteAllBytes(path, []);

        Assert.Equal($"{path}: the file is empty (0 bytes)", Assert.Throws<AudioFileException>(() => AudioFile.Read(path)).Message);
    }

    [Fact]
    public void A_file_without_frames_holds_no_audio()
    {
        string path = Path.Combine(Paths.NewScratch(), "empty.wav");
        AudioFile.Write(path, new AudioBuffer(Rate, 2, 0));

        Assert.Equal($"{path}: the file holds no audio", Assert.Throws<AudioFileException>(() => AudioFile.Read(path)).Message);
    }

    [Fact]
    public void Writing_into_a_missing_folder_names_the_folder()
    {
        string folder = Path.Combine(Paths.NewScratch(), "renders"), path = Path.Combine(folder, "out.wav");

        var error = Assert.Throws<AudioFileException>(() => AudioFile.Write(path, Stereo(100)));

        Assert.Equal($"{path}: cannot be written: the folder '{folder}' does not exist", error.Message);
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void An_unknown_extension_is_refused_before_anything_is_written()
    {
        string folder = Paths.NewScratch(), path = Path.Combine(folder, "out.mp3");

        var error = Assert.Throws<AudioFileException>(() => AudioFile.Write(path, Stereo(100)));

        Assert.Equal($"{path}: unknown sound file extension '.mp3' to choose a format from (use .wav, .flac, .aiff, .aif or .ogg)", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(folder));
    }

    [Fact]
    public void A_failed_write_leaves_the_file_that_was_there()
    {
        string folder = Paths.NewScratch(), path = Path.Combine(folder, "keep.flac");
        AudioFile.Write(path, Stereo(1000));
        byte[] before = File.ReadAllBytes(path);
        // FLAC holds at most eight channels: libsndfile refuses a ninth.
        var nine = new AudioBuffer(Rate, 9, 1000);

        var error = Assert.Throws<AudioFileException>(() => AudioFile.Write(path, nine));

        Assert.StartsWith($"{path}: libsndfile cannot write FLAC 24-bit with 9 channels at 48000 Hz (", error.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFileSystemEntries(folder));
    }
}
