using LatentTerrain.Engine.Audio;
using LatentTerrain.Tests.Controllers;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Instrument;

public class RenderMidiCommandTests
{
    private readonly string _folder = Paths.NewScratch();

    private string WriteFile(string name, byte[] bytes)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>An MPE phrase: two notes, one sliding, at 120 bpm (96 ticks = 0.5 s).</summary>
    private string Phrase() => WriteFile("take.mid", MidiFileTests.Smf(0, 96, "00 91 3C 7F 00 92 48 60 00 D1 60 00 D2 50 60 E1 7F 50 60 81 3C 40 00 82 48 00"));

    [Fact]
    public void RendersAnMpeFileTheSameTwice()
    {
        string midi = Phrase(), first = Path.Combine(_folder, "a.wav"), second = Path.Combine(_folder, "b.wav");
        var result = CommandResult.Run("render", "--midi", midi, "--out", first);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(0, CommandResult.Run("render", "--midi", midi, "-o", second).ExitCode);
        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
        var audio = AudioFile.Read(first);
        Assert.Equal(2.0, audio.Seconds, 2);
        Assert.True(Spectrum.Rms(audio.Channel(0)) > 0.01, "the render is silent");
    }

    [Fact]
    public void AMappingProfileChangesWhereTheNotesPlay()
    {
        string profile = WriteFile("narrow.json", System.Text.Encoding.UTF8.GetBytes("""
            { "kind": "mpe-keyboard", "x": { "dimension": "x", "from": [59, 61] }, "y": { "dimension": "y", "from": [0, 1] },
              "gain": { "source": "constant" }, "mpeZones": { "lower": 15 } }
            """));
        string plain = Path.Combine(_folder, "a.wav"), mapped = Path.Combine(_folder, "b.wav");
        Assert.Equal(0, CommandResult.Run("render", "--midi", Phrase(), "-o", plain).ExitCode);
        var result = CommandResult.Run("render", "--midi", Phrase(), "--mapping", profile, "-o", mapped);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.NotEqual(File.ReadAllBytes(plain), File.ReadAllBytes(mapped));
    }

    [Fact]
    public void GestureAndMidiExcludeEachOther()
    {
        string gesture = Path.Combine(_folder, "g.csv");
        File.WriteAllText(gesture, "time_s,cursor,x,y,pressure\n0,0,0,0,1\n");
        CommandResult.Run("render", "--gesture", gesture, "--midi", Phrase(), "-o", Path.Combine(_folder, "a.wav")).AssertFailedWith("--gesture and --midi exclude each other");
        CommandResult.Run("render", "-o", Path.Combine(_folder, "a.wav")).AssertFailedWith("give what to render: --gesture FILE.csv or --midi FILE.mid");
        CommandResult.Run("render", "--gesture", gesture, "--mapping", gesture, "-o", Path.Combine(_folder, "a.wav")).AssertFailedWith("--mapping goes with --midi");
    }

    [Fact]
    public void ABrokenMidiFileIsOneLineAndOverwritesNothing()
    {
        string output = Path.Combine(_folder, "a.wav");
        File.WriteAllText(output, "precious");
        string midi = WriteFile("bad.mid", MidiFileTests.Smf(0, 96, "00 3C 40"));
        CommandResult.Run("render", "--midi", midi, "-o", output).AssertFailedWith("bad.mid: track 1, byte 23: data byte 3C with no running status");
        Assert.Equal("precious", File.ReadAllText(output));
    }

    [Fact]
    public void ABrokenProfileIsOneLineNamingTheField()
    {
        string profile = WriteFile("bad.json", System.Text.Encoding.UTF8.GetBytes("""{ "kind": "mpe-keyboard", "x": 3 }"""));
        CommandResult.Run("render", "--midi", Phrase(), "--mapping", profile, "-o", Path.Combine(_folder, "a.wav")).AssertFailedWith("bad.json: field 'x': expected an object");
    }
}
