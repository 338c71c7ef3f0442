using LatentTerrain.Controllers.Devices;
using LatentTerrain.Controllers.Touches;

namespace LatentTerrain.Tests.Controllers;

public class LaunchpadTests
{
    private readonly TouchLog _log = new();

    [Theory]
    [InlineData("Launchpad X:Launchpad X LPX MIDI In 20:1", LaunchpadModel.X)]
    [InlineData("LPX MIDI", LaunchpadModel.X)]
    [InlineData("Launchpad Mini MK3 LPMiniMK3 MIDI Out", LaunchpadModel.MiniMk3)]
    [InlineData("MIDIIN2 (LPMiniMK3 MIDI)", LaunchpadModel.MiniMk3)]
    [InlineData("LPProMK3 MIDI", LaunchpadModel.ProMk3)]
    [InlineData("Launchpad Pro MK3:Launchpad Pro MK3 MIDI 2 24:1", LaunchpadModel.ProMk3)]
    public void ItsMidiPortIsRecognisedByName(string port, LaunchpadModel model)
    {
        var recognised = ControllerRecognition.FromPortName(port);
        Assert.Equal(new ControllerRecognition(ControllerKind.Launchpad, model), recognised);
    }

    [Theory]
    [InlineData("Launchpad X LPX DAW In")]
    [InlineData("LPProMK3 DIN")]
    [InlineData("Launchpad Mini MK3:Launchpad Mini MK3 MIDI 1 24:0")]
    public void ItsOtherPortsAreSkipped(string port) => Assert.NotNull(ControllerRecognition.FromPortName(port).Skip);

    [Theory]
    [InlineData("Seaboard RISE 49", ControllerKind.MpeKeyboard)]
    [InlineData("LinnStrument MIDI", ControllerKind.MpeKeyboard)]
    [InlineData("Sensel Morph", ControllerKind.Sensel)]
    [InlineData("Midi Through Port-0", ControllerKind.Keyboard)]
    public void OtherControllersAreRecognisedByName(string port, ControllerKind kind) => Assert.Equal(kind, ControllerRecognition.FromPortName(port).Kind);

    [Theory]
    [InlineData("F0 7E 00 06 02 00 20 29 03 01 00 00 00 01 02 03 F7", LaunchpadModel.X)]
    [InlineData("F0 7E 00 06 02 00 20 29 13 01 00 00 00 01 02 03 F7", LaunchpadModel.MiniMk3)]
    [InlineData("F0 7E 7F 06 02 00 20 29 23 01 00 00 00 01 02 03 F7", LaunchpadModel.ProMk3)]
    public void ItIsRecognisedByItsDeviceInquiryReply(string reply, LaunchpadModel model)
    {
        Assert.True(LaunchpadProtocol.TryReadInquiryReply(TouchLog.Hex(reply), out var read));
        Assert.Equal(model, read);
    }

    [Theory]
    [InlineData("F0 7E 00 06 02 00 20 29 13 11 00 00 00 01 02 03 F7")] // bootloader
    [InlineData("F0 7E 00 06 02 00 20 29 69 01 00 00 00 01 02 03 F7")] // another Novation
    [InlineData("F0 7E 00 06 02 41 20 29 03 01 00 00 00 01 02 03 F7")] // another maker
    public void OtherInquiryRepliesAreNotLaunchpads(string reply) => Assert.False(LaunchpadProtocol.TryReadInquiryReply(TouchLog.Hex(reply), out _));

    [Fact]
    public void ProgrammerModeAndBackHaveTheDocumentedBytes()
    {
        Assert.Equal(TouchLog.Hex("F0 7E 7F 06 01 F7"), LaunchpadProtocol.DeviceInquiry.ToArray());
        Assert.Equal(TouchLog.Hex("F0 00 20 29 02 0C 0E 01 F7"), LaunchpadProtocol.ProgrammerMode(LaunchpadModel.X, true));
        Assert.Equal(TouchLog.Hex("F0 00 20 29 02 0D 0E 00 F7"), LaunchpadProtocol.ProgrammerMode(LaunchpadModel.MiniMk3, false));
        Assert.Equal(TouchLog.Hex("F0 00 20 29 02 0E 0E 01 F7"), LaunchpadProtocol.ProgrammerMode(LaunchpadModel.ProMk3, true));
    }

