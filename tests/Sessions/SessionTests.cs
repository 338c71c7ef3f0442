using System.Collections.Immutable;
using System.Diagnostics;
using System.Security.Cryptography;
using LatentTerrain.Engine.Audio;
using LatentTerrain.Engine.Terrain;
using LatentTerrain.Instrument;
using LatentTerrain.Instrument.Actions;
using LatentTerrain.Instrument.Sessions;
using LatentTerrain.Instrument.Teaching;
using LatentTerrain.Models.BuiltIn;
using LatentTerrain.Tests.Instrument;
using LatentTerrain.Tests.Support;
using LatentTerrain.Tests.Teaching;
using LatentTerrain.Tui;

namespace LatentTerrain.Tests.Sessions;

/// <summary>Sessions on disk: what is made opens again the same, survives being killed, and a bad one is one line that changes nothing.</summary>
[Collection(JackServer.Collection)]
public sealed class SessionTests
{
    private const int Rate = 48000;

    /// <summary>
    /// A session made through the actions (fragments, paths, points, a stored position, a binding, a
    /// trained terrain with its optimiser's state), saved and opened again: the same dataset bytes, the
    /// same terrain, the same positions and bindings; and the next training step of an instrument that
    /// opened it is the one the instrument that saved it takes, weight for weight.
    /// </summary>
    [JackFact]
    public void A_session_opens_again_the_same_and_trains_on_as_if_never_saved()
    {
        using var server = JackServer.Start();
        string scratch = Paths.NewScratch();
        using var model = new BuiltInCodec(new BuiltInCodecOptions { SampleRate = Rate, Ratio = 128 });
        using var stage = new Stage(model);
        for (int i = 1; i <= 2; i++)
        {
            AudioFile.Write(Path.Combine(scratch, $"g{i}.wav"), TeachingTests.Glide(200 * i, 2.0, i));
            stage.Do($"fragment add {Path.Combine(scratch, $"g{i}.wav")}");
        }
        stage.Do("path 1 -9,-2 0,1 9,-2");
        stage.Do("path 2 -9,2 9,2");
        stage.Do("point 12 3 fragment 2 0.5");
        stage.Do("store 4 -3 1.5");
        stage.Do("train 15");
        stage.Do("wait");
        var bindings = new[] { new MidiBinding("korg:nanoKONTROL2", 1, MidiControlKind.ControlChange, 20, "train") };
        var settings = new SessionSettings { Bindings = bindings, Mappings = ["LPX=pads.json"], Frames = 256, View = new ViewEntry { Channel = 2, Colour = true, XMin = -8 } };
        var saved = new SessionContents(new ModelEntry(model.Name, null, null, []), settings, stage.Teacher.Snapshot());
        var folder = new SessionFolder(Path.Combine(scratch, "session"));
        Assert.Equal(1, folder.Save(saved));

        var opened = new SessionFolder(folder.Path).Open();
        Assert.Empty(opened.LeftOut);
        var (again, teaching) = (opened.Contents, opened.Contents.Teaching);
        Assert.Equal(TeachingTests.Json(saved.Teaching.Lesson.ToDataset(8)), TeachingTests.Json(teaching.Lesson.ToDataset(8)));
        Assert.Equal(saved.Teaching.Network.Parameters, teaching.Network.Parameters);
        Assert.Equal(saved.Teaching.Network.FourierB, teaching.Network.FourierB);
        Assert.Equal(saved.Teaching.Network.Config, teaching.Network.Config);
        Assert.Equal([new StoredPosition(4, -3f, 1.5f)], teaching.Positions);
        Assert.Equal(bindings, again.Settings.Bindings);
        Assert.Equal(settings with { Bindings = again.Settings.Bindings, Mappings = again.Settings.Mappings, Positions = again.Settings.Positions }, again.Settings);
        Assert.Equal(settings.Mappings, again.Settings.Mappings);
        Assert.Equal(saved.Teaching.Trainer!.Epoch, teaching.Trainer!.Epoch);
        Assert.Equal(saved.Teaching.Lesson.Fragments[1].Name, teaching.Lesson.Fragments[1].Name);
        Assert.Equal(saved.Teaching.Lesson.Fragments[1].Audio!.Frames, teaching.Lesson.Fragments[1].Audio!.Frames);

        using var other = new BuiltInCodec(new BuiltInCodecOptions { SampleRate = Rate, Ratio = 128 });
        using var reopened = new Stage(other);
        reopened.Teacher.Restore(teaching);
        foreach (var instrument in new[] { stage, reopened })
        {
            instrument.Do("train 1");
            instrument.Do("wait");
        }
        var (before, after) = (stage.Teacher.Snapshot(), reopened.Teacher.Snapshot());
        Assert.Equal(before.Trainer!.Step, after.Trainer!.Step);
        Assert.Equal(before.Network.Parameters, after.Network.Parameters);
        Assert.Equal(before.Trainer.Moment2, after.Trainer.Moment2);
        // A new fragment takes the next number the saved session would have given.
        Assert.Contains("fragment 3", reopened.Do($"fragment add {Path.Combine(scratch, "g1.wav")}"));
    }

