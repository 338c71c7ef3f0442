using System.Globalization;
using System.Text;
using System.Text.Json;
using LatentTerrain.Engine.Audio;
using LatentTerrain.Engine.Datasets;
using LatentTerrain.Engine.Files;
using LatentTerrain.Engine.Maps;
using LatentTerrain.Engine.Terrain;
using LatentTerrain.Instrument;
using LatentTerrain.Instrument.Actions;
using LatentTerrain.Instrument.Live;
using LatentTerrain.Instrument.Teaching;
using LatentTerrain.Mappings;
using LatentTerrain.Models;
using LatentTerrain.Models.BuiltIn;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Teaching;

/// <summary>
/// Teaching the playing terrain through the action vocabulary (the lines standard input, the
/// interface and MIDI learn send), with the instrument playing into a JACK server of the test's own.
/// </summary>
[Collection(JackServer.Collection)]
public sealed class TeachingTests
{
    private const int Rate = 48000;

    /// <summary>
    /// Three sound files, their paths drawn, trained: along each path the terrain gives that
    /// fragment's latents. The bound is a tenth of the latents' own variance (the terrain explains
    /// nine tenths of how they vary along the paths, where the untrained terrain explains none); the
    /// map changes, the latents a held cursor feeds the decoder move towards the fragment's, undo and
    /// redo give back the dataset byte for byte, and a point taken from another cursor teaches its
    /// sound to a new place.
    /// </summary>
    [JackFact]
    public void Fragments_drawn_and_trained_give_their_latents_along_their_paths()
    {
        using var server = JackServer.Start();
        string scratch = Paths.NewScratch();
        using var model = new WatchedModel(new BuiltInCodec(new BuiltInCodecOptions { SampleRate = Rate, Ratio = 2048 }));
        using var stage = new Stage(model);
        var (instrument, teacher, actions) = (stage.Instrument, stage.Teacher, stage.Actions);
        var Do = stage.Do;

        float[] rows = [-3f, -1f, 1f];
        for (int i = 0; i < 3; i++)
        {
            string file = Path.Combine(scratch, $"glide{i + 1}.wav");
            AudioFile.Write(file, Glide(110 * (i + 2), 3.0, i));
            Assert.Contains($"fragment {i + 1} 'glide{i + 1}'", Do($"fragment add {file}"));
        }
        var lesson = teacher.Lesson;
        for (int i = 1; i <= 3; i++)
        {
            float half = (float)lesson.Fragments[i].PathLength(lesson.Density) / 2;
            Assert.Contains("complete", Do(Line($"path {i} {-half},{rows[i - 1]} {half},{rows[i - 1]}")));
        }

        // A cursor held on path 2, a quarter of the way along.
        var fragment2 = teacher.Lesson.Fragments[2];
        float held = -(float)fragment2.PathLength(lesson.Density) / 4;
        Do(Line($"0 {held} {rows[1]} 1"));
        var heard = model.NextLatent();
        var mapBefore = Map(instrument);

        Assert.Contains("training 300 epochs", Do("train 300"));
        Assert.Contains("training finished at epoch 300", Do("wait"));

        var dataset = teacher.Lesson.ToDataset(model.LatentSize);
        using (var lease = instrument.Terrain.Acquire())
            for (int t = 0; t < 3; t++)
            {
                var trajectory = dataset.Trajectories[t];
                var placed = trajectory.PlacePoints(dataset.Density);
                Assert.Equal(trajectory.FrameCount, placed.Length);
                var (error, variance) = ErrorAlong(lease.Network, placed, trajectory.Latents);
                Assert.True(error < 0.1 * variance, $"path {t + 1}: mean squared error {error:G3} against the latents' variance {variance:G3}");
            }

        var mapAfter = Map(instrument);
        double changed = mapBefore.Zip(mapAfter, (a, b) => Math.Abs(a - b)).Average();
        Assert.True(changed > 1e-3, $"the map hardly changed ({changed:G3} per value)");

        // The frame under the held cursor (a quarter along: frame (frames - 1) / 4).
        var target = fragment2.Frames[(int)Math.Round((fragment2.Frames.Length - 1) / 4.0)];
        var trained = model.NextLatent();
        Assert.True(Distance(trained, target) < 0.5 * Distance(heard, target),
            $"the decoder's latent moved from {Distance(heard, target):G3} to {Distance(trained, target):G3} away from the fragment's");

        // Undo and redo give back each dataset exactly.
        string taught = Json(teacher.Lesson.ToDataset(8));
        Do("point 0 3.5 latent 1 2 3 4 5 6 7 8");
        string withPoint = Json(teacher.Lesson.ToDataset(8));
        Assert.Equal("undid point 1", Do("undo"));
        Assert.Equal(taught, Json(teacher.Lesson.ToDataset(8)));
        Assert.Equal("redid point 1", Do("redo"));
        Assert.Equal(withPoint, Json(teacher.Lesson.ToDataset(8)));
        Do("delete point 1");
        Do("delete path 3");
        Do("undo");
        Do("undo");
        Assert.Equal(withPoint, Json(teacher.Lesson.ToDataset(8)));
        Do("undo");
        Assert.Equal(taught, Json(teacher.Lesson.ToDataset(8)));

        // Another cursor's sound, moved to an empty place and learnt there.
        var fragment1 = teacher.Lesson.Fragments[1];
        float from = (float)fragment1.PathLength(lesson.Density) / 3;
        Do(Line($"1 {from} {rows[0]} 1"));
        int cursor = Cursor(instrument, from, rows[0]);
        var moved = teacher.LatentUnderCursor(cursor);
        Assert.Contains("point 1 at (0, 3.5) from cursor", Do($"point 0 3.5 cursor {cursor}"));
        Do("train 300");
        Do("wait");
        var there = teacher.LatentAt(0f, 3.5f);
        var spread = Variance(dataset.Trajectories.SelectMany(t => t.Latents).ToArray());
        double pointError = there.Zip(moved, (a, b) => (double)(a - b) * (a - b)).Average();
        Assert.True(pointError < 0.1 * spread, $"at the point: mean squared error {pointError:G3} against the latents' variance {spread:G3}");
        actions.LiftAll();

        // Path 3 played: a cursor travels it from its start (at the fragment's own speed, on the audio clock), until stopped.
        var path3 = teacher.Lesson.Paths[3].Anchors;
        Assert.Contains("playing path 3 (70 points, 2.99 s) in a loop", Do("play path 3 loop"));
        bool Travelling(float beyond) => Enumerable.Range(0, 16).Select(instrument.Synth.Cursors.Read)
            .Any(c => c.Active && c.Y == rows[2] && c.X > beyond);
        Assert.True(SpinWait.SpinUntil(() => Travelling(path3[0][0] + 5), TimeSpan.FromSeconds(30)), "no cursor travelled path 3");
        Assert.Equal(3, teacher.Status.PlayingPath);
        Assert.Equal("playback stopped", Do("play stop"));
        Assert.False(Travelling(float.MinValue), "the path's cursor still sounds");
        Assert.Contains("playing fragment 3 'glide3' (3.00 s)", Do("play fragment 3"));
        Assert.True(instrument.Synth.PlayingClip);
        Do("play stop");
        Assert.False(instrument.Synth.PlayingClip);
    }

