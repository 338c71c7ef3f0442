using LatentTerrain.Controllers.Devices;
using LatentTerrain.Controllers.Midi;
using LatentTerrain.Engine.Audio;
using LatentTerrain.Tests.Audio;
using LatentTerrain.Tests.Midi;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Tui;

/// <summary>
/// `terrain play` as a person meets it: the real program in a terminal (tmux), against a JACK
/// server of the test's own, with a virtual Launchpad plugged in.
/// </summary>
[Collection(JackServer.Collection)]
public sealed class InterfaceInTmuxTests
{
    private const string LaunchpadPort = "Launchpad X LPX MIDI";

    /// <summary>
    /// It opens in the alternate screen with the map; a mouse drag on the map (SGR mouse sequences,
    /// as a terminal sends them) makes sound at the server; Ctrl+Q exits 0 and the Launchpad gets
    /// its live mode back.
    /// </summary>
    [JackFact]
    public void A_mouse_drag_plays_and_ctrl_q_quits_giving_the_Launchpad_live_mode_back()
    {
        using var server = JackServer.Start();
        using var pads = MidiOutput.OpenVirtual(LaunchpadPort, clientName: "lpx");
        var lights = new MessageLog();
        using var device = MidiInput.OpenVirtual(LaunchpadPort, lights, clientName: "lpx-leds");
        using var terminal = new Tmux(140, 45, $"env {JackServer.Variable}={server.Name} " + TestProgram.TerrainCommandLine("play", "--midi", "lpx"));
        var wait = TimeSpan.FromSeconds(60);
        terminal.WaitFor(screen => screen.Contains("system 48k", StringComparison.Ordinal), wait, "the interface showing the audio output");
        Assert.True(terminal.AlternateScreen, "the interface did not take the alternate screen");

        string quiet = Path.Combine(Paths.NewScratch(), "quiet.wav"), dragged = Path.Combine(Paths.NewScratch(), "dragged.wav");
        server.Record(0.5, quiet);
        terminal.Press(30, 12);
        terminal.Drag(34, 12);
        terminal.Drag(38, 13);
        server.Record(1.0, dragged);
        terminal.Release(38, 13);

        double before = Signals.Rms(AudioFile.Read(quiet).Channel(0)[4800..]), during = Signals.Rms(AudioFile.Read(dragged).Channel(0)[4800..]);
        Assert.True(before < 1e-4 && during > 0.01, $"RMS {before} before the drag, {during} during it; the screen:\n{terminal.Screen()}");

        terminal.Keys("C-q");
        terminal.WaitFor(_ => terminal.ExitStatus != null, wait, "the program's end");
        Assert.True(terminal.ExitStatus == 0, $"the program ended with {terminal.ExitStatus}; the screen:\n{terminal.Screen()}");
        byte[] liveMode = LaunchpadProtocol.ProgrammerMode(LaunchpadModel.X, false);
        Assert.Contains(lights.Messages, message => message.AsSpan().SequenceEqual(liveMode));
    }
}
