namespace LatentTerrain.Tui;

/// <summary>Where a placed point's latent comes from: a playing cursor, the live input, or a moment of a fragment.</summary>
internal enum SourceKind { Cursor, Input, Fragment }

/// <summary>The latent source of point mode's next point (`point X Y SOURCE`), a value so a tick can compare it without allocating.</summary>
internal readonly record struct PointSource(SourceKind Kind, int Cursor = 0, int Fragment = 0, double Seconds = 0)
{
    /// <summary>The source as the action line ends: <c>cursor C</c>, <c>input</c>, <c>fragment N SECONDS</c>.</summary>
    public string Words => Kind switch
    {
        SourceKind.Cursor => $"cursor {Cursor}",
        SourceKind.Input => "input",
        _ => $"fragment {Fragment} {ActionLines.Seconds(Seconds)}",
    };
}
