namespace LatentTerrain.Controllers.Touches;

/// <summary>Where a touch is in its life: it starts once, moves any number of times, ends once.</summary>
public enum TouchPhase : byte
{
    Start,
    Move,
    End,
}
