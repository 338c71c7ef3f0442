namespace LatentTerrain.Tests.Support;

/// <summary>
/// A test that needs real-time scheduling for a thread of its own (as a device's thread has it):
/// Linux grants it to root, as on these machines and CI. Skipped, with the reason, elsewhere.
/// </summary>
public sealed class RealtimeFactAttribute : FactAttribute
{
    public RealtimeFactAttribute()
    {
        if (!OperatingSystem.IsLinux() || !Environment.IsPrivilegedProcess) Skip = "real-time scheduling needs root here";
    }
}