    /// <summary>
    /// The same teaching through the real program's headless standard input: three sound files,
    /// their paths, training until `wait` returns, a point taken from a typed finger's cursor, undo and
    /// redo, exports. Each line is answered in one line; what was exported is checked as above: the
    /// terrain gives each fragment's latents along its path (within a tenth of their variance), it
    /// differs from the terrain it started from, undo and redo give back the dataset byte for byte.
    /// </summary>
    [JackFact]
    public void Teaching_through_headless_standard_input()
    {
        using var server = JackServer.Start();
        string scratch = Paths.NewScratch();
        string Scratch(string name) => Path.Combine(scratch, name);
        var script = new StringBuilder();
        float[] rows = [-3f, -1f, 1f];
        for (int i = 0; i < 3; i++)
        {
            AudioFile.Write(Scratch($"glide{i + 1}.wav"), Glide(110 * (i + 2), 3.0, i));
            script.AppendLine($"fragment add {Scratch($"glide{i + 1}.wav")}");
            // 3 s at the built-in codec's encoding frames (2048 at 48 kHz): 70 frames, a path of 27.6.
            script.AppendLine(Line($"path {i + 1} -13.8,{rows[i]} 0,{rows[i]} 13.8,{rows[i]}"));
        }
        script.AppendLine($"export terrain {Scratch("untrained.safetensors")}");
        script.AppendLine("train 300").AppendLine("wait");
        script.AppendLine($"export dataset {Scratch("taught.json")}");
        script.AppendLine("0 4.6 -3 1").AppendLine("point 0 3.5 cursor 0").AppendLine("0 0 0 0");
        script.AppendLine($"export dataset {Scratch("pointed.json")}");
        script.AppendLine("undo").AppendLine($"export dataset {Scratch("undone.json")}");
        script.AppendLine("redo").AppendLine($"export dataset {Scratch("redone.json")}");
        script.AppendLine("undo").AppendLine($"export terrain {Scratch("trained.safetensors")}").AppendLine("quit");

        var (exit, output, error) = TestProgram.RunTerrainTyping(TimeSpan.FromMinutes(3), script.ToString(), TimeSpan.FromMinutes(2), "play", "--headless", "--midi", "none");
        Assert.True(exit == 0, $"exit {exit}: {error}\n{output}");
        Assert.Equal("", error.Trim());
        foreach (string said in new[]
        {
            "fragment 1 'glide1': 3.00 s, 70 latent frames", "fragment 3 'glide3'", "path 2: 3 anchors, 27.6 long, complete",
            "training 300 epochs on 3 paths and 0 points", "training finished at epoch 300", "point 1 at (0, 3.5) from cursor 0",
            "undid point 1", "redid point 1", $"dataset (3 paths, 1 points) -> {Scratch("pointed.json")}", $"terrain -> {Scratch("trained.safetensors")}",
        })
            Assert.True(output.Contains(said), $"'{said}' was not said:\n{output}");

        Assert.Equal(File.ReadAllBytes(Scratch("taught.json")), File.ReadAllBytes(Scratch("undone.json")));
        Assert.Equal(File.ReadAllBytes(Scratch("pointed.json")), File.ReadAllBytes(Scratch("redone.json")));
        var dataset = DatasetFile.Load(Scratch("taught.json"));
        var trained = Engine.Files.TerrainFile.Load(Scratch("trained.safetensors"));
        for (int t = 0; t < 3; t++)
        {
            var trajectory = dataset.Trajectories[t];
            var (trainedError, variance) = ErrorAlong(trained, trajectory.PlacePoints(dataset.Density), trajectory.Latents);
            Assert.True(trainedError < 0.1 * variance, $"path {t + 1}: mean squared error {trainedError:G3} against the latents' variance {variance:G3}");
        }
        var untrained = Engine.Files.TerrainFile.Load(Scratch("untrained.safetensors"));
        Assert.NotEqual(untrained.Parameters, trained.Parameters);
    }

