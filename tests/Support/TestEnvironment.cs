using System.Runtime.CompilerServices;

namespace LatentTerrain.Tests.Support;

/// <summary>
/// Keeps the tests' sessions out of the user's: `terrain play` alone opens the last session in
/// $XDG_DATA_HOME/latent-terrain, so this process (and what it starts, unless a test says otherwise)
/// keeps its sessions in a scratch folder of its own.
/// </summary>
internal static class TestEnvironment
{
    [ModuleInitializer]
    internal static void KeepSessionsApart() =>
        Environment.SetEnvironmentVariable("XDG_DATA_HOME", Path.Combine(Path.GetTempPath(), "latent-terrain-tests", $"data-{Environment.ProcessId}"));
}
