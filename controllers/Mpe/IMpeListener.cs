namespace LatentTerrain.Controllers.Mpe;

/// <summary>What an <see cref="MpeTracker"/> reports, on the thread that feeds it.</summary>
public interface IMpeListener
{
    void NoteStarted(in MpeNote note);

    /// <summary>Pressure, timbre or bend of a held note changed.</summary>
    void NoteChanged(in MpeNote note);

    /// <summary>The note stopped sounding: its key went up with no pedal holding it, a pedal let it go, it was retriggered, or its zone was reset.</summary>
    void NoteEnded(in MpeNote note);
}