    /// <summary>
    /// The real program, training with its session autosaved every 0.2 s, killed (SIGKILL) at random
    /// moments 50 times: every time the session opens whole, its training never goes back, and the
    /// next run goes on from it.
    /// </summary>
    [JackFact]
    public void A_session_killed_while_training_and_autosaving_always_opens()
    {
        using var server = JackServer.Start();
        string scratch = Paths.NewScratch();
        AudioFile.Write(Path.Combine(scratch, "g.wav"), TeachingTests.Glide(300, 2.0, 1));
        string session = Path.Combine(scratch, "session");
        var random = new Random(5);
        int epoch = 0;
        for (int kill = 1; kill <= 50; kill++)
        {
            using var terrain = TestProgram.StartTerrain("play", session, "--headless", "--midi", "none", "--autosave", "0.2");
            if (kill == 1)
            {
                terrain.Type($"fragment add {Path.Combine(scratch, "g.wav")}");
                terrain.Type("path 1 -8,0 8,0");
                terrain.Type("point 0 3 fragment 1 1");
            }
            int from = terrain.Printed.Length;
            terrain.Type("train");
            terrain.WaitFor("training on", TimeSpan.FromSeconds(60), from);
            Thread.Sleep(random.Next(50, 1200));
            ProcessSignals.Kill(terrain.ProcessId);
            Assert.True(terrain.WaitForExit(TimeSpan.FromSeconds(10)), "the program outlived SIGKILL");

            var opened = new SessionFolder(session).Open();
            var trained = opened.Contents.Teaching.Trainer;
            Assert.True(opened.Contents.Teaching.Lesson.HasExamples, $"kill {kill}: the taught examples were lost");
            int now = trained?.Epoch ?? 0;
            Assert.True(now >= epoch, $"kill {kill}: the session went back from epoch {epoch} to {now}");
            epoch = now;
        }
        Assert.True(epoch > 0, "no training was ever saved");
    }

    /// <summary>
    /// Each bad session is one line and exit 1 from `terrain session`, and from `terrain play` where it
    /// cannot play; where it can (a fragment gone, the model changed), play opens what it can, says
    /// what it left out, and saves nothing over it. No file is changed by any of it.
    /// </summary>
    [JackFact]
    public void Bad_sessions_are_one_line_and_change_nothing()
    {
        using var server = JackServer.Start();
        string scratch = Paths.NewScratch();
        string Made(string name, Func<SessionContents, SessionContents>? change = null, Action<string>? spoil = null)
        {
            var folder = new SessionFolder(Path.Combine(scratch, name));
            folder.Save(change?.Invoke(Contents()) ?? Contents());
            spoil?.Invoke(folder.Path);
            return folder.Path;
        }
        void Edit(string folder, string from, string to)
        {
            string document = Path.Combine(folder, SessionFolder.DocumentName);
            string text = File.ReadAllText(document);
            Assert.Contains(from, text);
            // Replaced, not written through: the top's session.json is a link to the version's.
            File.Delete(document);
            File.WriteAllText(document, text.Replace(from, to));
        }

        string malformed = Made("malformed", spoil: folder => Edit(folder, "\"density\": 0.4", "\"density\": \"dense\""));
        string newer = Made("newer", spoil: folder => Edit(folder, "\"version\": 1,", "\"version\": 99,"));
        string missingModel = Made("missing-model", contents => contents with { Model = new ModelEntry("rave", Path.Combine(scratch, "rave.ts"), "00", []) });
        string wider = Made("wider", contents => contents with { Teaching = contents.Teaching with { Network = TerrainNetwork.Create(new TerrainConfig { LatentSize = 16, Width = 16 }), Lesson = Lesson.Empty } });
        string noFragment = Made("no-fragment", spoil: folder => File.Delete(Directory.GetFiles(Path.Combine(folder, "fragments"), "001-*.latents.safetensors").Single()));

        (string Folder, bool Plays, string Says)[] cases =
        [
            (malformed, false, "session.json: line "),
            (newer, false, "session version 99; this program reads version 1 (a newer program saved it)"),
            (missingModel, false, "rave.ts, is missing"),
            (wider, false, "terrain makes 16 latents but built-in codec takes 8"),
            (noFragment, true, "fragment 1 'one': fragments/001-"),
        ];
        foreach (var (folder, plays, says) in cases)
        {
            var before = Files(folder);
            CommandResult.Run("session", folder).AssertFailedWith(says);
            Assert.Equal(before, Files(folder));

            var (exit, output, error) = TestProgram.RunTerrainTyping(TimeSpan.FromMinutes(1), "quit\n", TimeSpan.FromSeconds(30), "play", folder, "--headless", "--midi", "none");
            Assert.True(exit == (plays ? 0 : 1), $"{folder}: exit {exit}: {error}");
            var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(lines.Length == 1 && lines[0].Contains(says), $"{folder}: expected one line saying '{says}', got:\n{error}");
            Assert.Equal(before, Files(folder));
        }
        // The malformed field by its line (counted from 1) and its path.
        int line = File.ReadAllLines(Path.Combine(malformed, SessionFolder.DocumentName)).ToList().FindIndex(text => text.Contains("\"density\": \"dense\"")) + 1;
        Assert.Contains($"session.json: line {line}, field 'lesson.density': ", CommandResult.Run("session", malformed).Error);
    }