    /// <summary>
    /// MIDI learn in the real program: `learn train`, then a controller's CC binds to it; its next
    /// press starts training (the real trainer: epochs go by), the press after stops it, and the
    /// controller's other controls play on.
    /// </summary>
    [JackFact]
    public void A_CC_learnt_for_train_starts_and_stops_training()
    {
        using var server = JackServer.Start();
        using var knobs = LatentTerrain.Controllers.Midi.MidiOutput.OpenVirtual("nanoKONTROL2", clientName: "korg");
        string scratch = Paths.NewScratch();
        AudioFile.Write(Path.Combine(scratch, "glide.wav"), Glide(220, 2.0, 0));
        using var terrain = TestProgram.StartTerrain("play", "--headless", "--midi", "nanoKONTROL2");
        var wait = TimeSpan.FromSeconds(30);
        terrain.WaitFor("MIDI input 'korg:nanoKONTROL2'", wait);
        terrain.Type($"fragment add {Path.Combine(scratch, "glide.wav")}");
        terrain.Type("path 1 -8,0 8,0");
        terrain.WaitFor("path 1:", wait);
        terrain.Type("learn train");
        terrain.WaitFor("move a control to bind it to 'train'", wait);
        void Send(string hex) => knobs.Send(Convert.FromHexString(hex.Replace(" ", "")));
        Send("B0 14 7F");
        terrain.WaitFor("-> train", wait);
        Send("B0 14 00");
        int bound = terrain.Printed.Length;
        Send("B0 14 7F");
        terrain.WaitFor("training on 1 path and 0 points", wait, bound);
        terrain.WaitFor("| training epoch ", wait, bound);
        Send("B0 14 00");
        int started = terrain.Printed.Length;
        Send("B0 14 7F");
        terrain.WaitFor("training stopped at epoch", wait, started);
        Assert.Equal(0, terrain.Quit(wait));
    }

