using LatentTerrain.Controllers.Devices;
using LatentTerrain.Controllers.Mpe;
using LatentTerrain.Controllers.Touches;

namespace LatentTerrain.Tests.Controllers;

/// <summary>One test per rule of research/controllers.md's MPE section, each with the exact bytes a controller sends.</summary>
public class MpeTrackerTests
{
    private readonly TouchLog _log = new();
    private MpeKeyboard _keyboard;

    public MpeTrackerTests() => _keyboard = new MpeKeyboard(_log, MpeZoneLayout.Lower(15));

    private MpeTrackerTests Send(string hex)
    {
        _keyboard.Feed(TouchLog.Hex(hex), 0);
        return this;
    }

    private void Plain() => _keyboard = new MpeKeyboard(_log, MpeZoneLayout.None);

    private List<Touch> Phase(TouchPhase phase) => _log.Touches.Where(t => t.Phase == phase).ToList();

    [Fact]
    public void AnMcmOnChannel1SetsTheLowerZoneAndOnChannel16TheUpper()
    {
        Send("B0 64 06 B0 65 00 B0 06 07");
        Assert.Equal(MpeZoneLayout.Lower(7), _keyboard.Tracker.Layout);
        Send("BF 64 06 BF 65 00 BF 06 05");
        Assert.Equal((7, 5), (_keyboard.Tracker.Layout.LowerMembers, _keyboard.Tracker.Layout.UpperMembers));
    }

    [Fact]
    public void WhenBothZonesNeedMoreThan16ChannelsTheOtherZoneShrinks()
    {
        Send("B0 64 06 B0 65 00 B0 06 0A").Send("BF 64 06 BF 65 00 BF 06 08");
        Assert.Equal((6, 8), (_keyboard.Tracker.Layout.LowerMembers, _keyboard.Tracker.Layout.UpperMembers));
    }

    [Fact]
    public void AnMcmReleasesEveryNoteAndAZeroMcmLeavesMpe()
    {
        Send("91 3C 50").Send("B0 64 06 B0 65 00 B0 06 00");
        Assert.Single(Phase(TouchPhase.End));
        Assert.False(_keyboard.Tracker.Layout.IsMpe);
    }

    [Fact]
    public void UpperZoneMembersCountDownFromChannel15()
    {
        Send("BF 64 06 BF 65 00 BF 06 03").Send("B0 64 06 B0 65 00 B0 06 00");
        Send("9E 3C 50 9C 3D 50 9B 3E 50");
        Assert.Equal([60f, 61f], Phase(TouchPhase.Start).Select(t => t.X));
    }

    [Fact]
    public void NotesOnTheManagerOrOutsideEveryZoneAreIgnored()
    {
        Send("B0 64 06 B0 65 00 B0 06 03").Send("90 3C 50 94 3C 50 93 3D 50");
        Assert.Equal([61f], Phase(TouchPhase.Start).Select(t => t.X));
    }

    [Fact]
    public void Rpn0SetsThePerNoteRangeOnAMemberAndTheManagerRangeOnTheManager()
    {
        Send("B1 64 00 B1 65 00 B1 06 18").Send("B0 64 00 B0 65 00 B0 06 0C");
        Assert.Equal((24, 12), _keyboard.Tracker.BendRanges(LatentTerrain.Controllers.Midi.MidiChannel.FromNumber(3)));
        Send("91 3C 50 E1 7F 7F");
        Assert.Equal(60f + 24f, _log.Last.X, 3);
    }

    [Fact]
    public void AnMcmResetsTheRangesTo48And2()
    {
        Send("B1 64 00 B1 65 00 B1 06 18").Send("B0 64 06 B0 65 00 B0 06 0F");
        Assert.Equal((48, 2), _keyboard.Tracker.BendRanges(LatentTerrain.Controllers.Midi.MidiChannel.FromNumber(2)));
    }

