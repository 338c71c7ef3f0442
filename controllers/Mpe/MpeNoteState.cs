namespace LatentTerrain.Controllers.Mpe;

/// <summary>The life of a note, as in JUCE's MPEInstrument (a note that is off no longer exists).</summary>
public enum MpeNoteState : byte
{
    /// <summary>The key is held.</summary>
    KeyDown,
    /// <summary>The key is held and a pedal (sustain, or sostenuto that caught it) would keep the note after release.</summary>
    KeyDownAndSustained,
    /// <summary>The key is up, a pedal keeps the note sounding; its expression is frozen.</summary>
    Sustained,
}
