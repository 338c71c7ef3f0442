using System.Diagnostics;
using LatentTerrain.Controllers.Midi;
using LatentTerrain.Engine.Maps;
using LatentTerrain.Engine.Synthesis;
using LatentTerrain.Engine.Terrain;
using LatentTerrain.Instrument;
using LatentTerrain.Instrument.Actions;
using LatentTerrain.Instrument.Live;
using LatentTerrain.Tests.Midi;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Instrument;

/// <summary>
/// The live instrument's MIDI controllers against a JACK server of the test's own: a test sender
/// plays through real RtMidi virtual ports named like the devices (an MPE keyboard, a Launchpad X,
/// an XY controller), and the cursors on the board and the bytes sent back to the Launchpad are checked.
/// </summary>
[Collection(JackServer.Collection)]
public sealed class LiveControllersTests
{
    private const string LaunchpadPort = "Launchpad X LPX MIDI";
    private static readonly PlaneBounds Plane = PlaneBounds.Default;

    private readonly CursorBoard _board = new();
    private readonly TerrainSnapshots _terrain = new(DefaultTerrain.Load());
    private readonly StringWriter _messages = new();

    [JackFact]
    public void Every_input_opens_with_its_devices_profile_and_our_own_and_DAW_ports_are_left_alone()
    {
        using var server = JackServer.Start();
        using var seaboard = MidiOutput.OpenVirtual("Seaboard", clientName: "roli");
        using var pads = MidiOutput.OpenVirtual(LaunchpadPort, clientName: "lpx");
        using var daw = MidiOutput.OpenVirtual("Launchpad X LPX DAW", clientName: "lpx-daw");
        using var xy = MidiOutput.OpenVirtual("XY pad", clientName: "xy");
        using var leds = MidiInput.OpenVirtual(LaunchpadPort, new MessageLog(), clientName: "lpx-leds");
        using var ours = MidiOutput.OpenVirtual("out", clientName: "terrain");
        string profile = XyProfile();

        using var controllers = Open(new LiveControllerSettings { Mappings = [$"xy pad={profile}"] });

        Assert.Equal([
            $"MIDI input 'lpx:{LaunchpadPort}' (JACK): launchpad (Launchpad X), profile built-in launchpad",
            "MIDI input 'roli:Seaboard' (JACK): mpe-keyboard, profile built-in mpe-keyboard",
            $"MIDI input 'xy:XY pad' (JACK): generic-xy, profile {profile}",
        ], controllers.Inputs.Select(input => input.ToString()).Order());
        Assert.Equal("", _messages.ToString());
    }

    [JackFact]
    public void An_MPE_phrase_moves_and_releases_cursors()
    {
        using var server = JackServer.Start();
        using var seaboard = MidiOutput.OpenVirtual("Seaboard", clientName: "roli");
        using var controllers = Open(new LiveControllerSettings { Ports = ["Seaboard"] });

        // MPE Configuration Message: lower zone, 15 member channels (bend ranges 48 per note, 2 on the manager).
        Send(seaboard, "B0 64 06", "B0 65 00", "B0 06 0F");
        Send(seaboard, "91 42 64", "B1 4A 7F");                // key 66 on channel 2, slide to the top
        WaitFor(0, X(0.5f), Plane.YMax, Gain(100));
        Send(seaboard, "E1 00 50", "D1 40");                   // bend +12 semitones (a quarter of 48), pressure 64
        WaitFor(0, X((66 + 12 - 36) / 60f), Plane.YMax, Gain(64));
        Send(seaboard, "92 30 7F", "B2 4A 00");                // key 48 on channel 3, slide to the bottom
        WaitFor(1, X((48 - 36) / 60f), Plane.YMin, Gain(127));
        Send(seaboard, "81 42 40");                            // the first note off
        WaitUntil(() => !_board.Read(0).Active, "cursor 0 released");
        Assert.True(_board.Read(1).Active);
        Send(seaboard, "E2 00 60");                            // the second note bends on: +24
        WaitFor(1, X((48 + 24 - 36) / 60f), Plane.YMin, Gain(127));
        Send(seaboard, "92 30 00");                            // velocity 0: a note off
        WaitUntil(() => !_board.Read(1).Active, "cursor 1 released");
        Assert.Null(controllers.Inputs[0].Connection!.ReceiverFault);
    }

