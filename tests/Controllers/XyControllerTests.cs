using LatentTerrain.Controllers.Devices;
using LatentTerrain.Controllers.Touches;

namespace LatentTerrain.Tests.Controllers;

public class XyControllerTests
{
    private readonly TouchLog _log = new();

    [Fact]
    public void TwoSevenBitControllersMoveOneTouch()
    {
        var xy = new XyController(new XyAssignment(16, 17), _log);
        xy.Feed(TouchLog.Hex("B0 10 7F B3 11 00 B0 12 40"), 0);
        Assert.Equal([(TouchPhase.Start, 1f, 0.5f), (TouchPhase.Move, 1f, 0f)], _log.Touches.Select(t => (t.Phase, t.X, t.Y)));
        xy.ReleaseAll(1);
        Assert.Equal(TouchPhase.End, _log.Last.Phase);
    }

    [Fact]
    public void FourteenBitPairsRefineTheMsb()
    {
        var xy = new XyController(new XyAssignment(1, 2, fourteenBit: true), _log);
        xy.Feed(TouchLog.Hex("B0 01 40 B0 21 7F"), 0);
        Assert.Equal(64 * 128 / 16383f, _log.Touches[0].X);
        Assert.Equal((64 * 128 + 127) / 16383f, _log.Last.X);
    }

    [Fact]
    public void AGateControllerStartsAndEndsTheTouch()
    {
        var xy = new XyController(new XyAssignment(16, 17, gateController: 18), _log);
        xy.Feed(TouchLog.Hex("B0 10 20 B0 12 7F B0 11 10 B0 12 00 B0 10 30"), 0);
        Assert.Equal([TouchPhase.Start, TouchPhase.Move, TouchPhase.End], _log.Touches.Select(t => t.Phase));
        Assert.Equal(0x20 / 127f, _log.Touches[0].X);
    }

    [Fact]
    public void MidiLearnTakesTheFirstTwoControllersMovedAndSeesLsbs()
    {
        var xy = new XyController(null, _log);
        xy.Feed(TouchLog.Hex("B0 05 10 B0 25 00 B0 05 11 B0 06 20 B0 26 00"), 0);
        Assert.False(xy.IsLearning);
        Assert.Equal(new XyAssignment(5, 6, fourteenBit: true), xy.Assignment);
        Assert.Equal(TouchPhase.Start, Assert.Single(_log.Touches).Phase); // the y LSB after learning plays
        xy.Learn();
        xy.Feed(TouchLog.Hex("B0 50 10 B0 51 20 B0 50 7F"), 0);
        Assert.Equal(new XyAssignment(0x50, 0x51), xy.Assignment);
        Assert.Equal(1f, _log.Last.X);
    }

    [Fact]
    public void AnAssignmentWithImpossibleControllersIsRefused()
    {
        Assert.Throws<ArgumentException>(() => new XyAssignment(40, 41, fourteenBit: true));
        Assert.Throws<ArgumentException>(() => new XyAssignment(3, 3));
    }
}