    [Fact]
    public void PadsAreTouchesAtTheirCentres()
    {
        var pad = new Launchpad(LaunchpadModel.X, _log, glideDistance: 0);
        pad.Feed(TouchLog.Hex("90 0B 7F 90 58 40 90 0B 00 80 58 00"), 1.5);
        Assert.Equal([(TouchPhase.Start, 0.5f, 0.5f), (TouchPhase.Start, 7.5f, 7.5f), (TouchPhase.End, 0.5f, 0.5f), (TouchPhase.End, 7.5f, 7.5f)],
            _log.Touches.Select(t => (t.Phase, t.X, t.Y)));
        Assert.Equal(0x40 / 127f, _log.Touches[1].Velocity);
        Assert.All(_log.Touches, t => Assert.Equal(1.5, t.Time));
    }

    [Fact]
    public void ButtonsOutsideTheGridAreNotTouches()
    {
        var pad = new Launchpad(LaunchpadModel.ProMk3, _log);
        pad.Feed(TouchLog.Hex("B0 5B 7F 90 13 7F 90 59 7F 90 0A 7F"), 0);
        Assert.Empty(_log.Touches);
    }

    [Fact]
    public void ANeighbouringPadGlidesTheTouchAndItsReleaseGlidesBack()
    {
        var pad = new Launchpad(LaunchpadModel.X, _log);
        pad.Feed(TouchLog.Hex("90 2C 7F 90 2D 7F 90 2D 00 90 2C 00"), 0); // row 4: columns 4, 5
        Assert.Equal([(TouchPhase.Start, 3.5f), (TouchPhase.Move, 4.5f), (TouchPhase.Move, 3.5f), (TouchPhase.End, 3.5f)], _log.Touches.Select(t => (t.Phase, t.X)));
        Assert.Single(_log.Touches.Select(t => t.Id).Distinct());
    }

    [Fact]
    public void FarPadsAreTouchesOfTheirOwn()
    {
        var pad = new Launchpad(LaunchpadModel.X, _log);
        pad.Feed(TouchLog.Hex("90 0B 7F 90 58 7F"), 0);
        Assert.Equal(2, _log.Touches.Select(t => t.Id).Distinct().Count());
    }

    [Fact]
    public void AftertouchSetsPressureAndPressureStartsAtTheVelocity()
    {
        var pad = new Launchpad(LaunchpadModel.ProMk3, _log, glideDistance: 0);
        pad.Feed(TouchLog.Hex("90 0B 40"), 0);
        Assert.Equal(0x40 / 127f, _log.Last.Pressure);
        pad.Feed(TouchLog.Hex("A0 0B 10"), 0);
        Assert.Equal(0x10 / 127f, _log.Last.Pressure);
        pad.Feed(TouchLog.Hex("D0 7F"), 0);
        Assert.Equal(1f, _log.Last.Pressure);
    }

    [Fact]
    public void TheLedFrameIsOneRgbSysExOf328BytesInGrey()
    {
        var lights = new LaunchpadLights(LaunchpadModel.X);
        var picture = new byte[64];
        for (int i = 0; i < 64; i++) picture[i] = (byte)(i * 4); // row 0 at the top
        lights.SetPicture(picture);
        lights.SetLitPads(LaunchpadLights.PadBit(0, 0));
        Assert.True(lights.TryTakeFrame(0, out var frame));
        Assert.Equal(328, frame.Length);
        Assert.Equal(TouchLog.Hex("F0 00 20 29 02 0C 03"), frame[..7].ToArray());
        Assert.Equal(0xF7, frame[^1]);
        // First spec: pad 11 (bottom-left), lit amber; second: pad 12, the bottom image row's second pixel (56 + 1) * 4 / 2.
        Assert.Equal(TouchLog.Hex("03 0B 7F 30 00 03 0C 72 72 72"), frame[7..17].ToArray());
        // Last spec: pad 88 (top-right), the image's pixel 7: 28 / 2.
        Assert.Equal(TouchLog.Hex("03 58 0E 0E 0E"), frame[^6..^1].ToArray());
    }

