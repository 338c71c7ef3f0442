using LatentTerrain.Controllers.Devices;
using LatentTerrain.Controllers.Touches;

namespace LatentTerrain.Mappings;

/// <summary>The device logic a profile's controller kind plays through, for MIDI inputs.</summary>
public static class MidiControllers
{
    /// <summary>
    /// A controller for <paramref name="profile"/>'s kind that sends its touches to <paramref name="touches"/>
    /// (the mapping): MPE zones, glide and XY assignment come from the profile. Throws
    /// <see cref="ArgumentException"/> for kinds that are not MIDI devices (computer keyboard, mouse).
    /// </summary>
    public static MidiController Create(MappingProfile profile, ITouchSink touches, LaunchpadModel launchpad = LaunchpadModel.X) => profile.Kind switch
    {
        ControllerKind.Keyboard or ControllerKind.MpeKeyboard or ControllerKind.Sensel => new MpeKeyboard(touches, profile.MpeZones),
        ControllerKind.Launchpad => new Launchpad(launchpad, touches, profile.Glide),
        ControllerKind.GenericXy => new XyController(profile.Xy, touches),
        _ => throw new ArgumentException($"a {Names.Kind(profile.Kind)} profile does not play a MIDI device"),
    };
}