    [Fact]
    public void TotalBendIsPerNoteBendTimesItsRangePlusManagerBendTimesItsRange()
    {
        Send("91 3C 50 E1 7F 7F E0 00 60");
        Assert.Equal(60f + 48f + (12288 - 8192) / 8191f * 2f, _log.Last.X, 4);
    }

    [Fact]
    public void ManagerPressureAndTimbreApplyToEveryNoteOfTheZone()
    {
        Send("91 3C 50 92 40 50 D0 40 B0 4A 10");
        var last = _log.Touches.TakeLast(2).ToList();
        Assert.All(last, t => Assert.Equal((64 / 127f, 16 / 127f), (t.Pressure, t.Y)));
        Assert.Equal(2, last.Select(t => t.Id).Distinct().Count());
    }

    [Fact]
    public void NoteOnWithVelocity0IsANoteOffWithVelocity64()
    {
        var listener = new NoteLog();
        var tracker = new MpeTracker(listener, MpeZoneLayout.Lower(15));
        new LatentTerrain.Controllers.Midi.MidiParser().Feed(TouchLog.Hex("91 3C 50 91 3C 00"), tracker);
        Assert.Equal(64 / 127f, Assert.Single(listener.Ended).Lift);
    }

    [Fact]
    public void ExpressionBeforeANoteOnBelongsToTheNextNoteOnThatChannel()
    {
        Send("E1 00 60 B1 4A 20 D1 30").Send("91 3C 50");
        var start = Assert.Single(Phase(TouchPhase.Start));
        Assert.Equal((60f + (12288 - 8192) / 8191f * 48f, 32 / 127f, 48 / 127f), (start.X, start.Y, start.Pressure));
    }

    [Fact]
    public void ANoteStartedWhileAnotherIsHeldOnItsChannelStartsFromTheDefaults()
    {
        Send("91 3C 50 D1 30 E1 00 60 91 3E 50");
        var second = Phase(TouchPhase.Start)[1];
        Assert.Equal((62f, 0.5f, 0f), (second.X, second.Y, second.Pressure));
    }

    [Fact]
    public void AChannelsKeptValuesAreResetWhenItsLastNoteIsReleased()
    {
        Send("E1 00 60 91 3C 50 81 3C 00 91 3C 50");
        Assert.Equal(60f, Phase(TouchPhase.Start)[1].X);
    }

    [Fact]
    public void ExpressionAfterNoteOffDoesNotChangeTheReleasedNote()
    {
        Send("B0 40 7F 91 3C 50 E1 00 50 81 3C 40");
        int count = _log.Touches.Count;
        float frozen = _log.Last.X;
        Send("E1 7F 7F D1 7F B1 4A 7F E0 7F 7F D0 7F");
        Assert.Equal(count, _log.Touches.Count);
        Send("B0 40 00");
        Assert.Equal((TouchPhase.End, frozen), (_log.Last.Phase, _log.Last.X));
    }

    [Fact]
    public void SustainCountsOnlyOnTheManager()
    {
        Send("B1 40 7F 91 3C 50 81 3C 40");
        Assert.Single(Phase(TouchPhase.End));
        Send("B0 40 7F 92 3C 50 82 3C 40");
        Assert.Single(Phase(TouchPhase.End));
        Send("B0 40 00");
        Assert.Equal(2, Phase(TouchPhase.End).Count);
    }

    [Fact]
    public void SostenutoHoldsOnlyTheNotesHeldWhenItWentDown()
    {
        Send("91 3C 50 B0 42 7F 92 3E 50 81 3C 40 82 3E 40");
        Assert.Equal([62f], Phase(TouchPhase.End).Select(t => t.X));
        Send("B0 42 00");
        Assert.Equal([62f, 60f], Phase(TouchPhase.End).Select(t => t.X));
    }