    [Fact]
    public void FramesAreRateLimitedAndSentOnlyAfterAChange()
    {
        var lights = new LaunchpadLights(LaunchpadModel.MiniMk3, minimumInterval: 0.05);
        Assert.True(lights.TryTakeFrame(0, out _));
        Assert.False(lights.TryTakeFrame(1, out _)); // nothing changed
        lights.SetLitPads(1);
        Assert.True(lights.TryTakeFrame(1.01, out _));
        lights.SetLitPads(2);
        Assert.False(lights.TryTakeFrame(1.03, out _)); // too soon: held back
        Assert.True(lights.TryTakeFrame(1.07, out var frame));
        Assert.Equal(0x0D, frame[5]);
        Assert.Equal(TouchLog.Hex("03 0C 7F 30 00"), frame[12..17].ToArray());
    }

    [Fact]
    public void TheRightHandSideButtonsAreNumberedFromTheTop()
    {
        Assert.Equal([(0x59, 1), (0x4F, 2), (0x13, 8)], new[] { 0x59, 0x4F, 0x13 }.Select(cc => (cc, Launchpad.IsSideButton(cc, out int button) ? button : -1)));
        Assert.All(new[] { 9, 18, 91, 98, 99, 10, 80, -1, 200 }, cc => Assert.False(Launchpad.IsSideButton(cc, out _)));
        Assert.Equal(89, Launchpad.SideButtonController(1));
        Assert.Equal(19, Launchpad.SideButtonController(8));
        Assert.Throws<ArgumentOutOfRangeException>(() => Launchpad.SideButtonController(9));
    }

    [Fact]
    public void TheNewestPadHeldIsKnown()
    {
        var pad = new Launchpad(LaunchpadModel.X, _log);
        Assert.False(pad.Grid.TryLatestHeld(out _, out _));
        pad.Feed(TouchLog.Hex("90 0B 7F 90 2D 7F 90 16 7F 90 16 00"), 0); // pads (0, 0) and (4, 3) held, (1, 1) pressed and released
        Assert.True(pad.Grid.TryLatestHeld(out int column, out int row));
        Assert.Equal((4, 3), (column, row));
        pad.Feed(TouchLog.Hex("90 0B 00 80 2D 00"), 0);
        Assert.False(pad.Grid.TryLatestHeld(out _, out _));
    }

    [Fact]
    public void TheSideButtonsFrameIsSentWhenWhichAreLitChanges()
    {
        var lights = new LaunchpadLights(LaunchpadModel.ProMk3);
        Assert.False(lights.TryTakeSideFrame(out _)); // never set: the buttons are left alone
        lights.SetLitSideButtons(0b1000_0001);
        Assert.True(lights.TryTakeSideFrame(out var frame));
        Assert.Equal(48, frame.Length);
        Assert.Equal(TouchLog.Hex("F0 00 20 29 02 0E 03"), frame[..7].ToArray());
        Assert.Equal(TouchLog.Hex("03 59 00 7F 18 03 4F 00 00 00"), frame[7..17].ToArray()); // button 1 (CC 89) lit green, 2 dark
        Assert.Equal(TouchLog.Hex("03 13 00 7F 18 F7"), frame[^6..].ToArray());               // button 8 (CC 19) lit
        lights.SetLitSideButtons(0b1000_0001);
        Assert.False(lights.TryTakeSideFrame(out _));
        lights.SetLitSideButtons(0);
        Assert.True(lights.TryTakeSideFrame(out frame));
        Assert.Equal(TouchLog.Hex("03 59 00 00 00"), frame[7..12].ToArray());
    }
}