    /// <summary>
    /// A reset plays a new network of another shape (new voices crossfaded in, the instrument playing
    /// on), undo gives back the trained one weight for weight and redo the new one; the terrain goes
    /// out as nn.terrain~'s checkpoint while it is the reference's kind, and the dataset as the
    /// reference's Max dictionaries, and both come back the same.
    /// </summary>
    [JackFact]
    public void A_reset_is_undone_weight_for_weight_and_the_dataset_exports_for_max()
    {
        using var server = JackServer.Start();
        string scratch = Paths.NewScratch();
        using var model = new BuiltInCodec(new BuiltInCodecOptions { SampleRate = Rate, Ratio = 128 });
        using var stage = new Stage(model);
        var (instrument, teacher, actions) = (stage.Instrument, stage.Teacher, stage.Actions);
        var Do = stage.Do;
        AudioFile.Write(Path.Combine(scratch, "a.wav"), Glide(330, 2.0, 1));
        Do($"fragment add {Path.Combine(scratch, "a.wav")}");
        Do("path 1 -9,1 0,-1 9,1");
        Do("point 12 3 fragment 1 1.5");
        Do("train 20");
        Do("wait");
        Do("0 0 0 1");
        float[] Weights()
        {
            using var lease = instrument.Terrain.Acquire();
            return (float[])lease.Network.Parameters.Clone();
        }
        var trained = Weights();
        // The default terrain is the reference's kind: it goes to Max as nn.terrain~'s checkpoint, until the reset below makes it SiLU.
        string pt = Path.Combine(scratch, "trained.pt");
        Assert.Equal($"terrain (nn.terrain~ checkpoint) -> {pt}", Do($"export terrain {pt}"));
        Assert.Equal(trained, TerrainFile.Load(pt).Parameters);

        Assert.Equal("a new terrain: seed 8, sigma 0.3, width 64, depth 3, SiLU", Do("reset seed=8 sigma=0.3 width=64 depth=3 activation=silu"));
        Assert.Equal(new TerrainConfig { LatentSize = 8, Width = 64, Depth = 3, Sigma = 0.3f, Activation = Activation.SiLU, Seed = 8 }, teacher.Config);
        var fresh = Weights();
        Assert.Equal(TerrainNetwork.Create(teacher.Config).Parameters, fresh);
        Assert.True(SpinWait.SpinUntil(() => instrument.Synth.SoundingVoices == 1 && !instrument.Output.Lost, TimeSpan.FromSeconds(10)), "the held cursor stopped sounding");
        Assert.Equal("undid reset", Do("undo"));
        Assert.Equal(trained, Weights());
        Assert.Equal("redid reset", Do("redo"));
        Assert.Equal(fresh, Weights());
        Do("0 0 0 0");
        var refused = actions.Apply($"export terrain {pt}");
        Assert.True(refused.Failed);
        Assert.Equal($"export: {pt}: not exported: the reference's nn.terrain~ has 4 PReLU layers; this terrain has depth 3 with SiLU: keep it as a .terrain (safetensors) file", refused.Text);

        string max = Path.Combine(scratch, "dataset.json");
        Assert.Contains("Max dictionaries", Do($"export dataset max:{max}"));
        // The reference keeps each path as the coordinates of its placed points, and a point as a path of one.
        var back = DatasetFile.Load(max).ToPairs();
        var taught = teacher.Lesson.ToDataset(8).ToPairs();
        Assert.Equal(taught.Coordinates, back.Coordinates);
        Assert.Equal(taught.Latents, back.Latents);
    }

