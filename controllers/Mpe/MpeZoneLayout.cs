namespace LatentTerrain.Controllers.Mpe;

/// <summary>
/// Which channels belong to MPE zones: the lower zone's manager is channel 1 with members 2, 3, ...
/// upward; the upper zone's manager is channel 16 with members 15, 14, ... downward. A zone with no
/// members does not exist; with neither zone the input is a plain keyboard (see <see cref="MpeTracker"/>).
/// </summary>
public readonly record struct MpeZoneLayout
{
    /// <summary>Manager plus members of both zones fit into 16 channels: at most 14 members together when both exist, 15 for one alone.</summary>
    private MpeZoneLayout(int lower, int upper) => (LowerMembers, UpperMembers) = (lower, upper);

    public int LowerMembers { get; }
    public int UpperMembers { get; }

    /// <summary>No zone: a plain keyboard, every channel on its own.</summary>
    public static MpeZoneLayout None => default;

    /// <summary>Only a lower zone (what most MPE controllers send: members 2..16 for 15).</summary>
    public static MpeZoneLayout Lower(int members) => None.WithLower(members);

    public static MpeZoneLayout Upper(int members) => None.WithUpper(members);

    public bool IsMpe => LowerMembers > 0 || UpperMembers > 0;

    /// <summary>
    /// The layout after an MPE Configuration Message for the lower zone: when both zones would need
    /// more than the 16 channels, the upper zone shrinks (and disappears when nothing is left).
    /// </summary>
    public MpeZoneLayout WithLower(int members)
    {
        Check(members);
        return new MpeZoneLayout(members, members > 0 ? Math.Min(UpperMembers, Math.Max(0, 14 - members)) : UpperMembers);
    }

    /// <summary>The layout after an MPE Configuration Message for the upper zone; the lower zone shrinks as needed.</summary>
    public MpeZoneLayout WithUpper(int members)
    {
        Check(members);
        return new MpeZoneLayout(members > 0 ? Math.Min(LowerMembers, Math.Max(0, 14 - members)) : LowerMembers, members);
    }

    private static void Check(int members)
    {
        if ((uint)members > 15) throw new ArgumentOutOfRangeException(nameof(members), $"an MPE zone has 0..15 member channels, not {members}");
    }

    public override string ToString() => !IsMpe ? "no MPE zone" : $"lower zone {LowerMembers} members, upper zone {UpperMembers} members";
}
