using LatentTerrain.Controllers.Files;

namespace LatentTerrain.Tests.Controllers;

public class MidiFileTests
{
    /// <summary>A file of the given tracks (each its events' bytes, End of Track appended), type and ticks per quarter.</summary>
    internal static byte[] Smf(int format, int division, params string[] tracks)
    {
        var bytes = new List<byte>();
        bytes.AddRange("MThd"u8.ToArray());
        bytes.AddRange([0, 0, 0, 6, 0, (byte)format, 0, (byte)tracks.Length, (byte)(division >> 8), (byte)division]);
        foreach (var track in tracks)
        {
            var body = TouchLog.Hex(track + " 00 FF 2F 00");
            bytes.AddRange("MTrk"u8.ToArray());
            bytes.AddRange([(byte)(body.Length >> 24), (byte)(body.Length >> 16), (byte)(body.Length >> 8), (byte)body.Length]);
            bytes.AddRange(body);
        }
        return [.. bytes];
    }

    [Fact]
    public void Type0WithRunningStatusAndATempoChange()
    {
        // 96 ticks per quarter. A note at 0, a running-status note 96 ticks later (0.5 s at 120 bpm),
        // tempo 60 bpm from tick 192 (1 s), and a release 96 ticks after that (one quarter at 60 bpm: 2 s).
        var file = MidiFile.Parse(Smf(0, 96, "00 90 3C 40 60 3E 41 60 FF 51 03 0F 42 40 60 80 3C 00"), "t.mid");
        Assert.Equal(0, file.Format);
        Assert.Equal([0, 0.5, 2.0], file.Events.Select(e => e.Seconds));
        Assert.Equal(TouchLog.Hex("90 3E 41"), file.Events[1].Bytes);
        Assert.Equal([new TempoChange(192, 1.0, 1_000_000)], file.Tempos);
    }

    [Fact]
    public void Type1TracksAreMergedInTimeThroughTheTempoTrack()
    {
        var file = MidiFile.Parse(Smf(1, 480, "00 FF 51 03 07 A1 20", "83 60 91 3C 40 00 E1 00 50", "81 70 92 3E 40"), "t.mid");
        Assert.Equal([(240L, 2), (480L, 1), (480L, 1)], file.Events.Select(e => (e.Tick, e.Track)));
        // 500,000 us per quarter (07 A1 20): 480 ticks = 0.5 s.
        Assert.Equal([0.25, 0.5, 0.5], file.Events.Select(e => e.Seconds));
    }

    [Fact]
    public void SysExAndEscapesKeepTheirBytes()
    {
        var file = MidiFile.Parse(Smf(0, 96, "00 F0 05 7E 7F 06 01 F7 00 F7 02 F8 FA 00 FF 01 03 61 62 63"), "t.mid");
        Assert.Equal([TouchLog.Hex("F0 7E 7F 06 01 F7"), TouchLog.Hex("F8 FA")], file.Events.Select(e => e.Bytes));
    }

    [Theory]
    [InlineData("MThx", "not a standard MIDI file")]
    [InlineData("type2", "MIDI file type 2 is not supported")]
    [InlineData("running", "track 1, byte 23: data byte 3C with no running status")]
    [InlineData("short", "past the end of the file")]
    public void BadFilesAreOneLineNamingTheFileAndWhere(string damage, string message)
    {
        byte[] bytes = damage switch
        {
            "MThx" => [.. "MThx"u8.ToArray(), .. Smf(0, 96, "")[4..]],
            "type2" => Smf(2, 96, ""),
            "running" => Smf(0, 96, "00 3C 40"),
            _ => Smf(0, 96, "00 90 3C")[..^4],
        };
        var e = Assert.Throws<MidiFileException>(() => MidiFile.Parse(bytes, "take.mid"));
        Assert.StartsWith("take.mid: ", e.Message);
        Assert.Contains(message, e.Message);
    }
}
