namespace LatentTerrain.Controllers.Files;

/// <summary>A Set Tempo meta event: from <see cref="Tick"/> (at <see cref="Seconds"/>) a quarter note lasts <see cref="MicrosecondsPerQuarter"/>.</summary>
public readonly record struct TempoChange(long Tick, double Seconds, int MicrosecondsPerQuarter)
{
    /// <summary>120 beats per minute, in force until a file sets another tempo.</summary>
    public const int DefaultMicrosecondsPerQuarter = 500_000;
}
