namespace LatentTerrain.Controllers.Devices;

/// <summary>
/// The bytes a Launchpad X, Mini MK3 or Pro MK3 understands and sends in programmer mode (Novation's
/// programmer's reference guides; research/controllers.md): SysEx header <c>F0 00 20 29 02 id</c>,
/// id 0C (X), 0D (Mini MK3), 0E (Pro MK3).
/// </summary>
public static class LaunchpadProtocol
{
    /// <summary>The Universal Device Inquiry every MIDI device should answer: <c>F0 7E 7F 06 01 F7</c>.</summary>
    public static ReadOnlySpan<byte> DeviceInquiry => [0xF0, 0x7E, 0x7F, 0x06, 0x01, 0xF7];

    /// <summary>Novation's manufacturer id and the start of every Launchpad SysEx.</summary>
    public static byte[] Header(LaunchpadModel model) => [0xF0, 0x00, 0x20, 0x29, 0x02, (byte)model];

    /// <summary>
    /// <c>header 0E 01 F7</c> enters programmer mode (pads send notes 11..88, LEDs take SysEx),
    /// <c>header 0E 00 F7</c> goes back to live mode. Always send the second on exit: the device's
    /// setup menu is locked in programmer mode.
    /// </summary>
    public static byte[] ProgrammerMode(LaunchpadModel model, bool on) => [.. Header(model), 0x0E, (byte)(on ? 1 : 0), 0xF7];

    /// <summary>
    /// Reads a Device Inquiry reply, <c>F0 7E dd 06 02 00 20 29 ff 01 00 00 v v v v F7</c>, where
    /// family ff is 03 (X), 13 (Mini MK3) or 23 (Pro MK3) and 01 means the application runs (a
    /// Launchpad in its bootloader answers 11 there and is not playable).
    /// </summary>
    public static bool TryReadInquiryReply(ReadOnlySpan<byte> message, out LaunchpadModel model)
    {
        model = default;
        if (message.Length < 11 || message[0] != 0xF0 || message[^1] != 0xF7) return false;
        if (message[1] != 0x7E || message[3] != 0x06 || message[4] != 0x02) return false;
        if (!message.Slice(5, 3).SequenceEqual((ReadOnlySpan<byte>)[0x00, 0x20, 0x29]) || message[9] != 0x01) return false;
        switch (message[8])
        {
            case 0x03: model = LaunchpadModel.X; return true;
            case 0x13: model = LaunchpadModel.MiniMk3; return true;
            case 0x23: model = LaunchpadModel.ProMk3; return true;
            default: return false;
        }
    }

    /// <summary>
    /// The model a port name belongs to: "LPX" / "Launchpad X", "LPMiniMK3" / "Launchpad Mini MK3",
    /// "LPProMK3" / "Launchpad Pro MK3", in any case (Windows, macOS, ALSA and JACK spell them differently).
    /// </summary>
    public static bool TryRecognisePort(string portName, out LaunchpadModel model)
    {
        string name = portName.Replace(" ", "").ToUpperInvariant();
        if (name.Contains("LPMINIMK3") || name.Contains("LAUNCHPADMINIMK3")) model = LaunchpadModel.MiniMk3;
        else if (name.Contains("LPPROMK3") || name.Contains("LAUNCHPADPROMK3")) model = LaunchpadModel.ProMk3;
        else if (name.Contains("LPX") || name.Contains("LAUNCHPADX")) model = LaunchpadModel.X;
        else
        {
            model = default;
            return false;
        }
        return true;
    }

    /// <summary>
    /// Whether a Launchpad's port is the one to play in programmer mode: its "MIDI" port (named
    /// "... LPX MIDI ..." by the device, "... MIDI 2" by ALSA), not the "DAW" port (ALSA's "MIDI 1")
    /// nor the Pro MK3's "DIN" port.
    /// </summary>
    public static bool IsProgrammerPort(string portName)
    {
        string name = portName.ToUpperInvariant();
        if (name.Contains("DAW") || name.Contains("DIN")) return false;
        int at = name.LastIndexOf("MIDI ", StringComparison.Ordinal);
        if (at >= 0 && at + 5 < name.Length && char.IsDigit(name[at + 5])) return name[at + 5] == '2';
        return name.Contains("MIDI");
    }
}
