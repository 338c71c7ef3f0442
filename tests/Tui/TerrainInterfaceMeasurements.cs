using System.Diagnostics;
using LatentTerrain.Tui;
using Terminal.Gui.App;
using Terminal.Gui.Time;
using Xunit.Abstractions;

namespace LatentTerrain.Tests.Tui;

/// <summary>What the interface costs at 128 x 48, reported (never asserted: timings belong to the machine).</summary>
[Collection(TuiCollection.Name)]
public sealed class TerrainInterfaceMeasurements(ITestOutputHelper output)
{
    [Fact]
    public void The_cost_of_a_map_render_and_of_a_frame_with_moving_cursors_is_reported()
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
            Assert.True(screen.Renderer.WaitUntilRendered(TimeSpan.FromSeconds(20)));
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

        output.WriteLine($"128 x 48 screen, map {grid.Columns} x {grid.Rows} cells ({grid.Columns} x {2 * grid.Rows} pixels)");
        output.WriteLine($"map render off the UI thread: {string.Join(", ", renders.Select(ms => $"{ms:F1}"))} ms");
        output.WriteLine($"UI thread, four cursors moving: {bytes / frames} bytes and {clock.Elapsed.TotalMilliseconds / frames:F2} ms a frame (tick + layout and draw)");
        output.WriteLine($"UI thread, nothing moving: {idleBytes / 20} bytes a frame");
        output.WriteLine($"UI thread, whole map redrawn: {wholeBytes / 20} bytes a frame");
    }
}
