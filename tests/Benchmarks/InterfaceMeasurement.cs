using System.Diagnostics;
using System.Globalization;
using LatentTerrain.Models.Defaults;
using LatentTerrain.Engine.Rendering;
using LatentTerrain.Tests.Support;
using LatentTerrain.Tests.Tui;
using LatentTerrain.Tui;
using Terminal.Gui.App;
using Terminal.Gui.Time;

namespace LatentTerrain.Tests.Benchmarks;

/// <summary>
/// What the terminal interface costs, not for CI: <c>dotnet run -c Release --project tests --
/// interface [minutes]</c> (3 by default). The real `terrain play` plays sixteen circling voices
/// while the terrain trains on the default dataset, through a JACK server of its own: once
/// headless, once with the interface in a 140 x 45 terminal (tmux), one after the other. Prints
/// each run's health line (underruns by cause, collections) and the interface's own line (its
/// thread's share of a core, what it allocated, frames a second).
/// </summary>
public static class InterfaceMeasurement
{
    public const string Command = "interface", FramesCommand = "interface-frames";

    public static int Run(string[] arguments)
    {
        double minutes = arguments is [string m, ..] ? double.Parse(m, CultureInfo.InvariantCulture) : 3;
        int seconds = (int)Math.Round(minutes * 60);
        string scratch = Paths.NewScratch(), gesture = Path.Combine(scratch, "sixteen.csv");
        GestureFile.Save(Performances.Circling(voices: 16, seconds: seconds), gesture);
        string dataset = Path.Combine(Paths.Repository, "models", "Defaults", BuiltInDefaults.DatasetFileName);
        string[] play = ["play", "--gesture", gesture, "--train", dataset, "--seconds", $"{seconds}", "--midi", "none"];

        using var server = JackServer.Start();
        Console.WriteLine($"// {minutes} min, 16 voices, training; JACK dummy 48 kHz, 128 frames");
        var (exitCode, output, error) = TestProgram.RunTerrain(TimeSpan.FromSeconds(seconds + 120), null, [.. play, "--headless"]);
        Console.WriteLine($"headless (exit {exitCode}): {Line(output, "health:")}{error.Trim()}");

        using var terminal = new Tmux(140, 45, $"env {JackServer.Variable}={server.Name} " + TestProgram.TerrainCommandLine(play));
        var clock = Stopwatch.StartNew();
        while (terminal.ExitStatus == null && clock.Elapsed.TotalSeconds < seconds + 120) Thread.Sleep(1000);
        string screen = terminal.Screen();
        Console.WriteLine($"interface (exit {terminal.ExitStatus}): {Line(screen, "health:")}");
        Console.WriteLine($"  {Line(screen, "interface:")}");
        return 0;
    }

    /// <summary>
    /// <c>-- interface-frames</c>: the interface headless at 128 x 48 (Terminal.Gui's virtual driver):
    /// how long a map render takes off the UI thread, and what the UI thread allocates a frame with
    /// four cursors moving, with nothing moving, and with the whole map redrawn.
    /// </summary>
    public static int Frames()
    {
        Environment.SetEnvironmentVariable("DisableRealDriverIO", "1");
        var instrument = new FakeInstrument();
        using var app = Application.Create(new VirtualTimeProvider());
        app.Init("ansi");
        app.Driver!.SetScreenSize(128, 48);
        using var screen = TerrainInterface.CreateScreen(app, instrument, new FakePerformer(), new TerrainInterfaceOptions { Only256Colours = false });
        app.Begin(screen);
        app.LayoutAndDraw();

        // Renders off the UI thread: a few view changes, each waited for.
        var renders = new List<double>();
        for (int i = 0; i < 8; i++)
        {
            if (i % 2 == 1) screen.Map.Zoom(closer: true);
            else screen.Map.Pan(1, 0);
            screen.Tick();
            if (!screen.Renderer.WaitUntilRendered(TimeSpan.FromSeconds(20))) throw new TimeoutException("the map was not rendered");
            screen.Tick();
            app.LayoutAndDraw();
            renders.Add(screen.Map.Shown!.Took.TotalMilliseconds);
        }
        var grid = screen.Map.Grid;

        // Steady state: four cursors moving a cell a frame.
        long bytes = 0, wholeBytes = 0;
        var clock = new Stopwatch();
        const int frames = 200;
        for (int frame = 0; frame < frames + 20; frame++)
        {
            for (int finger = 2; finger < 6; finger++)
                instrument.Cursors.Move(finger, grid.X((frame + 9 * finger) % grid.Columns), grid.Y((3 * finger + frame / 7) % grid.Rows), 0.8f);
            long before = GC.GetAllocatedBytesForCurrentThread();
            if (frame >= 20) clock.Start();
            screen.Tick();
            app.LayoutAndDraw();
            clock.Stop();
            if (frame >= 20) bytes += GC.GetAllocatedBytesForCurrentThread() - before;
        }
        long idleBytes = 0;
        for (int frame = 0; frame < 20; frame++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            screen.Tick();
            app.LayoutAndDraw();
            idleBytes += GC.GetAllocatedBytesForCurrentThread() - before;
        }
        for (int frame = 0; frame < 20; frame++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            screen.Map.DrawWholeMap();
            app.LayoutAndDraw();
            wholeBytes += GC.GetAllocatedBytesForCurrentThread() - before;
        }

        // A trainer's snapshot to the new picture on screen, with the interface ticking 25 times a second.
        var arrivals = new List<double>();
        for (int i = 0; i < 10; i++)
        {
            Thread.Sleep(300);
            instrument.Terrain.Publish(FakeInstrument.Network);
            long version = instrument.Terrain.Version, published = Stopwatch.GetTimestamp();
            while (screen.Map.Shown?.Request?.Version != version)
            {
                Thread.Sleep(40);
                screen.Tick();
                app.LayoutAndDraw();
            }
            arrivals.Add(Stopwatch.GetElapsedTime(published).TotalMilliseconds);
        }
        Console.WriteLine($"128 x 48 screen, map {grid.Columns} x {grid.Rows} cells ({grid.Columns} x {2 * grid.Rows} pixels)");
        Console.WriteLine($"map render off the UI thread: {string.Join(", ", renders.Select(ms => $"{ms:F1}"))} ms");
        Console.WriteLine($"UI thread, four cursors moving: {bytes / frames} bytes and {clock.Elapsed.TotalMilliseconds / frames:F2} ms a frame (tick + layout and draw)");
        Console.WriteLine($"UI thread, nothing moving: {idleBytes / 20} bytes a frame");
        Console.WriteLine($"UI thread, whole map redrawn: {wholeBytes / 20} bytes a frame");
        Console.WriteLine($"a snapshot to its picture on screen: {string.Join(", ", arrivals.Select(ms => $"{ms:F0}"))} ms");
            return 0;
    }

    private static string Line(string text, string start) =>
        text.Split('\n').Select(line => line.Trim()).FirstOrDefault(line => line.StartsWith(start, StringComparison.Ordinal)) ?? $"(no '{start}' line)";
}
