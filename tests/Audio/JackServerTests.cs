using LatentTerrain.Engine.Audio;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Audio;

/// <summary>The tests' own JACK servers (Support/JackServer.cs), which other tests lean on.</summary>
[Collection(JackServer.Collection)]
public sealed class JackServerTests
{
    [JackFact]
    public void A_server_runs_under_its_own_name_records_and_is_gone_after_dispose()
    {
        string path = Path.Combine(Paths.NewScratch(), "silence.wav");
        string name;
        using (var server = JackServer.Start())
        {
            name = server.Name;
            Assert.Equal(name, Environment.GetEnvironmentVariable(JackServer.Variable));
            Assert.Contains("system:monitor_1", server.Ports());

            server.Record(0.5, path, "system:monitor_1");
        }

        var recorded = AudioFile.Read(path);
        Assert.Equal((48000, 1, 24000), (recorded.SampleRate, recorded.Channels, recorded.Frames));
        Assert.Equal(0, Spectrum.Peak(recorded.Samples));
        Assert.NotEqual(name, Environment.GetEnvironmentVariable(JackServer.Variable));
        Assert.DoesNotContain(Directory.GetFileSystemEntries("/dev/shm"), entry => Path.GetFileName(entry).Contains($"_{name}_"));
    }

    [JackFact]
    public void A_killed_server_starts_again_under_the_same_name()
    {
        using var server = JackServer.Start();
        int first = server.ProcessId;

        server.Kill();
        server.Restart();

        Assert.NotEqual(first, server.ProcessId);
        Assert.Contains("system:playback_1", server.Ports());
    }
}