    /// <summary>
    /// A sound a JACK client of the test's own plays into the instrument's input, recorded with
    /// `fragment record` / `fragment stop`, encodes to the latents the same encoder gives that sound
    /// offline, placed where it was heard in the take. JACK hands float samples on untouched and the
    /// input mixes two equal channels to the model's one exactly ((x + x) / 2 is x in floats), so the
    /// take is the sound with silence around it sample for sample and the latents agree to float
    /// rounding; a take a late cycle spoilt (an xrun, counted by the input) is taken again, five times
    /// at most. `point X Y input` then takes the input's latent now: the encoder's last frame of it.
    /// </summary>
    [JackFact]
    public void A_sound_recorded_from_the_input_encodes_as_it_does_offline()
    {
        using var server = JackServer.Start();
        using var model = new BuiltInCodec(new BuiltInCodecOptions { SampleRate = Rate, Ratio = 128 });
        using var stage = new Stage(model);
        var (instrument, teacher, actions) = (stage.Instrument, stage.Teacher, stage.Actions);
        var input = instrument.Input;
        Assert.True(input != null, instrument.InputProblem);
        using var player = new JackPlayer(server, 2, "terrain:in_0", "terrain:in_1");
        var sound = Glide(330, 1.5, 2).Channel(0).ToArray();
        var stereo = sound.SelectMany(sample => new[] { sample, sample }).ToArray();
        var encoder = new BuiltInCodec(new BuiltInCodecOptions { SampleRate = Rate, Ratio = 2048 });  // the built-in codec's encoding frames, as the teacher encodes

        string? problem = null;
        for (int take = 1; take <= 5; take++)
        {
            long gaps = input.HostGaps, overruns = input.Overruns;
            Assert.StartsWith("recording system", actions.Apply("fragment record").Text);
            player.Play(stereo);
            Assert.True(SpinWait.SpinUntil(() => teacher.Status.RecordingSeconds > 2.2, TimeSpan.FromSeconds(30)), "the take did not last");
            var answer = actions.Apply("fragment stop");
            Assert.False(answer.Failed, answer.Text);
            var fragment = teacher.Lesson.Fragments.Values.Last();
            Assert.Equal("audio input", fragment.Source);
            var heard = fragment.Audio!.Channel(0).ToArray();
            int lag = Alignment.Lag(sound, heard);
            var placed = new float[heard.Length];
            if (lag >= 0 && lag + sound.Length <= heard.Length) sound.CopyTo(placed, lag);
            if (heard.SequenceEqual(placed))
            {
                var offline = encoder.Encode(placed);
                var recorded = fragment.Frames.SelectMany(frame => frame).ToArray();
                Assert.Equal(offline.Length, recorded.Length);
                double worst = offline.Zip(recorded, (a, b) => Math.Abs(a - b)).Max();
                Assert.True(worst <= 1e-5, $"the recorded fragment's latents differ from the offline encoding by up to {worst:G3}");
                Assert.Contains("point 1 at (2, 2) from audio input", actions.Apply("point 2 2 input").Text);
                // What the instrument itself played, caught after the fact.
                Assert.Matches(@"^fragment \d+ 'capture [0-9:]+': 1\.00 s, 23 latent frames", actions.Apply("fragment capture 1").Text);
                Assert.Contains("give 0 to 30 seconds", actions.Apply("fragment capture 100").Text);
                return;
            }
            problem = $"take {take}: the sound was found at frame {lag} of {heard.Length}, not exactly; {input.HostGaps - gaps} xruns, {input.Overruns - overruns} overruns";
            if (input.HostGaps == gaps && input.Overruns == overruns) break;
        }
        Assert.Fail(problem);
    }

    /// <summary>
    /// `draw N` while a touch moves (a pad or XY controller; here a typed finger): the next touch
    /// draws fragment N's path, an anchor each time it has moved a quarter unit, until `draw stop`,
    /// which makes it the path (one edit, undoable); a touch already sounding is not the pen.
    /// </summary>
    [JackFact]
    public void A_touch_draws_a_path_while_draw_is_held()
    {
        using var server = JackServer.Start();
        string scratch = Paths.NewScratch();
        using var model = new BuiltInCodec(new BuiltInCodecOptions { SampleRate = Rate, Ratio = 128 });
        using var stage = new Stage(model);
        AudioFile.Write(Path.Combine(scratch, "g.wav"), Glide(300, 3.0, 1));
        stage.Do($"fragment add {Path.Combine(scratch, "g.wav")}");
        stage.Do("5 12 3 1");
        Assert.Contains("drawing path 1 with the next touch", stage.Do("draw 1"));
        (float X, float Y)[] drawn = [(-10f, 0f), (-5f, 0f), (0f, 0.5f), (0.1f, 0.5f)];
        int expected = 0;
        foreach (var (x, y) in drawn)
        {
            stage.Do(Line($"0 {x} {y} 1"));
            // The last move is shorter than the pen's step: no anchor for it.
            if (x != 0.1f) expected++;
            int want = expected;
            Assert.True(SpinWait.SpinUntil(() => stage.Teacher.PenAnchors >= want, TimeSpan.FromSeconds(10)), $"the pen took {stage.Teacher.PenAnchors} anchors, not {want}; cursors: {string.Join(" ", Enumerable.Range(0, 16).Select(stage.Instrument.Synth.Cursors.Read).Select((c, i) => c.Active ? $"{i}:({c.X},{c.Y})" : ""))}");
        }
        stage.Do("0 0 0 0");
        Assert.StartsWith("path 1: 3 anchors, 10.02 long, incomplete", stage.Do("draw stop"));
        Assert.Equal([[-10f, 0f], [-5f, 0f], [0f, 0.5f]], stage.Teacher.Lesson.Paths[1].Anchors);
        Assert.Equal("undid path 1", stage.Do("undo"));
        Assert.Contains("draw stop: not drawing", stage.Actions.Apply("draw stop").Text);
    }

