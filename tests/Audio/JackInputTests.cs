using System.Diagnostics;
using LatentTerrain.Engine.Audio;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Audio;

/// <summary>JACK's input, recorded by the output's own client, on JACK servers of the tests' own (dummy driver, 48 kHz, 128-frame periods).</summary>
[Collection(JackServer.Collection)]
public sealed class JackInputTests
{
    private const int Rate = 48000;

    /// <summary>
    /// The input is the output's own client: ports terrain:in_0 and terrain:in_1 beside out_0 and
    /// out_1, no second client (libjack would free it behind our back after a server's death), each
    /// fed by a physical capture port once the output starts, recorded into the history.
    /// </summary>
    [JackFact]
    public void JACKs_input_ports_are_the_outputs_own_fed_by_the_capture_ports()
    {
        using var server = JackServer.Start();
        using var output = AudioOutput.Open(new AudioRing(4096, 2), Rate);
        using var input = AudioInput.Open(output, seconds: 5);

        Assert.Equal(("system", 2, Rate, true), (input.Name, input.Channels, input.SampleRate, input.IsOnJack));
        output.Start();
        var ports = server.Ports();
        Assert.Equal(["terrain:in_0", "terrain:in_1", "terrain:out_0", "terrain:out_1"], ports.Where(port => port.StartsWith("terrain", StringComparison.Ordinal)).Order());
        Assert.True(server.Connected("system:capture_1", "terrain:in_0") && server.Connected("system:capture_2", "terrain:in_1"), server.Connections());
        var clock = Stopwatch.StartNew();
        while (input.History.FramesWritten < Rate / 10 && clock.Elapsed < TimeSpan.FromSeconds(10)) Thread.Sleep(5);
        Assert.True(input.History.FramesWritten >= Rate / 10, $"{input.History.FramesWritten} frames recorded in 10 s");
        Assert.False(input.Lost);
    }

    /// <summary>An input named as no device is refused in one line that lists the inputs there are.</summary>
    [JackFact]
    public void An_unknown_input_is_refused_with_the_list_of_inputs()
    {
        using var server = JackServer.Start();
        using var output = AudioOutput.Open(new AudioRing(4096, 2), Rate);

        var error = Assert.Throws<AudioDeviceException>(() => AudioInput.Open(output, "Focusrite"));

        Assert.Equal("no audio input device is called 'Focusrite': the input devices are 0 'system' (JACK Audio Connection Kit)", error.Message);
        Assert.DoesNotContain("terrain:in_0", server.Ports());
    }
}
