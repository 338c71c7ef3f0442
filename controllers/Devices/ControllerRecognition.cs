namespace LatentTerrain.Controllers.Devices;

/// <summary>What a MIDI input port is, guessed from its name: the controller kind (and so the device logic and default profile) to use.</summary>
/// <param name="Kind">The kind of controller.</param>
/// <param name="Launchpad">The Launchpad model, for <see cref="ControllerKind.Launchpad"/>.</param>
/// <param name="Skip">Why the port should not be opened at all (a Launchpad's DAW port), or null.</param>
public sealed record ControllerRecognition(ControllerKind Kind, LaunchpadModel? Launchpad = null, string? Skip = null)
{
    private static readonly (string Fragment, ControllerKind Kind)[] Names =
    [
        ("Sensel", ControllerKind.Sensel),
        ("Morph", ControllerKind.Sensel),
        ("Seaboard", ControllerKind.MpeKeyboard),
        ("LinnStrument", ControllerKind.MpeKeyboard),
        ("Osmose", ControllerKind.MpeKeyboard),
        ("Lightpad", ControllerKind.MpeKeyboard),
        ("ROLI", ControllerKind.MpeKeyboard),
        ("MPE", ControllerKind.MpeKeyboard),
    ];

    /// <summary>
    /// Launchpads by their names (see <see cref="LaunchpadProtocol.TryRecognisePort"/>), the MPE
    /// controllers of research/controllers.md and the Sensel by theirs; anything else is a
    /// <see cref="ControllerKind.Keyboard"/>, which turns MPE when it sends an MPE Configuration Message.
    /// A Launchpad answering the Device Inquiry (<see cref="LaunchpadProtocol.TryReadInquiryReply"/>)
    /// is one whatever its port is called.
    /// </summary>
    public static ControllerRecognition FromPortName(string portName)
    {
        if (LaunchpadProtocol.TryRecognisePort(portName, out var model))
            return LaunchpadProtocol.IsProgrammerPort(portName)
                ? new ControllerRecognition(ControllerKind.Launchpad, model)
                : new ControllerRecognition(ControllerKind.Launchpad, model, $"{portName}: the Launchpad's DAW port; its pads play through its MIDI port");
        foreach (var (fragment, kind) in Names)
            if (portName.Contains(fragment, StringComparison.OrdinalIgnoreCase)) return new ControllerRecognition(kind);
        return new ControllerRecognition(ControllerKind.Keyboard);
    }
}
