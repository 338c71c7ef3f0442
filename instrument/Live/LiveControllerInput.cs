using LatentTerrain.Controllers.Devices;
using LatentTerrain.Controllers.Midi;
using LatentTerrain.Mappings;

namespace LatentTerrain.Instrument.Live;

/// <summary>
/// One MIDI input the live instrument plays: its port, the profile chosen for it and the device
/// logic its bytes go through. It is the input's <see cref="IRawMidiReceiver"/>: each message is fed
/// to the controller on the MIDI API's thread (JACK's process thread), stamped with the monotonic
/// <see cref="LiveControllers.Now"/> taken on arrival; nothing is allocated per message.
/// </summary>
public sealed class LiveControllerInput : IRawMidiReceiver
{
    // Feeding (the MIDI thread) and releasing (the port watcher's thread, or stopping) never overlap;
    // uncontended, as it is but for the moment a device goes away, taking it costs tens of nanoseconds.
    private readonly Lock _gate = new();

    internal LiveControllerInput(MidiPort port, MappingProfile profile, string profileSource, MidiController controller)
    {
        Port = port;
        Profile = profile;
        ProfileSource = profileSource;
        Controller = controller;
    }

    /// <summary>The port as it was found when opened.</summary>
    public MidiPort Port { get; }

    public MappingProfile Profile { get; }

    /// <summary>Where the profile came from: "built-in" or the file's path.</summary>
    public string ProfileSource { get; }

    public MidiController Controller { get; }

    /// <summary>The open input; set once it is open.</summary>
    public MidiInput? Connection { get; internal set; }

    public void Receive(ReadOnlySpan<byte> message, double deltaSeconds)
    {
        double now = LiveControllers.Now;
        lock (_gate) Controller.Feed(message, now);
    }

    /// <summary>Ends every touch of this input (its device went away, or playing stops).</summary>
    public void ReleaseAll()
    {
        lock (_gate) Controller.ReleaseAll(LiveControllers.Now);
    }

    /// <summary>The line <c>terrain play</c> prints for it: port, kind, profile.</summary>
    public override string ToString()
    {
        string kind = Profile.KindName + (Controller is Launchpad pad ? $" ({LaunchpadName(pad.Model)})" : "");
        return $"MIDI input {Port}: {kind}, profile {(ProfileSource == LiveControllers.BuiltIn ? $"built-in {Profile.KindName}" : ProfileSource)}";
    }

    private static string LaunchpadName(LaunchpadModel model) => model switch
    {
        LaunchpadModel.MiniMk3 => "Launchpad Mini MK3",
        LaunchpadModel.ProMk3 => "Launchpad Pro MK3",
        _ => "Launchpad X",
    };
}
