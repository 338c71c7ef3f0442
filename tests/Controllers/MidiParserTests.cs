using LatentTerrain.Controllers.Midi;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Controllers;

public class MidiParserTests
{
    private sealed class Log : IMidiReceiver
    {
        public List<string> Items { get; } = [];
        public void Receive(in MidiMessage message) => Items.Add(Convert.ToHexString(Bytes(message)));
        public void ReceiveSysEx(ReadOnlySpan<byte> message) => Items.Add("SYSEX " + Convert.ToHexString(message));

        private static byte[] Bytes(MidiMessage message)
        {
            var bytes = new byte[3];
            return bytes[..message.CopyTo(bytes)];
        }
    }

    private static List<string> Parse(params string[] packets)
    {
        var parser = new MidiParser(maxSysExLength: 16);
        var log = new Log();
        foreach (var packet in packets) parser.Feed(TouchLog.Hex(packet), log);
        return log.Items;
    }

    [Fact]
    public void RunningStatusRepeatsTheLastChannelStatus() =>
        Assert.Equal(["903C40", "903E41", "904000", "B04A10"], Parse("90 3C 40 3E 41 40 00 B0 4A 10"));

    [Fact]
    public void MessagesSplitAcrossPacketsAreJoined() =>
        Assert.Equal(["E00040", "E07F7F"], Parse("E0", "00", "40 7F", "7F"));

    [Fact]
    public void RealTimeBytesComeOutAtOnceAndChangeNothing() =>
        Assert.Equal(["F8", "FA", "903C40", "FE", "SYSEX F0010203F7"], Parse("F8 90 3C FA 40 F0 01 FE 02 03 F7 3D 41"));

    [Fact]
    public void RealTimeInsideSysExIsDeliveredBeforeTheSysEx()
    {
        var items = Parse("F0 7E 7F F8 06 01 F7");
        Assert.Equal(["F8", "SYSEX F07E7F0601F7"], items);
    }

    [Fact]
    public void SysExSplitAcrossPacketsArrivesWhole() =>
        Assert.Equal(["SYSEX F00020290D0E01F7"], Parse("F0 00", "20 29 0D", "0E", "01 F7"));

    [Fact]
    public void SysExCancelsRunningStatus() =>
        Assert.Equal(["903C40", "SYSEX F001F7"], Parse("90 3C 40 F0 01 F7 3E 41"));

    [Fact]
    public void StrayDataBytesAreIgnoredUntilTheNextStatus()
    {
        var parser = new MidiParser();
        var log = new Log();
        parser.Feed(TouchLog.Hex("3C 40 7F 80 3C 40"), log);
        Assert.Equal(["803C40"], log.Items);
        Assert.Equal(3, parser.StrayDataBytes);
    }

    [Fact]
    public void ANewStatusInTheMiddleOfAMessageResynchronises() =>
        Assert.Equal(["B00102"], Parse("90 3C B0 01 02"));

    [Fact]
    public void AStatusByteInsideSysExDropsItAndStartsItsMessage()
    {
        var parser = new MidiParser();
        var log = new Log();
        parser.Feed(TouchLog.Hex("F0 01 02 90 3C 40"), log);
        Assert.Equal(["903C40"], log.Items);
        Assert.Equal(1, parser.DroppedSysEx);
    }

    [Fact]
    public void ASysExLongerThanTheLimitIsDroppedWholeAndTheStreamGoesOn()
    {
        var parser = new MidiParser(maxSysExLength: 6);
        var log = new Log();
        parser.Feed(TouchLog.Hex("F0 01 02 03 04 F7 F0 01 02 03 04 05 06 07 F7 90 3C 40"), log);
        Assert.Equal(["SYSEX F001020304F7", "903C40"], log.Items);
        Assert.Equal(1, parser.DroppedSysEx);
    }

    [Fact]
    public void SystemCommonMessagesCarryTheirDataAndCancelRunningStatus() =>
        Assert.Equal(["F10A", "F20102", "F305", "F6"], Parse("F1 0A 0B F2 01 02 F3 05 F6 40"));

    [Fact]
    public void UndefinedBytesAndALoneEndOfExclusiveAreIgnored() =>
        Assert.Equal(["903C40"], Parse("F9 FD F4 01 F5 F7 02 90 3C 40"));

    [Fact]
    public void ParsingInSteadyStateAllocatesNothing()
    {
        var parser = new MidiParser();
        var log = new NullReceiver();
        byte[] stream = TouchLog.Hex("90 3C 40 E0 00 40 F8 B0 4A 10 F0 00 20 29 02 0C 0E 01 F7 D0 20");
        parser.Feed(stream, log);
        Assert.Equal(0, Allocations.Of(() =>
        {
            for (int i = 0; i < 1000; i++) parser.Feed(stream, log);
        }));
        Assert.Equal(5 * 1001, log.Messages);
        Assert.Equal(1001, log.SysEx);
    }

    private sealed class NullReceiver : IMidiReceiver
    {
        public int Messages, SysEx;
        public void Receive(in MidiMessage message) => Messages++;
        public void ReceiveSysEx(ReadOnlySpan<byte> message) => SysEx++;
    }
}
