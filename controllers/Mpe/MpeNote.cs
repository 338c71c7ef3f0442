using LatentTerrain.Controllers.Midi;

namespace LatentTerrain.Controllers.Mpe;

/// <summary>A sounding note as the tracker knows it, handed to <see cref="IMpeListener"/> by value.</summary>
/// <param name="Id">Unique among the notes that sound at once; a retriggered key gets a new one.</param>
/// <param name="Channel">The channel it was played on.</param>
/// <param name="Note">Its key.</param>
/// <param name="Strike">Note On velocity, 0..1.</param>
/// <param name="Lift">Release velocity, 0..1 (0 while the key is held).</param>
/// <param name="Pressure">Z: channel pressure (or poly aftertouch, or CC70), 0..1.</param>
/// <param name="Timbre">Y: CC74, 0..1, centred at 0.5.</param>
/// <param name="Bend">Total pitch bend in semitones: the note's bend times the per-note range plus the manager's bend times the manager range.</param>
public readonly record struct MpeNote(int Id, MidiChannel Channel, SevenBitNumber Note, float Strike, float Lift, float Pressure, float Timbre, float Bend, MpeNoteState State)
{
    /// <summary>The note's pitch in semitones, key plus total bend: where a finger is along an MPE keyboard.</summary>
    public float Pitch => Note.Value + Bend;
}
