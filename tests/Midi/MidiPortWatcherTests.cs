using System.Collections.Concurrent;
using LatentTerrain.Controllers.Midi;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Midi;

/// <summary>Hot-plug: ports that go away and come back, on JACK servers of the tests' own.</summary>
[Collection(JackServer.Collection)]
public sealed class MidiPortWatcherTests
{
    [JackFact]
    public void A_port_that_disappears_is_reported_and_reconnected_when_it_returns()
    {
        using var server = JackServer.Start();
        var device = MidiOutput.OpenVirtual("pads", clientName: "launchpad");
        var log = new MessageLog();
        var list = MidiPorts.ListOnce();
        using var input = MidiInput.Open(list.Input("launchpad:pads"), log);
        var lights = new MessageLog();
        using var deviceLights = MidiInput.OpenVirtual("lights", lights, clientName: "launchpad-leds");
        using var output = MidiOutput.Open(MidiPorts.ListOnce().Output("launchpad-leds:lights"));
        var events = new BlockingCollection<string>();
        using var watcher = new MidiPortWatcher(TimeSpan.FromMilliseconds(20));
        watcher.Disappeared += name => events.Add($"gone {name}");
        watcher.Returned += name => events.Add($"back {name}");
        watcher.Watch(input);
        watcher.Watch(output);

        device.Send([0x90, 11, 127]);
        Assert.Single(log.WaitFor(1));
        device.Dispose();
        deviceLights.Dispose();

        Assert.Equal(["gone launchpad-leds:lights", "gone launchpad:pads"], Next(events, 2).Order());
        Assert.False(input.IsConnected);
        Assert.False(output.IsConnected);

        using var returned = MidiOutput.OpenVirtual("pads", clientName: "launchpad");
        var lightsAgain = new MessageLog();
        using var returnedLights = MidiInput.OpenVirtual("lights", lightsAgain, clientName: "launchpad-leds");
        Assert.Equal(["back launchpad-leds:lights", "back launchpad:pads"], Next(events, 2).Order());
        Assert.True(input.IsConnected);
        Assert.True(output.IsConnected);

        returned.Send([0x90, 12, 64]);
        output.Send([0x90, 11, 5]);
        Assert.Equal([[0x90, 11, 127], [0x90, 12, 64]], log.WaitFor(2));
        Assert.Equal([[0x90, 11, 5]], lightsAgain.WaitFor(1));
        Assert.Null(watcher.Fault);
    }

    [JackFact]
    public void A_disposed_connection_is_no_longer_watched()
    {
        using var server = JackServer.Start();
        var device = MidiOutput.OpenVirtual("pads", clientName: "launchpad");
        var input = MidiInput.Open(MidiPorts.ListOnce().Input("launchpad:pads"), new MessageLog());
        var events = new BlockingCollection<string>();
        using var watcher = new MidiPortWatcher(TimeSpan.FromMilliseconds(20));
        watcher.Disappeared += events.Add;
        watcher.Watch(input);

        input.Dispose();
        device.Dispose();

        Assert.False(events.TryTake(out string? name, TimeSpan.FromMilliseconds(300)), $"reported {name}");
        Assert.DoesNotContain(watcher.Ports.Inputs, port => port.Name == "launchpad:pads");
    }

    private static string[] Next(BlockingCollection<string> events, int count)
    {
        var taken = new List<string>();
        while (taken.Count < count && events.TryTake(out string? next, TimeSpan.FromSeconds(5))) taken.Add(next);
        return [.. taken];
    }
}
