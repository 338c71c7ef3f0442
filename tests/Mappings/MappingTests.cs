using LatentTerrain.Controllers.Devices;
using LatentTerrain.Controllers.Files;
using LatentTerrain.Controllers.Touches;
using LatentTerrain.Engine.Maps;
using LatentTerrain.Engine.Synthesis;
using LatentTerrain.Mappings;
using LatentTerrain.Tests.Controllers;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Mappings;

public class MappingTests
{
    private readonly CursorBoard _board = new();
    private readonly CursorAllocator _allocator = new();

    private Mapping Launchpad() => new(MappingProfile.Default(ControllerKind.Launchpad), PlaneBounds.Default, _board, _allocator);

    [Fact]
    public void ALaunchpadPadPlaysTheCentreOfItsCellOfTheTerrain()
    {
        var mapping = Launchpad();
        var pad = new Launchpad(LaunchpadModel.X, mapping, glideDistance: 0);
        pad.Feed(TouchLog.Hex("90 0B 7F 90 58 40"), 0);
        // Pad 11: x = -16 + 0.5/8 * 32 = -14, y = -4 + 0.5/8 * 8 = -3.5; gain 0.2 + 0.8 * velocity.
        Assert.Equal(new Cursor(-14f, -3.5f, 1f, true), _board.Read(0));
        Assert.Equal((14f, 3.5f, true), (_board.Read(1).X, _board.Read(1).Y, _board.Read(1).Active));
        Assert.Equal(0.2f + 0.8f * 0x40 / 127f, _board.Read(1).Gain, 5);
        pad.Feed(TouchLog.Hex("80 0B 00"), 1);
        Assert.False(_board.Read(0).Active);
        Assert.True(_board.Read(1).Active);
    }

    [Fact]
    public void AnMpeNoteMovesWithItsBendAndTimbreAndSoundsWithVelocityThenPressure()
    {
        var mapping = new Mapping(MappingProfile.Default(ControllerKind.MpeKeyboard), PlaneBounds.Default, _board, _allocator);
        var keyboard = new MpeKeyboard(mapping, LatentTerrain.Controllers.Mpe.MpeZoneLayout.Lower(15));
        keyboard.Feed(TouchLog.Hex("92 42 7F"), 0); // key 66: halfway along 36..96
        Assert.Equal(new Cursor(0f, 0f, 1f, true), _board.Read(0));
        keyboard.Feed(TouchLog.Hex("E2 7F 7F B2 4A 7F D2 00"), 0.01); // +48 semitones: past the range's end, clamped
        Assert.Equal(new Cursor(16f, 4f, 1f, true), _board.Read(0));
        keyboard.Feed(TouchLog.Hex("D2 40"), 0.02);
        Assert.Equal(0.1f + 0.9f * 64 / 127f, _board.Read(0).Gain, 5);
    }

    [Fact]
    public void TheSeventeenthTouchStealsTheOldestCursor()
    {
        var mapping = Launchpad();
        var pad = new Launchpad(LaunchpadModel.X, mapping, glideDistance: 0);
        for (int i = 0; i < 17; i++) pad.Feed([0x90, (byte)(11 + i % 8 + 10 * (i / 8)), 0x7F], i);
        Assert.Equal(1, _allocator.Steals);
        // Slot 0 now holds the 17th pad, note 31 (column 0, row 2): x -14, y -4 + 2.5 / 8 * 8.
        Assert.Equal((-14f, -1.5f), (_board.Read(0).X, _board.Read(0).Y));
        // The stolen first pad's release must not lift the cursor the 17th pad holds now.
        pad.Feed(TouchLog.Hex("80 0B 00"), 20);
        Assert.True(_board.Read(0).Active);
        pad.Feed(TouchLog.Hex("80 1F 00"), 21);
        Assert.False(_board.Read(0).Active);
    }

    [Fact]
    public void TwoMappingsShareTheBoardWithoutTakingEachOthersCursors()
    {
        var first = Launchpad();
        var second = new Mapping(MappingProfile.Default(ControllerKind.Mouse), PlaneBounds.Default, _board, _allocator);
        first.Touch(new Touch(0, TouchPhase.Start, 0.5f, 0.5f, 1, 1, 0));
        second.Touch(new Touch(0, TouchPhase.Start, 1f, 1f, 1, 1, 0));
        Assert.Equal((-14f, 16f), (_board.Read(0).X, _board.Read(1).X));
        second.Touch(new Touch(0, TouchPhase.End, 1f, 1f, 1, 1, 0));
        Assert.True(_board.Read(0).Active);
        Assert.False(_board.Read(1).Active);
    }

