using System.CommandLine;
using System.Globalization;
using LatentTerrain.Engine.Files;
using LatentTerrain.Instrument.Sessions;
using LatentTerrain.Models;
using Spectre.Console;

namespace LatentTerrain.Instrument.CommandLine;

/// <summary>
/// <c>terrain session SESSION</c>: what a session holds (its model, terrain, training, fragments,
/// paths, points, positions, bindings, versions kept), or with <c>--restore N</c> a kept version made
/// the session's again. A session that cannot be opened whole is one line and exit 1.
/// </summary>
internal static class SessionCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var folder = new Argument<string>("SESSION") { Description = "a session folder (terrain play SESSION makes one)" };
        var restore = new Option<int?>("--restore") { Description = "make kept version N the session's again (as a new version; the others stay)" };
        var command = new Command("session", "Show what a session holds, and the versions kept; --restore N rolls back to one.") { folder, restore };
        command.SetAction(result =>
        {
            var session = new SessionFolder(result.GetValue(folder)!);
            if (!session.Exists) throw new UsageException($"{session.Path}: no session here ({SessionFolder.DocumentName} is missing)");
            try
            {
                if (result.GetValue(restore) is int version)
                {
                    int made = session.Restore(version);
                    console.Profile.Out.Writer.WriteLine($"version {version} of {session.Path} is the session's again, as version {made}");
                    return 0;
                }
                var opened = session.Open();
                // Plain lines: Spectre would wrap them at its idea of the width.
                Show(console.Profile.Out.Writer, session, opened);
                // What was left out (or a model changed) makes it a session that does not open whole.
                var problems = opened.LeftOut.Concat(ModelProblems(opened.Contents)).ToList();
                if (problems.Count > 0) throw new UsageException($"{session.Path}: {problems[0]}{(problems.Count > 1 ? $" (and {problems.Count - 1} more)" : "")}");
                return 0;
            }
            catch (Exception e) when (e is SessionException or TerrainFileException or IOException)
            {
                throw new UsageException(e.Message);
            }
        });
        return command;
    }

    /// <summary>The model file missing or changed since, or of another latent size than the terrain.</summary>
    private static List<string> ModelProblems(SessionContents contents)
    {
        string? path = contents.Model.Path;
        if (path != null && !File.Exists(path)) return [$"the model it was made with, {path}, is missing"];
        var problems = new List<string>();
        if (path != null && contents.Model.Sha256 != null && LoadedModels.HashOf(path) != contents.Model.Sha256)
            problems.Add($"the model {path} has changed since the session was saved (its SHA-256 differs)");
        try
        {
            using var model = Models.Open(path ?? Models.BuiltIn, null, attributes: contents.Model.Attributes);
            if (model.LatentSize != contents.Teaching.Network.Config.LatentSize)
                problems.Add($"its terrain makes {contents.Teaching.Network.Config.LatentSize} latents but {model.Name} takes {model.LatentSize}");
        }
        catch (ModelException e)
        {
            problems.Add($"its model cannot be opened: {e.Message}");
        }
        return problems;
    }

    private static void Show(TextWriter console, SessionFolder session, OpenedSession opened)
    {
        var (model, settings, teaching) = opened.Contents;
        var config = teaching.Network.Config;
        var lesson = teaching.Lesson;
        string Line(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
        console.WriteLine(Line($"session {session.Path}: version {opened.Version} (kept: {string.Join(", ", session.SavedVersions)})"));
        console.WriteLine($"model: {model.Path ?? model.Name}{(model.Attributes.Count > 0 ? $" ({string.Join(", ", model.Attributes)})" : "")}");
        console.WriteLine(Line($"terrain: {config.InputDims} -> {config.LatentSize}, width {config.Width}, depth {config.Depth}, {config.FourierFeatures} Fourier features, sigma {config.Sigma}, {config.Activation}, seed {config.Seed}"));
        console.WriteLine(teaching.Trainer is { } trainer
            ? Line($"training: epoch {trainer.Epoch}, step {trainer.Step}, learning rate {trainer.LearningRate:G3} (Adam's moments kept: it goes on where it stopped)")
            : "training: none yet");
        console.WriteLine(Line($"fragments: {lesson.Fragments.Count}, paths: {lesson.Paths.Count}, points: {lesson.Points.Count}, density {lesson.Density}"));
        foreach (var fragment in lesson.Fragments.Values)
            console.WriteLine(Line($"  {fragment.Number,3} {fragment.Name,-24} {fragment.Seconds,6:0.00} s {fragment.Frames.Length,5} frames  path {lesson.PathState(fragment.Number).ToString().ToLowerInvariant()}{(fragment.Audio == null ? "  (latents only)" : "")}"));
        if (teaching.Positions.Count > 0)
            console.WriteLine("positions: " + string.Join(", ", teaching.Positions.Select(p => Line($"{p.Number} ({p.X:0.###}, {p.Y:0.###})"))));
        foreach (var binding in settings.Bindings) console.WriteLine($"binding: {binding}");
        if (settings.Mappings.Count > 0) console.WriteLine($"mappings: {string.Join(", ", settings.Mappings)}");
        foreach (string left in opened.LeftOut) console.WriteLine($"left out: {left}");
    }
}
