using System.Globalization;
using System.Text;
using System.Text.Json;
using LatentTerrain.Engine.Audio;
using LatentTerrain.Engine.Datasets;
using LatentTerrain.Engine.Terrain;
using LatentTerrain.Instrument;
using LatentTerrain.Instrument.Actions;
using LatentTerrain.Instrument.Live;
using LatentTerrain.Instrument.Teaching;
using LatentTerrain.Mappings;
using LatentTerrain.Models.BuiltIn;
using LatentTerrain.Tests.Support;
using LatentTerrain.Tests.Tui;
using Terminal.Gui.Input;

namespace LatentTerrain.Tests.Teaching;

/// <summary>
/// Teaching through the interface, headless on Terminal.Gui's virtual driver, over the real
/// instrument (playing into a JACK server of the test's own): fragments added at the command line,
/// their paths drawn with the mouse in draw mode, training started and stopped with `t`, undo and
/// redo with `u` and `U`.
/// </summary>
[Collection(JackServer.Collection)]
public sealed class TeachingInterfaceTests
{
    private const int Rate = 48000;

    /// <summary>
    /// As through standard input (TeachingTests): along each drawn path the trained terrain gives its
    /// fragment's latents within a tenth of their variance, the map on screen changes, and undo and
    /// redo give back the dataset byte for byte.
    /// </summary>
    [JackFact]
    public void Fragments_added_drawn_and_trained_through_the_interface()
    {
        using var server = JackServer.Start();
        string scratch = Paths.NewScratch();
        using var model = new BuiltInCodec(new BuiltInCodecOptions { SampleRate = Rate, Ratio = 128 });
        using var stage = new Stage(model);
        var (instrument, teacher, actions) = (stage.Instrument, stage.Teacher, stage.Actions);
        var view = new LiveView(instrument, () => null, new EventLog(), teacher);
        using var ui = new InterfaceHarness(120, 40, instrument: view, performer: actions);

        for (int i = 0; i < 3; i++)
        {
            string file = Path.Combine(scratch, $"glide{i + 1}.wav");
            AudioFile.Write(file, TeachingTests.Glide(110 * (i + 2), 3.0, i));
            ui.Press(new Key(':'));
            ui.Type($"fragment add {file}");
            ui.Press(Key.Enter);
            Finish(ui);
        }
        Assert.Equal([1, 2, 3], teacher.Lesson.Fragments.Keys);
        Assert.Contains("glide3", ui.Text);

        ui.Press(new Key('d'));
        var grid = ui.Screen.Map.Grid;
        float[] rows = [-3f, -1f, 1f];
        string beforeLast = "";
        for (int fragment = 1; fragment <= 3; fragment++)
        {
            while (ui.Screen.Map.SelectedFragment != fragment) ui.Press(Key.Tab);
            // From x -14.5 to 15.5: longer than the fragment's 27.6, so the pen stops at its length.
            int row = grid.Row(rows[fragment - 1]);
            var cells = Enumerable.Range(grid.Column(-14.5f), grid.Column(15.5f) - grid.Column(-14.5f) + 1).Select(column => (column, row)).ToArray();
            if (fragment == 3) beforeLast = TeachingTests.Json(teacher.Lesson.ToDataset(8));
            ui.Drag(cells);
            Finish(ui);
            Assert.Equal(LatentTerrain.Tui.PathState.Complete, teacher.Lesson.PathState(fragment));
        }
        string drawn = TeachingTests.Json(teacher.Lesson.ToDataset(8));
        ui.Press(new Key('u'));
        Finish(ui);
        Assert.Equal(beforeLast, TeachingTests.Json(teacher.Lesson.ToDataset(8)));
        ui.Press(new Key('U'));
        Finish(ui);
        Assert.Equal(drawn, TeachingTests.Json(teacher.Lesson.ToDataset(8)));
        string mapBefore = MapCells(ui);

        // t starts training until t again. What it learnt depends on the moment t stopped it, so the
        // terrain is then reset to a seed of its own and trained a set number of epochs.
        ui.Press(new Key('t'));
        Finish(ui);
        Assert.True(SpinWait.SpinUntil(() => view.Training is { Epoch: >= 50 }, TimeSpan.FromMinutes(2)), $"training reached only {view.Training}");
        ui.Press(new Key('t'));
        Finish(ui);
        Assert.Equal(TrainingState.Cancelled, view.Training!.Value.State);
        ui.Press(new Key(':'));
        ui.Type("reset seed=1");
        ui.Press(Key.Enter);
        Finish(ui);
        ui.Press(new Key(':'));
        ui.Type("train 600");
        ui.Press(Key.Enter);
        ui.Press(new Key(':'));
        ui.Type("wait");
        ui.Press(Key.Enter);
        Finish(ui);
        Assert.Equal(TrainingState.Finished, view.Training!.Value.State);

        var dataset = teacher.Lesson.ToDataset(8);
        using (var lease = instrument.Terrain.Acquire())
            for (int t = 0; t < 3; t++)
            {
                var trajectory = dataset.Trajectories[t];
                var (error, variance) = TeachingTests.ErrorAlong(lease.Network, trajectory.PlacePoints(dataset.Density), trajectory.Latents);
                Assert.True(error < 0.1 * variance, $"path {t + 1}: mean squared error {error:G3} against the latents' variance {variance:G3}");
            }
        Assert.True(SpinWait.SpinUntil(() =>
        {
            ui.Settle();
            return MapCells(ui) != mapBefore;
        }, TimeSpan.FromSeconds(20)), "the map on screen did not change");

    }

    private static void Finish(InterfaceHarness ui)
    {
        Assert.True(SpinWait.SpinUntil(() => ui.Screen.Performing.IsCompleted, TimeSpan.FromSeconds(60)), "the action did not finish");
        ui.Settle();
    }

    private static string MapCells(InterfaceHarness ui)
    {
        var grid = ui.Screen.Map.Grid;
        var text = new StringBuilder();
        for (int row = 0; row < grid.Rows; row++)
            for (int column = 0; column < grid.Columns; column++)
                text.Append(ui.CellAt(column, row).Attribute?.ToString());
        return text.ToString();
    }
}