    [JackFact]
    public void A_Launchpad_is_put_in_programmer_mode_shows_the_terrain_plays_its_pads_and_gets_live_mode_back()
    {
        using var server = JackServer.Start();
        using var pads = MidiOutput.OpenVirtual(LaunchpadPort, clientName: "lpx");
        var leds = new MessageLog();
        using var device = MidiInput.OpenVirtual(LaunchpadPort, leds, clientName: "lpx-leds");
        byte[] header = [0xF0, 0x00, 0x20, 0x29, 0x02, 0x0C];
        byte[] grey = Map8x8();

        var controllers = Open(new LiveControllerSettings { Ports = ["lpx"] });

        var first = leds.WaitFor(2);
        Assert.Equal([.. header, 0x0E, 0x01, 0xF7], first[0]);
        var frame = first[1];
        Assert.Equal(7 + 64 * 5 + 1, frame.Length);
        Assert.Equal([.. header, 0x03], frame[..7]);
        Assert.Equal(0xF7, frame[^1]);
        // Pad 11 (bottom-left) shows the map's bottom-left pixel (row 7, column 0) at half scale, pad 88 the top-right one.
        Assert.Equal(Spec(11, grey[7 * 8 + 0] >> 1), frame[7..12]);
        Assert.Equal(Spec(18, grey[7 * 8 + 7] >> 1), frame[(7 + 7 * 5)..(7 + 8 * 5)]);
        Assert.Equal(Spec(81, grey[0 * 8 + 0] >> 1), frame[(7 + 56 * 5)..(7 + 57 * 5)]);
        Assert.Equal(Spec(88, grey[0 * 8 + 7] >> 1), frame[(7 + 63 * 5)..(7 + 64 * 5)]);

        Send(pads, "90 0B 7F");                                // pad 11: the centre of the bottom-left cell
        WaitFor(0, Plane.XMin + 0.5f / 8 * Plane.Width, Plane.YMin + 0.5f / 8 * Plane.Height, 1f);
        var lit = WaitForMessage(leds, 2, message => message.Length == frame.Length && message[7..12].SequenceEqual(Spec(11, 127, 48, 0)));
        Assert.Equal(frame[12..], lit[12..]);                  // only pad 11 changed
        Send(pads, "A0 0B 40");                                // polyphonic aftertouch on it
        WaitFor(0, Plane.XMin + 0.5f / 8 * Plane.Width, Plane.YMin + 0.5f / 8 * Plane.Height, 0.2f + 0.8f * 64 / 127);
        Send(pads, "90 58 40");                                // pad 88, top-right, while 11 is held
        WaitFor(1, Plane.XMin + 7.5f / 8 * Plane.Width, Plane.YMin + 7.5f / 8 * Plane.Height, 0.2f + 0.8f * 64 / 127);
        Send(pads, "90 0B 00", "80 58 00");                    // both released
        WaitUntil(() => !_board.Read(0).Active && !_board.Read(1).Active, "both pads released");
        WaitForMessage(leds, Array.IndexOf(leds.Messages, lit) + 1, message => message.SequenceEqual(frame));
        // Programmer mode is sent once more half a second after connecting, in case the first went
        // out before the connection carried (LaunchpadLink.Confirming).
        WaitForMessage(leds, 1, message => message.SequenceEqual(first[0]));

        int before = leds.Messages.Length;
        controllers.Dispose();
        Assert.Equal([.. header, 0x0E, 0x00, 0xF7], leds.WaitFor(before + 1)[^1]);
    }

    [JackFact]
    public void An_XY_sweep_moves_the_cursor_across_the_terrain()
    {
        using var server = JackServer.Start();
        using var xy = MidiOutput.OpenVirtual("XY pad", clientName: "xy");
        using var controllers = Open(new LiveControllerSettings { Ports = ["XY pad"], Mappings = [XyProfile()] });

        for (int value = 0; value <= 127; value += 127 / 7)
        {
            xy.Send([0xB0, 16, (byte)value]);
            xy.Send([0xB0, 17, (byte)(127 - value)]);
            WaitFor(0, Plane.XMin + value / 127f * Plane.Width, Plane.YMin + (127 - value) / 127f * Plane.Height, 0.8f);
        }
        controllers.Dispose();
        Assert.False(_board.Read(0).Active);
    }