    /// <summary>A model file that changed since the session was saved (its SHA-256 differs) is one line, and changes nothing.</summary>
    [PeerFact]
    public void A_model_changed_since_is_one_line()
    {
        string scratch = Paths.NewScratch();
        string model = Path.Combine(scratch, "rave_r44100.ts");
        File.Copy(TestModels.File("streaming_r44100.ts"), model);
        var folder = new SessionFolder(Path.Combine(scratch, "changed"));
        folder.Save(Contents() with { Model = new ModelEntry("rave", model, new string('0', 64), []) });
        var before = Files(folder.Path);
        CommandResult.Run("session", folder.Path).AssertFailedWith($"the model {model} has changed since the session was saved");
        Assert.Equal(before, Files(folder.Path));
    }

    /// <summary>
    /// Save, save as and open in the real program through standard input; then `terrain play` alone
    /// opens the last session played, says where, and finds what was taught there.
    /// </summary>
    [JackFact]
    public void Save_save_as_open_and_the_last_session()
    {
        using var server = JackServer.Start();
        string scratch = Paths.NewScratch(), home = Path.Combine(scratch, "data");
        AudioFile.Write(Path.Combine(scratch, "g.wav"), TeachingTests.Glide(300, 1.0, 1));
        string first = Path.Combine(scratch, "first"), second = Path.Combine(scratch, "second");
        var wait = TimeSpan.FromSeconds(60);
        using (var terrain = TestProgram.StartTerrainWithSessionsIn(home, "play", first, "--headless", "--midi", "none"))
        {
            terrain.WaitFor($"new session {first}", wait);
            terrain.Type($"fragment add {Path.Combine(scratch, "g.wav")}");
            terrain.Type("save");
            terrain.WaitFor($"saved {first} (version 1", wait);
            terrain.Type($"save {second}");
            terrain.WaitFor($"saved {second} (version 1", wait);
            terrain.Type("point 1 1 fragment 1 0.5");
            terrain.Type($"open {first}");
            terrain.WaitFor($"opened {first} (version 1)", wait);
            terrain.Type($"save {first}");
            terrain.WaitFor($"saved {first} (version 2", wait);
            Assert.Equal(0, terrain.Quit(wait));
        }
        // The point went with the session saved as, before the first was opened again.
        Assert.Single(new SessionFolder(second).Open().Contents.Teaching.Lesson.Points);
        Assert.Empty(new SessionFolder(first).Open().Contents.Teaching.Lesson.Points);

        using var again = TestProgram.StartTerrainWithSessionsIn(home, "play", "--headless", "--midi", "none");
        again.WaitFor($"session {first} (version 2): 1 fragments, 0 paths, 0 points", wait);
        Assert.Equal(0, again.Quit(wait));
    }

