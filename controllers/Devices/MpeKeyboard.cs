using LatentTerrain.Controllers.Midi;
using LatentTerrain.Controllers.Mpe;
using LatentTerrain.Controllers.Touches;

namespace LatentTerrain.Controllers.Devices;

/// <summary>
/// An MPE controller, a Sensel Morph in MPE mode, or a plain MIDI keyboard: every note is a touch.
/// X is the note's pitch in semitones (key plus total pitch bend, so a finger gliding along a
/// Seaboard moves smoothly), Y its timbre (CC74, 0..1), pressure its channel pressure, velocity its
/// strike. A note sustained by a pedal stays a touch, frozen, until the pedal lets it go.
/// </summary>
public sealed class MpeKeyboard : MidiController, IMpeListener
{
    public MpeKeyboard(ITouchSink touches, MpeZoneLayout layout) : base(touches) => Tracker = new MpeTracker(this, layout);

    public MpeTracker Tracker { get; }

    public override void Receive(in MidiMessage message) => Tracker.Receive(message);

    protected override void EndAllTouches() => Tracker.ReleaseAll();

    void IMpeListener.NoteStarted(in MpeNote note) => Emit(note, TouchPhase.Start);

    void IMpeListener.NoteChanged(in MpeNote note) => Emit(note, TouchPhase.Move);

    void IMpeListener.NoteEnded(in MpeNote note) => Emit(note, TouchPhase.End);

    private void Emit(in MpeNote note, TouchPhase phase) =>
        Touches.Touch(new Touch(note.Id, phase, note.Pitch, note.Timbre, note.Pressure, note.Strike, Now));
}