    [Fact]
    public void ASecondNoteOnForTheSameChannelAndKeyRetriggers()
    {
        Send("91 3C 50 91 3C 60");
        Assert.Equal([TouchPhase.Start, TouchPhase.End, TouchPhase.Start], _log.Touches.Select(t => t.Phase));
        Assert.NotEqual(_log.Touches[0].Id, _log.Touches[2].Id);
        Assert.Equal(0x60 / 127f, _log.Last.Velocity);
    }

    [Theory]
    [InlineData("B0 7B 00")]
    [InlineData("B0 79 00")]
    public void AllNotesOffOrResetAllControllersOnAManagerReleaseEveryNoteOfItsZone(string message)
    {
        Send("B0 40 7F 91 3C 50 92 3E 50 81 3C 40").Send(message);
        Assert.Equal(2, Phase(TouchPhase.End).Count);
        Assert.Equal(0, _keyboard.Tracker.SoundingNotes);
    }

    [Fact]
    public void FourteenBitPairsRefineTimbreAndPressure()
    {
        Send("91 3C 50 B1 4A 40 B1 6A 7F");
        Assert.Equal((64 * 128 + 127) / 16383f, _log.Last.Y);
        Send("B1 46 20 B1 66 01");
        Assert.Equal((32 * 128 + 1) / 16383f, _log.Last.Pressure);
    }

    [Fact]
    public void PolyAftertouchSetsThePressureOfItsKey()
    {
        Send("91 3C 50 A1 3C 50");
        Assert.Equal(0x50 / 127f, _log.Last.Pressure);
    }

    [Fact]
    public void OnAChannelSharedByNotesExpressionGoesToTheNoteLastPlayed()
    {
        Send("91 3C 50 91 3E 50 D1 40");
        Assert.Equal(62f, _log.Last.X);
        Assert.Equal(3, _log.Touches.Count);
    }

    [Fact]
    public void APlainKeyboardsNotesShareTheChannelsExpressionWithRange2()
    {
        Plain();
        Send("90 3C 50 90 40 50 E0 7F 7F D0 40");
        var moves = Phase(TouchPhase.Move);
        Assert.Equal([62f, 66f, 62f, 66f], moves.Select(t => t.X));
        Assert.All(moves.TakeLast(2), t => Assert.Equal(64 / 127f, t.Pressure));
    }

    [Fact]
    public void APlainKeyboardKeepsItsWheelAcrossNotesAndTakesRpn0()
    {
        Plain();
        Send("B0 64 00 B0 65 00 B0 06 0C E0 7F 7F 90 3C 50 80 3C 40 90 3E 50");
        Assert.Equal([72f, 74f], Phase(TouchPhase.Start).Select(t => t.X));
    }

    [Fact]
    public void APlainKeyboardTurnsMpeWithAnMcm()
    {
        Plain();
        Send("B0 64 06 B0 65 00 B0 06 0F 91 3C 50 E1 7F 7F");
        Assert.Equal(60f + 48f, _log.Last.X, 3);
    }

    [Fact]
    public void TrackingAllocatesNothing()
    {
        byte[] phrase = TouchLog.Hex("91 3C 50 E1 00 50 D1 40 B1 4A 30 B0 40 7F 81 3C 40 B0 40 00 92 3E 50 82 3E 00");
        var quiet = new MpeKeyboard(new NullSink(), MpeZoneLayout.Lower(15));
        quiet.Feed(phrase, 0);
        Assert.Equal(0, Support.Allocations.Of(() =>
        {
            for (int i = 0; i < 1000; i++) quiet.Feed(phrase, i);
        }));
    }

    private sealed class NullSink : ITouchSink
    {
        public void Touch(in Touch touch) { }
    }

    private sealed class NoteLog : IMpeListener
    {
        public List<MpeNote> Ended { get; } = [];
        public void NoteStarted(in MpeNote note) { }
        public void NoteChanged(in MpeNote note) { }
        public void NoteEnded(in MpeNote note) => Ended.Add(note);
    }
}