    [JackFact]
    public void A_device_that_goes_away_has_its_touches_released_and_plays_again_when_it_returns()
    {
        using var server = JackServer.Start();
        var pads = MidiOutput.OpenVirtual(LaunchpadPort, clientName: "lpx");
        var leds = new MessageLog();
        var device = MidiInput.OpenVirtual(LaunchpadPort, leds, clientName: "lpx-leds");
        using var controllers = Open(new LiveControllerSettings { Ports = ["lpx"], WatchInterval = TimeSpan.FromMilliseconds(20) });
        Send(pads, "90 0B 7F");
        WaitUntil(() => _board.Read(0).Active, "pad 11 pressed");

        // Unplugged: both ports go in the same look of the watcher (it polls, so a port gone and
        // back between two looks would not be noticed: the lights' port goes first).
        device.Dispose();
        pads.Dispose();
        WaitUntil(() => !_board.Read(0).Active, "the touch released when the device went away");
        WaitUntil(() => _messages.ToString().Contains("'lpx:Launchpad X LPX MIDI' is gone"), "the loss reported");

        var ledsAgain = new MessageLog();
        using var returned = MidiOutput.OpenVirtual(LaunchpadPort, clientName: "lpx");
        using var deviceAgain = MidiInput.OpenVirtual(LaunchpadPort, ledsAgain, clientName: "lpx-leds");
        WaitUntil(() => _messages.ToString().Contains("'lpx:Launchpad X LPX MIDI' is back"), "the return reported");
        var again = ledsAgain.WaitFor(2);
        Assert.True(again.Length == 2, $"{again.Length} messages to the returned Launchpad; display fault {controllers.DisplayFault}; messages: {_messages}; ports: {string.Join(", ", server.Ports())}; connections: {server.Connections()}");
        Assert.Equal([0xF0, 0x00, 0x20, 0x29, 0x02, 0x0C, 0x0E, 0x01, 0xF7], again[0]);
        Assert.Equal(7 + 64 * 5 + 1, again[1].Length);
        Send(returned, "90 58 7F");
        WaitUntil(() => _board.Read(0) is { Active: true, X: > 0 }, "pad 88 plays after the return");
        Assert.Equal(2, _messages.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    /// <summary>
    /// Devices plugged in while playing (none was there at the start) play as if they had been:
    /// each told in one line, an MPE keyboard with its profile, a Launchpad in programmer mode
    /// with its picture; a device --midi does not choose stays closed.
    /// </summary>
    [JackFact]
    public void Devices_plugged_in_while_playing_are_opened_as_at_the_start()
    {
        using var server = JackServer.Start();
        using var controllers = Open(new LiveControllerSettings { WatchInterval = TimeSpan.FromMilliseconds(20) });
        Assert.Empty(controllers.Inputs);

        using var seaboard = MidiOutput.OpenVirtual("Seaboard", clientName: "roli");
        var leds = new MessageLog();
        using var lights = MidiInput.OpenVirtual(LaunchpadPort, leds, clientName: "lpx-leds");
        using var pads = MidiOutput.OpenVirtual(LaunchpadPort, clientName: "lpx");
        WaitUntil(() => controllers.Inputs.Count == 2, "both devices opened");
        WaitUntil(() => _messages.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length == 2, "two lines said");
        Assert.Equal([
            $"terrain: plugged in: MIDI input 'lpx:{LaunchpadPort}' (JACK): launchpad (Launchpad X), profile built-in launchpad",
            "terrain: plugged in: MIDI input 'roli:Seaboard' (JACK): mpe-keyboard, profile built-in mpe-keyboard",
        ], _messages.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Trim()).Order());

        var shown = leds.WaitFor(2);
        Assert.True(shown.Length == 2, $"{shown.Length} messages to the Launchpad");
        Assert.Equal([0xF0, 0x00, 0x20, 0x29, 0x02, 0x0C, 0x0E, 0x01, 0xF7], shown[0]);
        // JACK makes the new connections effective at a later process cycle; what is sent before is lost.
        Thread.Sleep(50);
        Send(seaboard, "91 42 64", "B1 4A 7F");
        WaitFor(0, X(0.5f), Plane.YMax, Gain(100));

        using var chosen = Open(new LiveControllerSettings { Ports = ["Seaboard"], WatchInterval = TimeSpan.FromMilliseconds(20) });
        using var xy = MidiOutput.OpenVirtual("XY pad", clientName: "xy");
        Thread.Sleep(200);
        Assert.Equal(["MIDI input 'roli:Seaboard' (JACK): mpe-keyboard, profile built-in mpe-keyboard"], chosen.Inputs.Select(input => input.ToString()));
    }

    /// <summary>A Launchpad whose lights' port comes after its pads' (a bridge adding ports one by one) plays dark, then lights up.</summary>
    [JackFact]
    public void A_Launchpad_whose_lights_come_later_lights_up_when_they_do()
    {
        using var server = JackServer.Start();
        using var pads = MidiOutput.OpenVirtual(LaunchpadPort, clientName: "lpx");
        using var controllers = Open(new LiveControllerSettings { Ports = ["lpx"], WatchInterval = TimeSpan.FromMilliseconds(20) });
        Assert.Equal($"terrain: found no output port for the Launchpad at 'lpx:{LaunchpadPort}' (JACK): its pads play but stay dark until one appears",
            _messages.ToString().Trim());

        var leds = new MessageLog();
        using var lights = MidiInput.OpenVirtual(LaunchpadPort, leds, clientName: "lpx-leds");

        Assert.Equal([0xF0, 0x00, 0x20, 0x29, 0x02, 0x0C, 0x0E, 0x01, 0xF7], leds.WaitFor(1)[0]);
    }

    [JackFact]
    public void A_malformed_profile_is_reported_in_one_line_and_the_device_plays_its_default()
    {
        using var server = JackServer.Start();
        using var seaboard = MidiOutput.OpenVirtual("Seaboard", clientName: "roli");
        string path = Path.Combine(Paths.NewScratch(), "broken.json");
        File.WriteAllText(path, """{ "kind": "mpe-keyboard", "x": { "dimension": "x", "from": [36] }, "y": { "dimension": "y", "from": [0, 1] }, "gain": { "source": "pressure" } }""");

        using var controllers = Open(new LiveControllerSettings { Mappings = [path] });

        var lines = _messages.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains(path, lines[0]);
        Assert.Contains("'x.from'", lines[0]);
        Assert.Equal("MIDI input 'roli:Seaboard' (JACK): mpe-keyboard, profile built-in mpe-keyboard", Assert.Single(controllers.Inputs).ToString());
        Send(seaboard, "91 42 64", "B1 4A 7F");
        WaitFor(0, X(0.5f), Plane.YMax, Gain(100));
    }

    [JackFact]
    public void A_port_no_input_is_called_is_refused_with_the_ports_there_are()
    {
        using var server = JackServer.Start();
        using var seaboard = MidiOutput.OpenVirtual("Seaboard", clientName: "roli");

        var refused = Assert.Throws<MidiException>(() => Open(new LiveControllerSettings { Ports = ["Linnstrument"] }));
        Assert.Equal("--midi Linnstrument: no MIDI input port is called that; the input ports are 0 'roli:Seaboard' (JACK)", refused.Message);
    }

    [JackFact]
    public void Playing_allocates_nothing_per_message_in_steady_state() => PlayingAllocatesNothing(learn: null);

    /// <summary>Every message is offered to MIDI learn first; those of controls not bound go on to the mapping, allocating nothing either.</summary>
    [JackFact]
    public void Messages_passing_MIDI_learn_unbound_allocate_nothing()
    {
        using var learn = new MidiLearn(_ => "", TextWriter.Null);
        learn.Import([new MidiBinding("roli:Seaboard", 1, MidiControlKind.ControlChange, 20, "train")]);
        PlayingAllocatesNothing(learn);
    }

    [JackFact]
    public void A_CC_bound_to_train_starts_then_stops_training_and_the_rest_plays_on()
    {
        using var server = JackServer.Start();
        using var nano = MidiOutput.OpenVirtual("nanoKONTROL2", clientName: "nano");
        var performed = new PerformedLines();
        var answers = new StringWriter();
        using var learn = new MidiLearn(performed.Perform, answers);
        using var controllers = Open(new LiveControllerSettings { Ports = ["nanoKONTROL2"] }, learn);

        Assert.Equal("move a control to bind it to 'train'", learn.Learn("train").Text);
        Send(nano, "B0 14 7F", "B0 14 00");                  // binds CC 20, performing nothing
        WaitUntil(() => learn.Bindings.Count == 1, "CC 20 bound");
        Send(nano, "B0 14 7F", "B0 14 00");                  // press: train
        Send(nano, "90 3C 64");                              // a note no control is bound to plays
        WaitUntil(() => _board.Read(0).Active, "the note playing");
        Send(nano, "B0 14 7F", "B0 14 00");                  // press: stop
        WaitUntil(() => performed.Lines.Length == 2, "two presses performed");

        learn.Dispose();
        Assert.Equal(["train", "stop"], performed.Lines);
        Assert.Equal("CC 20 ch 1 on 'nano:nanoKONTROL2' -> train\nCC 20 -> train: ok\nCC 20 -> stop: ok\n", answers.ToString().ReplaceLineEndings("\n"));
    }

    /// <summary>
    /// A Launchpad's right-hand side buttons are stored positions 1..8 from the top: pressed alone a
    /// button recalls its position like a drum pad, pressed while a pad is held it stores that pad's
    /// place; the buttons of stored positions are lit.
    /// </summary>
    [JackFact]
    public void A_Launchpads_side_buttons_recall_and_store_positions_and_light_those_stored()
    {
        using var server = JackServer.Start();
        using var pads = MidiOutput.OpenVirtual(LaunchpadPort, clientName: "lpx");
        var leds = new MessageLog();
        using var device = MidiInput.OpenVirtual(LaunchpadPort, leds, clientName: "lpx-leds");
        var performed = new PerformedLines();
        IReadOnlyList<int> stored = [];
        using var learn = new MidiLearn(performed.Perform, TextWriter.Null);
        using var controllers = Open(new LiveControllerSettings { Ports = ["lpx"] }, learn, () => Volatile.Read(ref stored));

        // Programmer mode, the map, then the side buttons, all dark.
        var dark = WaitForMessage(leds, 0, message => message.Length == 48);
        Assert.Equal([0xF0, 0x00, 0x20, 0x29, 0x02, 0x0C, 0x03], dark[..7]);
        Assert.Equal(Enumerable.Range(0, 8).SelectMany(button => Spec(89 - 10 * button, 0)), dark[7..^1]);

        Send(pads, "B0 59 7F", "B0 59 00");                  // side button 1, at the top
        Send(pads, "90 0B 7F", "B0 4F 7F", "B0 4F 00");      // pad 11 held: side button 2 stores its place
        WaitUntil(() => performed.Lines.Length == 3, "three lines performed");
        Assert.Equal(["recall 1 1", "recall 1 0", "store 2 -14 -3.5"], performed.Lines);
        WaitFor(0, Plane.XMin + 0.5f / 8 * Plane.Width, Plane.YMin + 0.5f / 8 * Plane.Height, 1f); // the pad plays as ever

        Volatile.Write(ref stored, [2]);
        // (The display sends everything again half a second after connecting: the dark frame may come twice.)
        var lit = WaitForMessage(leds, 0, message => message.Length == 48 && message[12..17].SequenceEqual(Spec(79, 0, 127, 24)));
        Assert.Equal(Spec(89, 0), lit[7..12]);
    }

    private void PlayingAllocatesNothing(MidiLearn? learn)
    {
        using var server = JackServer.Start();
        using var seaboard = MidiOutput.OpenVirtual("Seaboard", clientName: "roli");
        var output = new StampedCursorOutput(_board, 10_000);
        using var controllers = new LiveControllers(_board, _terrain, new LiveControllerSettings { Ports = ["Seaboard"] }, _messages, output, learn: learn);

        for (int i = 0; i < 1000; i++)
        {
            byte channel = (byte)(1 + i % 15);
            seaboard.Send([(byte)(0x90 | channel), (byte)(40 + i % 40), 100]);
            seaboard.Send([(byte)(0xE0 | channel), (byte)(i % 128), (byte)(i % 128)]);
            seaboard.Send([(byte)(0xB0 | channel), 74, (byte)(i % 128)]);
            seaboard.Send([(byte)(0xD0 | channel), (byte)(i % 128)]);
            seaboard.Send([(byte)(0x80 | channel), (byte)(40 + i % 40), 64]);
            // Paced: RtMidi's JACK output drops what does not fit its 16 KiB queue.
            if (i % 10 == 9) Thread.Sleep(1);
        }

        // Five board writes per round: start, three moves, end.
        int writes = output.WaitFor(5000);
        Assert.True(writes > 4500, $"only {writes} board writes");
        // From the 1000th write on: the first ones warm up (code is compiled).
        Assert.Equal(0, output.AllocatedSince(1000));
    }

    private LiveControllers Open(LiveControllerSettings settings, MidiLearn? learn = null, Func<IReadOnlyList<int>>? storedPositions = null)
    {
        var controllers = new LiveControllers(_board, _terrain, settings, _messages, learn: learn, storedPositions: storedPositions);
        // JACK makes the new connections effective at a later process cycle; what is sent before is lost.
        Thread.Sleep(50);
        return controllers;
    }

    private static float X(float fraction) => Plane.XMin + fraction * Plane.Width;

    /// <summary>The MPE keyboard profile's gain: 0.1..1 from velocity (or pressure, once there is some).</summary>
    private static float Gain(int value) => 0.1f + 0.9f * value / 127;

    private static byte[] Spec(int note, int r, int g, int b) => [0x03, (byte)note, (byte)r, (byte)g, (byte)b];

    private static byte[] Spec(int note, int level) => Spec(note, level, level, level);

    /// <summary>The default terrain drawn on 8 x 8 over the whole plane, grey levels row by row from the top.</summary>
    private byte[] Map8x8()
    {
        using var lease = _terrain.Acquire();
        return new TerrainMap(lease.Network.Config, 8, 8) { Bounds = Plane }.Render(lease.Network, new MapStyle()).Pixels;
    }

    /// <summary>A generic XY profile on CC16 (x) and CC17 (y), without smoothing, so positions are exact.</summary>
    private static string XyProfile()
    {
        string path = Path.Combine(Paths.NewScratch(), "xy.json");
        File.WriteAllText(path, """
            {
              "kind": "generic-xy",
              "x": { "dimension": "x", "from": [0, 1] },
              "y": { "dimension": "y", "from": [0, 1] },
              "gain": { "source": "constant", "to": [0.8, 0.8] },
              "xy": { "x": 16, "y": 17 }
            }
            """);
        return path;
    }

    private static void Send(MidiOutput output, params string[] messages)
    {
        foreach (string message in messages) output.Send(Convert.FromHexString(message.Replace(" ", "")));
    }

    private void WaitFor(int cursor, float x, float y, float gain) =>
        WaitUntil(() => _board.Read(cursor) is { Active: true } c && Near(c.X, x) && Near(c.Y, y) && Near(c.Gain, gain),
            $"cursor {cursor} at ({x}, {y}) with gain {gain}");

    private static bool Near(float actual, float expected) => Math.Abs(actual - expected) < 0.005f;

    private void WaitUntil(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(5))
                Assert.Fail($"not {what} after 5 s: board {string.Join(", ", Enumerable.Range(0, 3).Select(i => _board.Read(i)))}; messages: {_messages}");
            Thread.Sleep(2);
        }
    }

    /// <summary>A fake performer: keeps the lines it is given, from MIDI learn's thread.</summary>
    private sealed class PerformedLines
    {
        private readonly List<string> _lines = [];

        public string[] Lines
        {
            get { lock (_lines) return [.. _lines]; }
        }

        public string Perform(string line)
        {
            lock (_lines) _lines.Add(line);
            return "ok";
        }
    }

    /// <summary>The first message from the <paramref name="from"/>th on that is <paramref name="wanted"/>, waiting up to five seconds for it.</summary>
    private static byte[] WaitForMessage(MessageLog log, int from, Func<byte[], bool> wanted)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            if (log.Messages.Skip(from).FirstOrDefault(wanted) is byte[] found) return found;
            Thread.Sleep(5);
        }
        throw new Xunit.Sdk.XunitException($"no such message among {log.Messages.Length} received");
    }
}
