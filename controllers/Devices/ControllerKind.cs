namespace LatentTerrain.Controllers.Devices;

/// <summary>The kinds of controller the instrument knows; each has its own device logic and default mapping profile.</summary>
public enum ControllerKind
{
    /// <summary>A MIDI keyboard with no MPE zone until it sends an MPE Configuration Message (any unrecognised MIDI input).</summary>
    Keyboard,
    /// <summary>An MPE controller: ROLI Seaboard, LinnStrument in MPE mode, Expressive E Osmose, any MPE source.</summary>
    MpeKeyboard,
    /// <summary>Sensel Morph in MPE / "no overlay" XYZ mode: one contact per channel.</summary>
    Sensel,
    /// <summary>Novation Launchpad X, Mini MK3 or Pro MK3 in programmer mode.</summary>
    Launchpad,
    /// <summary>Any controller that sends x and y as two control changes.</summary>
    GenericXy,
    /// <summary>The computer's keys as a small grid.</summary>
    ComputerKeyboard,
    /// <summary>The computer's mouse.</summary>
    Mouse,
}