    /// <summary>What does not fit is one line each, and changes nothing.</summary>
    [JackFact]
    public void Bad_lines_are_refused_in_one_line_and_change_nothing()
    {
        using var server = JackServer.Start();
        string scratch = Paths.NewScratch();
        using var model = new BuiltInCodec(new BuiltInCodecOptions { SampleRate = Rate, Ratio = 128 });
        using var stage = new Stage(model);
        var (instrument, teacher, actions) = (stage.Instrument, stage.Teacher, stage.Actions);

        string empty = Path.Combine(scratch, "empty.wav"), garbage = Path.Combine(scratch, "garbage.wav"), blip = Path.Combine(scratch, "blip.wav");
        AudioFile.Write(empty, new AudioBuffer(Rate, 1, 0));
        File.WriteAllText(garbage, "this is not a sound");
        AudioFile.Write(blip, Glide(440, 0.01, 0));
        string good = Path.Combine(scratch, "good.wav");
        AudioFile.Write(good, Glide(220, 0.3, 1));

        Assert.False(actions.Apply($"fragment add {good}").Failed);
        Assert.Contains("shorter than the model's receptive field", actions.Apply($"fragment add {good}").Text);
        var before = teacher.Lesson;
        (string Line, string Says)[] refused =
        [
            ($"fragment add {Path.Combine(scratch, "missing.wav")}", "no such file"),
            ($"fragment add {empty}", "the file holds no audio"),
            ($"fragment add {garbage}", "garbage.wav"),
            ($"fragment add {blip}", "shorter than one latent frame"),
            ("path 1 40,0 41,0", "off the map"),
            ("path 7 0,0 1,0", "there is no fragment 7"),
            ("path 1 0,0 1", "expected path N"),
            ("path one 0,0 1,1", "'one' is not a whole number"),
            ("point 0 0 cursor 3", "cursor 3 is not playing"),
            ("point 0 0 fragment 1 9", "is not in it"),
            ("point 0 0 latent 1 2", "a latent of 2 values"),
            ("delete point 1", "there is no point 1"),
            ("train", "nothing to train on"),
            ("train 0", "at least 1"),
            ("lr sideways", "say up, down or a rate"),
            ("reset width=0", "width must be"),
            ("reset colour=blue", "'colour=blue' is not a setting"),
            ("density -1", "must be more than 0"),
            ("undo undo", "ignored"),
            ("export terrain", "expected export"),
            ($"export terrain {Path.Combine(scratch, "no", "such", "folder", "t.safetensors")}", "export:"),
            ("play path 1", "has no path"),
            ("recall 2", "there is no position 2"),
        ];
        foreach (var (line, says) in refused)
        {
            var answer = actions.Apply(line);
            Assert.True(answer.Failed, $"{line} was not refused: {answer.Text}");
            Assert.True(answer.Text.Contains(says), $"{line}: {answer.Text}");
            Assert.DoesNotContain('\n', answer.Text);
            Assert.Same(before, teacher.Lesson);
        }
        Assert.True(instrument.Output.Underruns >= 0 && !instrument.Output.Lost, "the instrument plays on");
    }