    [Fact]
    public void SmoothingFollowsSlowlyAtRestAndQuicklyWhenFast()
    {
        var filter = new OneEuroFilter(new Smoothing(1f, 0f));
        Assert.Equal(0f, filter.Filter(0f, 0));
        float slow = filter.Filter(1f, 0.01);
        Assert.InRange(slow, 0.05f, 0.07f); // alpha at 1 Hz, 10 ms: 1 / (1 + 1/(2 pi 0.01)) = 0.059
        var fast = new OneEuroFilter(new Smoothing(1f, 10f));
        fast.Filter(0f, 0);
        Assert.True(fast.Filter(1f, 0.01) > 0.5f);
    }

    [Fact]
    public void BytesToCursorsAllocateNothing()
    {
        var mapping = new Mapping(MappingProfile.Default(ControllerKind.Sensel), PlaneBounds.Default, _board, _allocator);
        var keyboard = new MpeKeyboard(mapping, LatentTerrain.Controllers.Mpe.MpeZoneLayout.Lower(15));
        byte[] phrase = TouchLog.Hex("91 3C 50 E1 00 50 D1 40 B1 4A 30 81 3C 40 92 3E 50 E2 00 30 82 3E 00");
        keyboard.Feed(phrase, 0);
        Assert.Equal(0, Allocations.Of(() =>
        {
            for (int i = 0; i < 1000; i++) keyboard.Feed(phrase, i * 0.01);
        }));
    }

    [Fact]
    public void AnMpeFileBecomesAGestureThroughTheSameMapping()
    {
        // Two notes on member channels 2 and 3, the first bent up 48 semitones over a second.
        var file = MidiFile.Parse(MidiFileTests.Smf(0, 96, "00 91 3C 7F 00 92 48 60 60 E1 7F 7F 60 81 3C 40 00 82 48 00"), "mpe.mid");
        Assert.Equal(ControllerKind.MpeKeyboard, MidiRendering.GuessKind(file));
        var gesture = MidiRendering.ToGesture(file, MappingProfile.Default(ControllerKind.MpeKeyboard), PlaneBounds.Default);
        Assert.Equal([(0.0, 0), (0.0, 1), (0.5, 0), (1.0, 0), (1.0, 1)], gesture.Events.Select(e => (e.Time, e.Cursor)));
        Assert.Equal(-16f + (60 - 36) / 60f * 32f, gesture.Events[0].X, 4);
        Assert.Equal(16f, gesture.Events[2].X, 4);
        Assert.Equal([0f, 0f], gesture.Events.TakeLast(2).Select(e => e.Pressure));
    }

    [Fact]
    public void ALaunchpadShowsTheTerrainAndLightsThePadsUnderCursors()
    {
        var display = new LaunchpadDisplay(new LaunchpadLights(LaunchpadModel.X, minimumInterval: 0), PlaneBounds.Default);
        var map = new MapImage(8, 8, PixelFormat.Grey8);
        Array.Fill(map.Pixels, (byte)200);
        display.ShowTerrain(map);
        _board.Move(3, 15f, -3.9f, 1f); // bottom-right pad
        display.ShowCursors(_board);
        Assert.True(display.Lights.TryTakeFrame(0, out var frame));
        int bottomRight = 7 + 7 * 5;
        Assert.Equal(TouchLog.Hex("03 12 7F 30 00"), frame[bottomRight..(bottomRight + 5)].ToArray());
        Assert.Equal(TouchLog.Hex("03 0B 64 64 64"), frame[7..12].ToArray());
    }

    [Fact]
    public void ALaunchpadLightsTheSideButtonsOfStoredPositions()
    {
        var display = new LaunchpadDisplay(new LaunchpadLights(LaunchpadModel.X), PlaneBounds.Default);
        display.ShowStoredPositions([3, 1, 9, 0]); // 9 and 0 have no button
        Assert.True(display.Lights.TryTakeSideFrame(out var side));
        byte[] frame = side.ToArray();
        Assert.Equal([89, 69], Enumerable.Range(0, 8).Where(i => frame[7 + i * 5 + 3] != 0).Select(i => (int)frame[7 + i * 5 + 1]));
    }
}
