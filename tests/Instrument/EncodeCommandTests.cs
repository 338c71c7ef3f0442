using LatentTerrain.Engine.Audio;
using LatentTerrain.Engine.Datasets;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Instrument;

public class EncodeCommandTests
{
    private readonly string _folder = Paths.NewScratch();

    /// <summary>A stereo sawtooth at 220 Hz rising to 330 Hz, as a 44.1 kHz FLAC: not made by our codec.</summary>
    private string WriteSound(double seconds = 2)
    {
        int rate = 44100, frames = (int)(seconds * rate);
        var audio = new AudioBuffer(rate, 2, frames);
        double phase = 0;
        for (int t = 0; t < frames; t++)
        {
            phase += (220 + 110.0 * t / frames) / rate;
            float saw = (float)(0.4 * (2 * (phase % 1) - 1));
            audio.Channel(0)[t] = saw;
            audio.Channel(1)[t] = saw * 0.5f;
        }
        string path = Path.Combine(_folder, "saw.flac");
        AudioFile.Write(path, audio);
        return path;
    }

    [Fact]
    public void EncodesASoundIntoATrainableTrajectory()
    {
        string dataset = Path.Combine(_folder, "saw.json");
        var result = CommandResult.Run("encode", "--audio", WriteSound(), "--out", dataset);
        Assert.True(result.ExitCode == 0, result.Error);

        var loaded = DatasetFile.Load(dataset);
        var trajectory = Assert.Single(loaded.Trajectories);
        Assert.Equal(8, loaded.LatentSize);
        Assert.Equal(2 * 44100 / 2048, trajectory.FrameCount); // encoded at the file's own 44.1 kHz, no resampling
        Assert.Equal("saw", trajectory.Name);
        Assert.Equal(trajectory.FrameCount, loaded.ToPairs().Count);

        string terrain = Path.Combine(_folder, "saw.terrain");
        Assert.Equal(0, CommandResult.Run("train", "-d", dataset, "-o", terrain, "--epochs", "2").ExitCode);
    }

    [Fact]
    public void UnreadableAudioIsOneLine()
    {
        string bogus = Path.Combine(_folder, "bogus.wav");
        File.WriteAllText(bogus, "this is not a sound");
        CommandResult.Run("encode", "-a", bogus, "-o", Path.Combine(_folder, "x.json")).AssertFailedWith("bogus.wav", "not a sound file");
    }

    [Fact]
    public void AnEmptyFileIsOneLine()
    {
        string empty = Path.Combine(_folder, "empty.wav");
        AudioFile.Write(empty, new AudioBuffer(48000, 1, 0));
        CommandResult.Run("encode", "-a", empty, "-o", Path.Combine(_folder, "x.json")).AssertFailedWith("empty.wav", "no audio");
    }

    [Fact]
    public void ASoundShorterThanOneFrameIsOneLine()
    {
        string path = Path.Combine(_folder, "blip.wav");
        AudioFile.Write(path, new AudioBuffer(48000, 1, 100));
        CommandResult.Run("encode", "-a", path, "-o", Path.Combine(_folder, "x.json")).AssertFailedWith("blip.wav", "shorter than one latent frame");
    }
}
