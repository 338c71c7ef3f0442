using LatentTerrain.Controllers.Devices;
using LatentTerrain.Controllers.Files;
using LatentTerrain.Controllers.Midi;
using LatentTerrain.Engine.Maps;
using LatentTerrain.Engine.Rendering;

namespace LatentTerrain.Mappings;

/// <summary>
/// A MIDI file as a gesture: its events are fed, at their times, to the same device logic and
/// mapping that play live, and the cursors written are kept (<see cref="GestureRecorder"/>), so a
/// performance recorded in a DAW renders offline as it would have sounded.
/// </summary>
public static class MidiRendering
{
    public static Gesture ToGesture(MidiFile file, MappingProfile profile, PlaneBounds bounds)
    {
        var recorder = new GestureRecorder();
        var mapping = new Mapping(profile, bounds, recorder, new CursorAllocator());
        var controller = MidiControllers.Create(profile, mapping);
        foreach (var e in file.Events) controller.Feed(e.Bytes, e.Seconds);
        controller.ReleaseAll(file.Duration);
        return recorder.ToGesture();
    }

    /// <summary>
    /// The kind of controller a file was most likely played on, when no profile is given: notes on
    /// more than one channel, or an MPE Configuration Message, make it an MPE keyboard; else a keyboard.
    /// </summary>
    public static ControllerKind GuessKind(MidiFile file)
    {
        int channels = 0;
        foreach (var e in file.Events)
        {
            if (e.Bytes is not [var status, ..] || status is < 0x80 or >= 0xF0) continue;
            var message = new MidiMessage(status, e.Bytes.Length > 1 ? e.Bytes[1] : (byte)0, e.Bytes.Length > 2 ? e.Bytes[2] : (byte)0);
            if (message.Kind == MidiMessageKind.NoteOn) channels |= 1 << message.Channel.Index;
            if (message.Kind == MidiMessageKind.ControlChange && message.Data1 == 100 && message.Data2 == 6) return ControllerKind.MpeKeyboard;
        }
        return System.Numerics.BitOperations.PopCount((uint)channels) > 1 ? ControllerKind.MpeKeyboard : ControllerKind.Keyboard;
    }
}
