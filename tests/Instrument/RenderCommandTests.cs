using LatentTerrain.Engine.Audio;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Instrument;

public class RenderCommandTests
{
    private readonly string _folder = Paths.NewScratch();

    private string WriteGesture(params string[] rows)
    {
        string path = Path.Combine(_folder, "g.csv");
        File.WriteAllLines(path, ["time_s,cursor,x,y,pressure", .. rows]);
        return path;
    }

    private string Sweep() => WriteGesture("0,0,-12,-2,0.8", "0.5,0,0,0,1", "1,0,12,2,0.6", "1,1,5,-3,0.9", "1.5,0,12,2,0", "1.6,1,5,-3,0");

    [Fact]
    public void RendersTheSameBytesTwice()
    {
        string gesture = Sweep();
        string first = Path.Combine(_folder, "a.wav"), second = Path.Combine(_folder, "b.wav");
        var result = CommandResult.Run("render", "--gesture", gesture, "--out", first);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(0, CommandResult.Run("render", "-g", gesture, "-o", second).ExitCode);
        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));

        var audio = AudioFile.Read(first);
        Assert.Equal(48000, audio.SampleRate);
        Assert.Equal(2.6, audio.Seconds, 2);
        Assert.True(Spectrum.Rms(audio.Channel(0)) > 0.01, "the render is silent");
    }

    [Fact]
    public void RendersAtAnotherSampleRateAndLength()
    {
        string output = Path.Combine(_folder, "a.flac");
        var result = CommandResult.Run("render", "-g", Sweep(), "-o", output, "--sample-rate", "22050", "--seconds", "1");
        Assert.True(result.ExitCode == 0, result.Error);
        var audio = AudioFile.Read(output);
        Assert.Equal(22050, audio.SampleRate);
        Assert.Equal(22050, audio.Frames);
    }

    [Theory]
    [InlineData("0,16,0,0,1", "cursor 16 does not exist")]
    [InlineData("0,0,NaN,0,1", "x 'NaN' is not a finite number")]
    public void BadGesturesAreOneLineAndOverwriteNothing(string row, string message)
    {
        string output = Path.Combine(_folder, "a.wav");
        File.WriteAllText(output, "precious");
        CommandResult.Run("render", "-g", WriteGesture(row), "-o", output).AssertFailedWith("g.csv", message);
        Assert.Equal("precious", File.ReadAllText(output));
    }

    [Theory]
    [InlineData("--sample-rate", "1000", "--sample-rate 1000: must be 8000..192000 Hz")]
    [InlineData("--seconds", "0", "--seconds 0: must be more than 0")]
    [InlineData("--model", "rave.ts", "rave.ts: no such file")]
    public void BadOptionsAreOneLine(string option, string value, string message)
    {
        CommandResult.Run("render", "-g", Sweep(), "-o", Path.Combine(_folder, "a.wav"), option, value).AssertFailedWith(message);
        Assert.False(File.Exists(Path.Combine(_folder, "a.wav")));
    }
}
