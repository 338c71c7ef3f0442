using System.Diagnostics;
using LatentTerrain.Controllers.Devices;
using LatentTerrain.Controllers.Midi;
using LatentTerrain.Engine.Maps;
using LatentTerrain.Instrument.Actions;
using LatentTerrain.Engine.Synthesis;
using LatentTerrain.Mappings;

namespace LatentTerrain.Instrument.Live;

/// <summary>
/// One MIDI input the live instrument plays: its port, the profile chosen for it and the device
/// logic its bytes go through. It is the input's <see cref="IRawMidiReceiver"/>: each message is fed
/// to the controller on the input's thread, stamped with its arrival on the monotonic clock of
/// <see cref="LiveControllers.Now"/> (<see cref="MidiInput.ArrivalTimestamp"/>, taken in RtMidi's
/// callback); nothing is allocated per message. <see cref="MidiLearn"/>, when there is one, is offered
/// each message first (a bound control performs its action instead of playing), then a Launchpad's
/// side buttons (<see cref="LaunchpadSideButtons"/>).
/// </summary>
public sealed class LiveControllerInput : IRawMidiReceiver
{
    // Feeding (the MIDI thread) and releasing (the port watcher's thread, or stopping) never overlap;
    // uncontended, as it is but for the moment a device goes away, taking it costs tens of nanoseconds.
    private readonly Lock _gate = new();
    private readonly MidiLearn? _learn;
    private readonly LaunchpadSideButtons? _sideButtons;
    /// <summary>The port's identity, kept: working it out for an ALSA port allocates.</summary>
    private readonly string _identity;

    internal LiveControllerInput(MidiPort port, MappingProfile profile, string profileSource, MidiController controller,
        MidiLearn? learn = null, LaunchpadSideButtons? sideButtons = null)
    {
        Port = port;
        Profile = profile;
        ProfileSource = profileSource;
        Controller = controller;
        (_learn, _sideButtons, _identity) = (learn, sideButtons, port.Identity);
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
        // Until the input is set (the moment it opens) the message is stamped on entry instead.
        double arrival = Connection is { } input ? input.ArrivalTimestamp / (double)Stopwatch.Frequency : LiveControllers.Now;
        lock (_gate)
        {
            if (_learn?.Offer(_identity, message) == true || _sideButtons?.Offer(message) == true) return;
            Controller.Feed(message, arrival);
        }
    }

    /// <summary>Ends every touch of this input (its device went away, or playing stops), the positions its buttons recall among them.</summary>
    public void ReleaseAll()
    {
        lock (_gate)
        {
            Controller.ReleaseAll(LiveControllers.Now);
            _learn?.ReleaseAll(_identity);
            _sideButtons?.ReleaseAll();
        }
    }

    /// <summary>
    /// Runs every path a message can take (parser, MPE tracker, pads, XY, mapping, MIDI learn, side
    /// buttons, the lock) through a throwaway input of the same profile onto a throwaway board and
    /// throwaway actions, so that nothing is compiled on the input's thread when the first real
    /// messages come: the first note would otherwise sound milliseconds late.
    /// </summary>
    internal static void WarmUp(MappingProfile profile, PlaneBounds bounds, LaunchpadModel launchpad)
    {
        var mapping = new Mapping(profile, bounds, new CursorBoardOutput(new CursorBoard()), new CursorAllocator());
        var controller = MidiControllers.Create(profile, mapping, launchpad);
        var port = new MidiPort(MidiApi.Dummy, MidiDirection.Input, 0, "warm-up", 0);
        using var learn = new MidiLearn(_ => "", TextWriter.Null);
        learn.Import([new MidiBinding(port.Identity, 1, MidiControlKind.ControlChange, 120, "recall 1")]);
        var rehearsal = new LiveControllerInput(port, profile, "", controller, learn,
            controller is Launchpad pads ? new LaunchpadSideButtons(pads, mapping, learn) : null);
        for (int round = 0; round < 3; round++)
        {
            foreach (byte[] message in WarmUpPhrase) rehearsal.Receive(message, 0);
            rehearsal.ReleaseAll();
        }
    }

    /// <summary>
    /// An MPE configuration, a note with every expression and pedal, pad presses, aftertouch and
    /// glides, a bound control pressed and released, a side button pressed with a pad held, and every
    /// control change (whatever an XY controller listens to; a side button's press among them).
    /// </summary>
    private static readonly byte[][] WarmUpPhrase =
    [
        [0xB0, 120, 127], [0xB0, 120, 0], [0x90, 11, 127], [0xB0, 89, 127], [0xB0, 89, 0], [0x90, 11, 0],
        [0xB0, 0x64, 0x06], [0xB0, 0x65, 0x00], [0xB0, 0x06, 0x0F], [0xB1, 0x64, 0x00], [0xB1, 0x65, 0x00], [0xB1, 0x06, 0x30],
        [0x91, 60, 100], [0xE1, 0x00, 0x50], [0xB1, 74, 64], [0xB1, 106, 10], [0xD1, 64], [0xB1, 70, 64], [0xB1, 102, 10],
        [0xE0, 0x00, 0x30], [0xB0, 64, 127], [0xB0, 66, 127], [0x81, 60, 64], [0xB0, 64, 0], [0xB0, 66, 0], [0x92, 61, 0],
        [0x90, 11, 127], [0x90, 12, 100], [0xA0, 12, 64], [0xD0, 64], [0x90, 11, 0], [0x80, 12, 0], [0xB0, 91, 127],
        [0xF0, 0x7E, 0x7F, 0x06, 0x02, 0x00, 0x20, 0x29, 0x03, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF7],
        .. Enumerable.Range(0, 120).Select(controller => new byte[] { 0xB0, (byte)controller, (byte)(controller % 128) }),
    ];

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