    private static string Line(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>A tone gliding up an octave, swelling and fading, a little different for each <paramref name="seed"/>.</summary>
    internal static AudioBuffer Glide(double frequency, double seconds, int seed)
    {
        int frames = (int)(seconds * Rate);
        var samples = new float[frames];
        double phase = 0;
        for (int t = 0; t < frames; t++)
        {
            double x = (double)t / frames;
            phase += 2 * Math.PI * frequency * Math.Pow(2, x) / Rate;
            double envelope = 0.2 + 0.6 * Math.Sin(Math.PI * x * (1 + seed));
            samples[t] = (float)(Math.Abs(envelope) * Math.Sin(phase) + 0.1 * seed * Math.Sin(3 * phase));
        }
        return new AudioBuffer(Rate, 1, samples);
    }

    internal static (double Error, double Variance) ErrorAlong(TerrainNetwork network, float[][] placed, IReadOnlyList<float[]> latents)
    {
        var evaluator = new TerrainEvaluator(network.Config, placed.Length);
        var predicted = new float[placed.Length * network.Config.LatentSize];
        evaluator.Evaluate(network, placed.SelectMany(p => p).ToArray(), predicted);
        int size = network.Config.LatentSize;
        double error = 0;
        for (int i = 0; i < placed.Length; i++)
            for (int d = 0; d < size; d++)
                error += Math.Pow(predicted[i * size + d] - latents[i][d], 2);
        return (error / (placed.Length * size), Variance([.. latents]));
    }

    /// <summary>The latents' variance, per dimension about its own mean, averaged over dimensions.</summary>
    private static double Variance(float[][] latents)
    {
        int size = latents[0].Length;
        double sum = 0;
        for (int d = 0; d < size; d++)
        {
            double mean = latents.Average(l => l[d]);
            sum += latents.Average(l => Math.Pow(l[d] - mean, 2));
        }
        return sum / size;
    }

    private static double Distance(float[] a, float[] b) => Math.Sqrt(a.Zip(b, (x, y) => (double)(x - y) * (x - y)).Sum());

    private static float[] Map(LiveInstrument instrument)
    {
        using var lease = instrument.Terrain.Acquire();
        var map = new TerrainMap(lease.Network.Config, 64, 16);
        var latents = new float[64 * 16 * lease.Network.Config.LatentSize];
        var coordinates = new float[64 * 16 * 2];
        for (int row = 0; row < 16; row++)
            for (int column = 0; column < 64; column++)
            {
                coordinates[(row * 64 + column) * 2] = map.ColumnX(column);
                coordinates[(row * 64 + column) * 2 + 1] = map.RowY(row);
            }
        new TerrainEvaluator(lease.Network.Config, 64 * 16).Evaluate(lease.Network, coordinates, latents);
        return latents;
    }

    private static int Cursor(LiveInstrument instrument, float x, float y)
    {
        for (int i = 0; i < 16; i++)
            if (instrument.Synth.Cursors.Read(i) is { Active: true } cursor && cursor.X == x && cursor.Y == y) return i;
        throw new InvalidOperationException($"no cursor at ({x}, {y})");
    }

    internal static string Json(TerrainDataset dataset)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream)) NativeDatasetFormat.Write(writer, dataset);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>A model whose decoders keep the newest latent they were given, for the test to read.</summary>
    private sealed class WatchedModel(IAutoencoder inner) : IAutoencoder
    {
        private readonly Lock _gate = new();
        private readonly float[] _latest = new float[inner.LatentSize];
        private long _frames;

        public string Name => inner.Name;
        public int LatentSize => inner.LatentSize;
        public int Ratio => inner.Ratio;
        public int SampleRate => inner.SampleRate;
        public int Channels => inner.Channels;
        public float[] Encode(ReadOnlySpan<float> audio) => inner.Encode(audio);
        public IStreamingDecoder CreateDecoder() => new Decoder(this, inner.CreateDecoder());
        public void Dispose() => inner.Dispose();

        /// <summary>The latent of a frame decoded after this call (a few blocks of the audio clock later, while a voice sounds).</summary>
        public float[] NextLatent()
        {
            long seen;
            lock (_gate) seen = _frames;
            var patience = System.Diagnostics.Stopwatch.StartNew();
            // Frames a voice smooths its latent over after a change, and then one more.
            while (true)
            {
                lock (_gate)
                    if (_frames > seen + 20) return (float[])_latest.Clone();
                if (patience.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException("no frame was decoded in 30 s");
                Thread.Sleep(10);
            }
        }

        private sealed class Decoder(WatchedModel model, IStreamingDecoder decoder) : IStreamingDecoder
        {
            public void Decode(ReadOnlySpan<float> latent, Span<float> audio)
            {
                decoder.Decode(latent, audio);
                lock (model._gate)
                {
                    latent.CopyTo(model._latest);
                    model._frames++;
                }
            }

            public void Reset() => decoder.Reset();
            public void Dispose() => decoder.Dispose();
        }
    }
}