    /// <summary>
    /// Versions: each save is one, the last five are kept, and `terrain session --restore N` makes an
    /// older one the session's again as a new version; a damaged top (a save cut short) opens the
    /// newest whole version and says so.
    /// </summary>
    [Fact]
    public void Versions_are_kept_restored_and_opened_when_the_top_is_damaged()
    {
        string scratch = Paths.NewScratch();
        var folder = new SessionFolder(Path.Combine(scratch, "session"));
        var contents = Contents();
        for (int n = 1; n <= 7; n++)
        {
            var lesson = contents.Teaching.Lesson with { Density = 0.1f * n };
            Assert.Equal(n, folder.Save(contents with { Teaching = contents.Teaching with { Lesson = lesson } }));
        }
        Assert.Equal([3, 4, 5, 6, 7], folder.SavedVersions);
        var restored = CommandResult.Run("session", folder.Path, "--restore", "4");
        Assert.True(restored.ExitCode == 0, restored.Error);
        Assert.Contains("version 4 of", restored.Output);
        Assert.Contains("as version 8", restored.Output);
        Assert.Equal(0.4f, new SessionFolder(folder.Path).Open().Contents.Teaching.Lesson.Density, 6);
        CommandResult.Run("session", folder.Path, "--restore", "1").AssertFailedWith("no version 1 (kept: 4, 5, 6, 7, 8)");

        // The top's terrain replaced by another's, as a save cut short between two links leaves it.
        File.Delete(Path.Combine(folder.Path, SessionFolder.TerrainName));
        Engine.Files.TerrainFile.Save(TerrainNetwork.Create(new TerrainConfig { Seed = 3 }), Path.Combine(folder.Path, SessionFolder.TerrainName));
        var opened = new SessionFolder(folder.Path).Open();
        Assert.Equal(8, opened.Version);
        Assert.Contains("opened version 8", Assert.Single(opened.LeftOut));
        Assert.Equal(DefaultTerrain.Load().Parameters, opened.Contents.Teaching.Network.Parameters);
    }

    /// <summary>`terrain export SESSION --pt FILE`: the session's terrain as the reference's checkpoint, read back the same.</summary>
    [Fact]
    public void A_sessions_terrain_exports_as_the_references_checkpoint()
    {
        string scratch = Paths.NewScratch();
        var folder = new SessionFolder(Path.Combine(scratch, "session"));
        folder.Save(Contents());
        string pt = Path.Combine(scratch, "terrain.pt");
        var result = CommandResult.Run("export", folder.Path, "--pt", pt);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(DefaultTerrain.Load().Parameters, Engine.Files.TerrainFile.Load(pt).Parameters);
        CommandResult.Run("export", "--pt", pt).AssertFailedWith("give a SESSION or --terrain FILE");
    }

    /// <summary>A session of two fragments (one with a path) and a point, on the built-in terrain: made without playing.</summary>
    private static SessionContents Contents()
    {
        float[][] Frames(int count, float offset) => [.. Enumerable.Range(0, count).Select(f => Enumerable.Range(0, 8).Select(d => offset + 0.1f * f + d).ToArray())];
        var one = new Fragment(1, "one", "one.wav", new AudioBuffer(Rate, 1, Enumerable.Range(0, Rate).Select(t => MathF.Sin(t * 0.05f) * 0.3f).ToArray()), Frames(23, 0f), 23.4375);
        var two = new Fragment(2, "two", "two.wav", null, Frames(10, 1f), 23.4375);
        var lesson = new Lesson(ImmutableSortedDictionary.CreateRange([KeyValuePair.Create(1, one), KeyValuePair.Create(2, two)]),
            ImmutableSortedDictionary.CreateRange([KeyValuePair.Create(1, new LessonPath([[-4f, 0f], [4f, 0f]]))]),
            [new LessonPoint(3f, 3f, Frames(1, 2f)[0], "typed latent")], 0.4f);
        return new SessionContents(new ModelEntry("built-in codec", null, null, []), new SessionSettings(),
            new TeachingState(lesson, [new StoredPosition(1, 0f, 0f)], 1e-3f, DefaultTerrain.Load(), null, 3));
    }

    /// <summary>Every file of a folder, by its path within it, with its content's hash.</summary>
    private static Dictionary<string, string> Files(string folder) =>
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(file => Path.GetRelativePath(folder, file), file => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file))));
}
