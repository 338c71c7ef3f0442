using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using LatentTerrain.Engine.Audio;
using LatentTerrain.Engine.Datasets;
using LatentTerrain.Engine.Files;
using LatentTerrain.Engine.Maps;
using LatentTerrain.Engine.Rendering;
using LatentTerrain.Engine.Synthesis;
using LatentTerrain.Engine.Terrain;
using LatentTerrain.Instrument.Live;
using LatentTerrain.Mappings;
using LatentTerrain.Models;
using LatentTerrain.Models.BuiltIn;
using LatentTerrain.Tui;

namespace LatentTerrain.Instrument.Teaching;

/// <summary>What a session keeps of the teaching (see <see cref="Teacher.Snapshot"/>).</summary>
/// <param name="NextFragment">The number the next fragment gets: numbers are never reused.</param>
public sealed record TeachingState(Lesson Lesson, IReadOnlyList<StoredPosition> Positions, float LearningRate, TerrainNetwork Network, TrainerState? Trainer, int NextFragment);

/// <summary>An action that cannot be done as asked: the one line that says why. Nothing was changed.</summary>
public sealed class RefusedException(string message) : Exception(message);

/// <summary>
/// Teaching the playing terrain: fragments encoded by the playing model, paths and points edited
/// as one <see cref="Lesson"/> with undo and redo, training in the background while the instrument
/// plays (edits reach a running training at its next epoch), a network reset, a path played by a
/// cursor on the audio clock, a fragment heard as it is, and export.
/// </summary>
/// <remarks>
/// Every method is one action of docs/actions.md and returns its answer line, or throws
/// <see cref="RefusedException"/> with the reason. Actions come from several threads (standard
/// input, the interface's worker, MIDI learn's); one lock keeps them in order. Nothing here runs on
/// the synth thread or holds anything it waits for: the lesson is an immutable value, the terrain is
/// published through its snapshots, encoding runs on a low-priority thread of its own.
/// </remarks>
public sealed class Teacher : IDisposable
{
    /// <summary>The part of the plane paths and points may lie on: the map's home view, the reference's bounds.</summary>
    public static readonly PlaneBounds Plane = PlaneBounds.Default;

    private const long PlaybackOwner = -1000;
    private static readonly TimeSpan StatusInterval = TimeSpan.FromMilliseconds(250);

    private readonly LiveInstrument _instrument;
    private readonly CursorAllocator _allocator;
    private readonly Lock _gate = new();
    private readonly BlockingCollection<Action> _encoderJobs = [];
    private readonly Thread _encoder;
    private readonly Stack<Edit> _undo = new(), _redo = new();
    private readonly List<(int Number, string Name)> _encoding = [];
    private Lesson _lesson = Lesson.Empty;
    private TaughtShapes _shapes = TaughtShapes.None;
    private int _nextFragment = 1;
    private int _version;

    private TerrainTrainer? _trainer;   // kept between runs: Adam's moments and the epoch count carry on
    private BackgroundTrainer? _run;
    private float _learningRate;
    private readonly TrainingOptions _options;

    private (AudioInput Input, long Mark)? _recording;
    private GesturePlayer? _pathPlayer;
    private int _pathSlot = -1, _playingPath;

    private TeachingStatus _status = TeachingStatus.None;
    private int _statusVersion = -1;
    private long _statusAt;

    /// <summary>An edit as undo sees it: the lesson before and after, and for a reset the networks before and after.</summary>
    private sealed record Edit(string What, Lesson Before, Lesson After, TerrainNetwork? NetworkBefore = null, TerrainNetwork? NetworkAfter = null);

    public Teacher(LiveInstrument instrument, CursorAllocator allocator, TrainingOptions? options = null)
    {
        _instrument = instrument;
        _allocator = allocator;
        _options = options ?? new TrainingOptions();
        _learningRate = _options.LearningRate;
        _encoder = new Thread(Encode) { IsBackground = true, Name = "fragment encoder", Priority = ThreadPriority.BelowNormal };
        _encoder.Start();
    }

    /// <summary>What was taught, for the map.</summary>
    public TaughtShapes Shapes => Volatile.Read(ref _shapes);

    /// <summary>The lesson as it is now.</summary>
    public Lesson Lesson => Volatile.Read(ref _lesson);

    private int LatentSize => _instrument.Synth.Model.LatentSize;

    /// <summary>
    /// What encodes fragments for the playing model: the model itself, but for the built-in codec one
    /// with its coarser encoding frames (its latents mean the same at any frame size, and at 128
    /// samples a frame three seconds would make a path fourteen times the map's width).
    /// </summary>
    private IAutoencoder Encoder()
    {
        var model = _instrument.Synth.Model;
        return model is BuiltInCodec ? new BuiltInCodec(new BuiltInCodecOptions { SampleRate = model.SampleRate, Ratio = CommandLine.Models.EncodingRatio }) : model;
    }

    // Fragments.

    /// <summary>
    /// Reads a sound file, encodes it with the playing model on the encoder thread (the caller waits)
    /// and adds it; the answer says its length and frames, and warns when it is very short.
    /// </summary>
    public string AddFile(string path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new RefusedException("fragment add: give a sound file's path");
        AudioBuffer audio;
        try
        {
            audio = AudioFile.Read(path);
        }
        catch (Exception e) when (e is AudioFileException or IOException or UnauthorizedAccessException)
        {
            throw new RefusedException($"fragment add: {e.Message}");
        }
        return Add(Path.GetFileNameWithoutExtension(path), Path.GetFullPath(path), audio);
    }

    /// <summary>Imports a dataset's trajectories as fragments with their paths and its points (for `play --train`): one edit.</summary>
    public string Import(TerrainDataset dataset, string source)
    {
        if (dataset.LatentSize != LatentSize)
            throw new RefusedException($"{source}: latents of size {dataset.LatentSize}, but {_instrument.Synth.Model.Name} makes {LatentSize}");
        lock (_gate)
        {
            var lesson = _lesson with { Density = dataset.Density };
            var encoder = Encoder();
            double frameRate = (double)encoder.SampleRate / encoder.Ratio;
            for (int t = 0; t < dataset.Trajectories.Count; t++)
            {
                var trajectory = dataset.Trajectories[t];
                int number = _nextFragment++;
                var fragment = new Fragment(number, trajectory.Name ?? $"{Path.GetFileNameWithoutExtension(source)} {t + 1}", source, null, [.. trajectory.Latents], frameRate);
                lesson = lesson with
                {
                    Fragments = lesson.Fragments.Add(number, fragment),
                    Paths = lesson.Paths.Add(number, new LessonPath([.. trajectory.Path], trajectory.Placement)),
                };
            }
            lesson = lesson with { Points = lesson.Points.AddRange(dataset.Points.Select(p => new LessonPoint(p.Coordinate[0], p.Coordinate.Length > 1 ? p.Coordinate[1] : 0f, p.Latent, source))) };
            Commit($"import {Path.GetFileName(source)}", lesson);
            return $"{dataset.Trajectories.Count} paths and {dataset.Points.Count} points from {source}";
        }
    }

    /// <summary>Encodes audio (any rate and channels) with the playing model and adds it as the next fragment.</summary>
    public string Add(string name, string source, AudioBuffer audio)
    {
        var model = Encoder();
        var sound = audio.MixTo(model.Channels);
        if (sound.SampleRate != model.SampleRate) sound = Resampler.Resample(sound, model.SampleRate);
        if (sound.Frames < model.Ratio)
            throw new RefusedException($"{source}: {audio.Seconds:0.000} s is shorter than one latent frame ({model.Ratio} samples at {model.SampleRate} Hz)");
        int number;
        lock (_gate)
        {
            number = _nextFragment++;
            _encoding.Add((number, name));
            _version++;
        }
        try
        {
            var clock = Stopwatch.StartNew();
            float[] latents = OnEncoder(() => model.Encode(sound.Samples));
            int size = model.LatentSize;
            var frames = Enumerable.Range(0, latents.Length / size).Select(f => latents.AsSpan(f * size, size).ToArray()).ToArray();
            var fragment = new Fragment(number, name, source, sound, frames, (double)model.SampleRate / model.Ratio);
            lock (_gate) Commit($"fragment {number}", _lesson with { Fragments = _lesson.Fragments.Add(number, fragment) });
            string warning = fragment.Warning is { } w ? $"; {w}" : "";
            return Invariant($"fragment {number} '{name}': {fragment.Seconds:0.00} s, {frames.Length} latent frames (encoded by {model.Name} in {clock.Elapsed.TotalSeconds:0.00} s); its path may be {fragment.PathLength(_lesson.Density):0.#} long{warning}");
        }
        finally
        {
            lock (_gate)
            {
                _encoding.RemoveAll(e => e.Number == number);
                _version++;
            }
        }
    }

    /// <summary>Starts recording the audio input (into its history: nothing is lost while the line is read).</summary>
    public string StartRecording()
    {
        var input = Input("fragment record");
        lock (_gate)
        {
            if (_recording != null) throw new RefusedException("fragment record: already recording; fragment stop ends it");
            _recording = (input, input.History.FramesWritten);
            _version++;
        }
        return $"recording {input.Name}; fragment stop ends it (at most {input.History.Capacity / input.SampleRate} s)";
    }

    /// <summary>Ends the recording and adds what it holds as a fragment.</summary>
    public string StopRecording()
    {
        (AudioInput Input, long Mark) recording;
        lock (_gate)
        {
            recording = _recording ?? throw new RefusedException("fragment stop: not recording (fragment record starts)");
            _recording = null;
            _version++;
        }
        AudioBuffer audio;
        try
        {
            audio = recording.Input.History.Since(recording.Mark);
        }
        catch (InvalidOperationException e)
        {
            throw new RefusedException($"fragment stop: {e.Message}");
        }
        return Add($"recording {DateTime.Now:HH:mm:ss}", "audio input", audio);
    }

    /// <summary>The last <paramref name="seconds"/> of what the instrument played, as a fragment.</summary>
    public string Capture(double seconds)
    {
        var played = _instrument.Played;
        double kept = (double)played.Capacity / played.SampleRate;
        if (!(seconds > 0 && seconds <= kept)) throw new RefusedException($"fragment capture {seconds}: give 0 to {kept:0} seconds (what the instrument keeps of what it played)");
        return Add($"capture {DateTime.Now:HH:mm:ss}", "played", played.Last(seconds));
    }

    /// <summary>The encoder's latent of the live input now: its last frame over the last second (the receptive field's worth, twice).</summary>
    public float[] LatentOfInput()
    {
        var input = Input("point input");
        var model = Encoder();
        var sound = input.History.Last(2 * Teaching.Fragment.ShortSeconds).MixTo(model.Channels);
        if (sound.SampleRate != model.SampleRate) sound = Resampler.Resample(sound, model.SampleRate);
        if (sound.Frames < model.Ratio) throw new RefusedException("point input: the input has not heard a frame's worth yet");
        float[] latents = OnEncoder(() => model.Encode(sound.Samples));
        return latents.AsSpan(latents.Length - model.LatentSize).ToArray();
    }

    private AudioInput Input(string action) =>
        _instrument.Input ?? throw new RefusedException($"{action}: {_instrument.InputProblem ?? "there is no audio input"} (terrain play --input DEVICE chooses one)");

    public string DeleteFragment(int number)
    {
        lock (_gate)
        {
            Fragment(number);
            bool hadPath = _lesson.Paths.ContainsKey(number);
            Commit($"delete fragment {number}", _lesson with { Fragments = _lesson.Fragments.Remove(number), Paths = _lesson.Paths.Remove(number) });
            return $"fragment {number} deleted{(hadPath ? " with its path" : "")}";
        }
    }

    // Paths.

    /// <summary>Fragment <paramref name="number"/>'s path through these anchors, cut where it is as long as the fragment's frames fill.</summary>
    public string SetPath(int number, IReadOnlyList<(float X, float Y)> anchors)
    {
        lock (_gate)
        {
            var fragment = Fragment(number);
            if (anchors.Count == 0) throw new RefusedException($"path {number}: give at least one anchor X,Y");
            for (int i = 0; i < anchors.Count; i++) CheckOnMap(anchors[i].X, anchors[i].Y, $"path {number}: anchor {i + 1}");
            double limit = fragment.PathLength(_lesson.Density);
            var cut = Lesson.Cut([.. anchors.Select(a => new[] { a.X, a.Y })], limit);
            var lesson = _lesson with { Paths = _lesson.Paths.SetItem(number, new LessonPath(cut)) };
            Commit($"path {number}", lesson);
            double length = Lesson.Length(cut);
            string state = lesson.PathState(number) == PathState.Complete
                ? "complete"
                : Invariant($"incomplete: {limit - length:0.##} more to draw");
            string wasCut = cut.Length < anchors.Count || Lesson.Length([.. anchors.Select(a => new[] { a.X, a.Y })]) > limit + 1e-4 ? Invariant($" (cut at {limit:0.##}, the length its {fragment.Frames.Length} frames fill)") : "";
            return Invariant($"path {number}: {cut.Length} anchors, {length:0.##} long, {state}{wasCut}");
        }
    }

    public string DeletePath(int number)
    {
        lock (_gate)
        {
            if (!_lesson.Paths.ContainsKey(number)) throw new RefusedException($"delete path {number}: {(_lesson.Fragments.ContainsKey(number) ? $"fragment {number} has no path" : NoFragment(number))}");
            Commit($"delete path {number}", _lesson with { Paths = _lesson.Paths.Remove(number) });
            return $"path {number} deleted";
        }
    }

    public string SetDensity(float density)
    {
        if (!(float.IsFinite(density) && density is > 0f and <= 10f)) throw new RefusedException($"density {density}: must be more than 0 and at most 10 (the reference's is 0.4)");
        lock (_gate)
        {
            Commit($"density {density}", _lesson with { Density = density });
            return Invariant($"density {density}: paths place a point every {density} units");
        }
    }

    // Drawing with a controller.

    /// <summary>How far the touch must move for the pen to keep another anchor, in plane units.</summary>
    private const float PenStep = 0.25f;
    private (int Fragment, List<float[]> Anchors, Thread Follower, CancellationTokenSource Lifted)? _pen;

    /// <summary>
    /// `draw N`: the next touch of any controller (or finger) draws fragment N's path, anchor by
    /// anchor as it moves, until `draw stop` (a learnt pad's release) makes it the path.
    /// </summary>
    public string StartDrawing(int number)
    {
        lock (_gate)
        {
            var fragment = Fragment(number);
            if (_pen is { } pen) throw new RefusedException($"draw {number}: already drawing path {pen.Fragment}; draw stop ends it");
            var lifted = new CancellationTokenSource();
            var anchors = new List<float[]>();
            // Which cursors sound now is taken here, before the answer, so a touch that follows it is the pen.
            var board = _instrument.Synth.Cursors;
            var sounding = Enumerable.Range(0, CursorBoard.Capacity).Select(i => board.Read(i).Active).ToArray();
            var follower = new Thread(() => FollowPen(anchors, sounding, fragment.PathLength(_lesson.Density), lifted.Token)) { IsBackground = true, Name = "pen" };
            _pen = (number, anchors, follower, lifted);
            follower.Start();
            return Invariant($"drawing path {number} with the next touch ({fragment.PathLength(_lesson.Density):0.#} long at most); draw stop ends it");
        }
    }

    /// <summary>`draw stop`: what the pen drew becomes the path (one edit).</summary>
    public string StopDrawing()
    {
        (int Fragment, List<float[]> Anchors, Thread Follower, CancellationTokenSource Lifted) pen;
        lock (_gate)
        {
            pen = _pen ?? throw new RefusedException("draw stop: not drawing (draw N starts)");
            _pen = null;
        }
        pen.Lifted.Cancel();
        pen.Follower.Join();
        pen.Lifted.Dispose();
        List<(float, float)> anchors;
        lock (pen.Anchors) anchors = [.. pen.Anchors.Select(a => (a[0], a[1]))];
        if (anchors.Count == 0) throw new RefusedException($"draw stop: no touch drew path {pen.Fragment}");
        return SetPath(pen.Fragment, anchors);
    }

    /// <summary>Anchors drawn so far by the pen, for whoever waits on it (a test).</summary>
    public int PenAnchors
    {
        get
        {
            var pen = _pen;
            if (pen == null) return 0;
            lock (pen.Value.Anchors) return pen.Value.Anchors.Count;
        }
    }

    /// <summary>
    /// The pen's thread: the first cursor to sound after `draw` is followed (a hundred looks a second)
    /// and an anchor kept each <see cref="PenStep"/> it moves, on the map, until the path is as long as
    /// its fragment's frames fill.
    /// </summary>
    private void FollowPen(List<float[]> anchors, bool[] wasActive, double limit, CancellationToken lifted)
    {
        var board = _instrument.Synth.Cursors;
        int followed = -1;
        double length = 0;
        while (!lifted.WaitHandle.WaitOne(10))
        {
            if (followed < 0)
            {
                // A touch already sounding when `draw` came is not the pen: the next one down is.
                for (int i = 0; i < wasActive.Length && followed < 0; i++)
                    if (board.Read(i).Active && !wasActive[i] && i != _pathSlot) followed = i;
                for (int i = 0; i < wasActive.Length; i++) wasActive[i] |= board.Read(i).Active;
                if (followed < 0) continue;
            }
            var at = board.Read(followed);
            if (!at.Active || length >= limit || !(at.X >= Plane.XMin && at.X <= Plane.XMax && at.Y >= Plane.YMin && at.Y <= Plane.YMax)) continue;
            lock (anchors)
            {
                if (anchors.Count > 0)
                {
                    var last = anchors[^1];
                    double step = Math.Sqrt((double)(at.X - last[0]) * (at.X - last[0]) + (double)(at.Y - last[1]) * (at.Y - last[1]));
                    if (step < PenStep) continue;
                    length += step;
                }
                anchors.Add([at.X, at.Y]);
            }
        }
    }

    // Points.

    /// <summary>The latent cursor <paramref name="cursor"/> (a slot of the board) plays now: the terrain's under it.</summary>
    public float[] LatentUnderCursor(int cursor)
    {
        if (cursor is < 0 or >= CursorBoard.Capacity) throw new RefusedException($"cursor {cursor}: cursors are 0..{CursorBoard.Capacity - 1}");
        var at = _instrument.Synth.Cursors.Read(cursor);
        if (!at.Active) throw new RefusedException($"cursor {cursor} is not playing");
        return LatentAt(at.X, at.Y);
    }

    /// <summary>The playing terrain's latent at (x, y).</summary>
    public float[] LatentAt(float x, float y)
    {
        using var lease = _instrument.Terrain.Acquire();
        var latent = new float[lease.Network.Config.LatentSize];
        new TerrainEvaluator(lease.Network.Config, 1).Evaluate(lease.Network, [x, y], latent);
        return latent;
    }

    /// <summary>Fragment <paramref name="number"/>'s latent frame at <paramref name="seconds"/> into it.</summary>
    public float[] LatentOfFragment(int number, double seconds)
    {
        var fragment = Fragment(number);
        if (!(seconds >= 0 && seconds <= fragment.Seconds)) throw new RefusedException(Invariant($"fragment {number} is {fragment.Seconds:0.00} s long: {seconds} s is not in it"));
        int frame = Math.Min((int)(seconds * fragment.FrameRate), fragment.Frames.Length - 1);
        return (float[])fragment.Frames[frame].Clone();
    }

    public string AddPoint(float x, float y, float[] latent, string source)
    {
        CheckOnMap(x, y, "point");
        if (latent.Length != LatentSize) throw new RefusedException($"point: a latent of {latent.Length} values, but {_instrument.Synth.Model.Name} takes {LatentSize}");
        if (latent.Any(v => !float.IsFinite(v))) throw new RefusedException("point: the latent holds a value that is not a finite number");
        lock (_gate)
        {
            Commit($"point {_lesson.Points.Count + 1}", _lesson with { Points = _lesson.Points.Add(new LessonPoint(x, y, latent, source)) });
            return Invariant($"point {_lesson.Points.Count} at ({x:0.###}, {y:0.###}) from {source}");
        }
    }

    public string MovePoint(int number, float x, float y)
    {
        CheckOnMap(x, y, $"move point {number}");
        lock (_gate)
        {
            var point = Point(number);
            Commit($"move point {number}", _lesson with { Points = _lesson.Points.SetItem(number - 1, point with { X = x, Y = y }) });
            return Invariant($"point {number} moved to ({x:0.###}, {y:0.###})");
        }
    }

    public string NudgePoint(int number, int dimension, float delta)
    {
        lock (_gate)
        {
            var point = Point(number);
            if (dimension < 0 || dimension >= point.Latent.Length) throw new RefusedException($"nudge point {number}: dimensions are 0..{point.Latent.Length - 1}, not {dimension}");
            if (!float.IsFinite(delta)) throw new RefusedException($"nudge point {number}: {delta} is not a number to add");
            var latent = (float[])point.Latent.Clone();
            latent[dimension] += delta;
            Commit($"nudge point {number}", _lesson with { Points = _lesson.Points.SetItem(number - 1, point with { Latent = latent }) });
            return Invariant($"point {number}: dimension {dimension} now {latent[dimension]:0.###}");
        }
    }

    public string DeletePoint(int number)
    {
        lock (_gate)
        {
            Point(number);
            Commit($"delete point {number}", _lesson with { Points = _lesson.Points.RemoveAt(number - 1) });
            return $"point {number} deleted";
        }
    }

    // Undo.

    public string Undo()
    {
        lock (_gate)
        {
            if (!_undo.TryPop(out var edit)) throw new RefusedException("nothing to undo");
            if (edit.NetworkBefore != null) Replace(edit.NetworkBefore);
            Apply(edit.Before);
            _redo.Push(edit);
            return $"undid {edit.What}";
        }
    }

    public string Redo()
    {
        lock (_gate)
        {
            if (!_redo.TryPop(out var edit)) throw new RefusedException("nothing to redo");
            if (edit.NetworkAfter != null) Replace(edit.NetworkAfter);
            Apply(edit.After);
            _undo.Push(edit);
            return $"redid {edit.What}";
        }
    }

    // Training.

    /// <summary>Trains on everything taught, in the background: <paramref name="epochs"/> more epochs, or until <see cref="Stop"/>.</summary>
    public string Train(int? epochs)
    {
        if (epochs is < 1) throw new RefusedException($"train {epochs}: give a number of epochs of at least 1, or none to train until stop");
        lock (_gate)
        {
            if (!_lesson.HasExamples) throw new RefusedException("nothing to train on yet: add a fragment and draw its path (path N X,Y X,Y ...), or place a point");
            StopRun();
            var pairs = _lesson.ToDataset(LatentSize).ToPairs();
            if (_trainer == null)
            {
                using var lease = _instrument.Terrain.Acquire();
                _trainer = new TerrainTrainer(lease.Network, pairs, _options);
            }
            else _trainer.ReplaceData(pairs);
            _trainer.LearningRate = _learningRate;
            _run = new BackgroundTrainer(_instrument.Terrain, _trainer, epochs);
            _instrument.Train(_run);
            string examples = $"{_lesson.Paths.Count} path{(_lesson.Paths.Count == 1 ? "" : "s")} and {_lesson.Points.Count} point{(_lesson.Points.Count == 1 ? "" : "s")}, {pairs.Count} pairs";
            return epochs == null ? $"training on {examples} until stop" : $"training {epochs} epochs on {examples}";
        }
    }

    public string Stop()
    {
        lock (_gate)
        {
            if (_run == null || _run.Progress.State is not (TrainingState.Training or TrainingState.Idle)) return "not training";
            StopRun();
            var progress = _run!.Progress;
            return Invariant($"training stopped at epoch {progress.Epoch}, loss {progress.Loss:G3}");
        }
    }

    /// <summary>Returns when the training running now ends (at once when none runs).</summary>
    public string WaitForTraining()
    {
        BackgroundTrainer? run;
        lock (_gate) run = _run;
        if (run == null) return "not training";
        run.Wait(Timeout.InfiniteTimeSpan);
        var progress = run.Progress;
        lock (_gate) if (progress.State == TrainingState.Failed && ReferenceEquals(run, _run)) _trainer = null;
        return Invariant($"training {progress.State.ToString().ToLowerInvariant()} at epoch {progress.Epoch}, loss {progress.Loss:G3}{(progress.Message is { } m ? $" ({m})" : "")}");
    }

    /// <summary>The learning rate, for the next training and the one running: <c>up</c> doubles it, <c>down</c> halves it, a number sets it.</summary>
    public string SetLearningRate(string change)
    {
        lock (_gate)
        {
            float rate = change switch
            {
                "up" => _learningRate * 2f,
                "down" => _learningRate / 2f,
                _ when float.TryParse(change, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) => value,
                _ => throw new RefusedException($"lr {change}: say up, down or a rate such as 0.001"),
            };
            if (!(rate > 0f && rate <= 1f)) throw new RefusedException(Invariant($"lr {change}: the learning rate must stay in (0, 1], it would be {rate:G3}"));
            _learningRate = rate;
            if (_run?.Progress.State is TrainingState.Training) _run.LearningRate = rate;
            return Invariant($"learning rate {rate:G3}");
        }
    }

    /// <summary>A new network of the playing terrain's shape with these changes (a new seed unless one is given); undoable.</summary>
    public string Reset(TerrainConfig config)
    {
        lock (_gate)
        {
            TerrainNetwork before;
            using (var lease = _instrument.Terrain.Acquire()) before = lease.Network.Clone();
            if (config.InputDims != before.Config.InputDims || config.LatentSize != before.Config.LatentSize)
                throw new RefusedException("reset: a terrain keeps its input dimensions and latent size");
            try
            {
                config.Validate();
            }
            catch (ArgumentException e)
            {
                throw new RefusedException($"reset: {e.Message}");
            }
            var after = TerrainNetwork.Create(config);
            Replace(after);
            Push(new Edit("reset", _lesson, _lesson, before, after));
            return Invariant($"a new terrain: seed {config.Seed}, sigma {config.Sigma}, width {config.Width}, depth {config.Depth}, {config.Activation}");
        }
    }

    /// <summary>The playing terrain's configuration (what <see cref="Reset"/> changes).</summary>
    public TerrainConfig Config
    {
        get
        {
            using var lease = _instrument.Terrain.Acquire();
            return lease.Network.Config;
        }
    }

    // Stored positions.

    public const int MaxPositions = 16;
    private ImmutableSortedDictionary<int, StoredPosition> _positions = ImmutableSortedDictionary<int, StoredPosition>.Empty;

    /// <summary>Remembers (x, y) as position <paramref name="number"/> (1..16), replacing what was there.</summary>
    public string Store(int number, float x, float y)
    {
        if (number is < 1 or > MaxPositions) throw new RefusedException($"store {number}: positions are 1..{MaxPositions}");
        CheckOnMap(x, y, $"store {number}");
        lock (_gate)
        {
            _positions = _positions.SetItem(number, new StoredPosition(number, x, y));
            Volatile.Write(ref _storedNumbers, [.. _positions.Keys]);
            _version++;
        }
        return Invariant($"position {number} at ({x:0.###}, {y:0.###})");
    }

    /// <summary>The numbers of the stored positions (a Launchpad lights their side buttons): the same list until one is stored.</summary>
    public IReadOnlyList<int> StoredNumbers => Volatile.Read(ref _storedNumbers);
    private int[] _storedNumbers = [];

    /// <summary>Where position <paramref name="number"/> is.</summary>
    public StoredPosition Position(int number) =>
        Volatile.Read(ref _positions).TryGetValue(number, out var position) ? position
        : throw new RefusedException($"there is no position {number} (store {number} X Y remembers one)");

    // Playback.

    /// <summary>A cursor travels fragment <paramref name="number"/>'s path at the fragment's own speed, once or looped, on the audio clock.</summary>
    public string PlayPath(int number, bool loop)
    {
        lock (_gate)
        {
            var fragment = Fragment(number);
            if (!_lesson.Paths.TryGetValue(number, out var path)) throw new RefusedException($"play path {number}: fragment {number} has no path yet");
            var placed = new Trajectory(path.Anchors, fragment.Frames, path.Placement).PlacePoints(_lesson.Density);
            StopPlayback();
            _pathSlot = _allocator.Claim(PlaybackOwner);
            var events = placed.Select((p, k) => new GestureEvent(k / fragment.FrameRate, _pathSlot, p[0], p[1], 1f)).ToList();
            double seconds = placed.Length / fragment.FrameRate;
            if (!loop) events.Add(new GestureEvent(seconds, _pathSlot, placed[^1][0], placed[^1][1], 0f));
            _pathPlayer = new GesturePlayer(new Gesture(events), _instrument.Synth.Cursors, _instrument.Synth.SampleRate) { LoopSeconds = loop ? seconds : null };
            _playingPath = number;
            _instrument.Play(_pathPlayer);
            _version++;
            return Invariant($"playing path {number} ({placed.Length} points, {seconds:0.00} s){(loop ? " in a loop" : "")}");
        }
    }

    /// <summary>Fragment <paramref name="number"/>'s own audio, over whatever plays: to hear it against its path.</summary>
    public string PlayFragment(int number)
    {
        var fragment = Fragment(number);
        if (fragment.Audio == null) throw new RefusedException($"play fragment {number}: it came from {fragment.Source}, latents only, no audio");
        var synth = _instrument.Synth;
        var audio = fragment.Audio.MixTo(synth.OutputChannels);
        if (audio.SampleRate != synth.SampleRate) audio = Resampler.Resample(audio, synth.SampleRate);
        synth.PlayClip(audio.ToInterleaved());
        return Invariant($"playing fragment {number} '{fragment.Name}' ({fragment.Seconds:0.00} s)");
    }

    public string StopPlaying()
    {
        lock (_gate)
        {
            bool any = _pathPlayer != null || _instrument.Synth.PlayingClip;
            StopPlayback();
            _instrument.Synth.PlayClip(null);
            return any ? "playback stopped" : "nothing was playing";
        }
    }

    // Export.

    /// <summary>The playing terrain as our safetensors, or to a file ending in .pt as the reference's checkpoint, which nn.terrain~ in Max loads.</summary>
    public string ExportTerrain(string path)
    {
        bool reference = path.EndsWith(".pt", StringComparison.Ordinal);
        using (var lease = _instrument.Terrain.Acquire())
            Save(() => { if (reference) ReferenceCheckpoint.Write(lease.Network, path); else TerrainFile.Save(lease.Network, path); }, path);
        return $"terrain{(reference ? " (nn.terrain~ checkpoint)" : "")} -> {path}";
    }

    /// <summary>The dataset as our JSON, or with a <c>max:</c> prefix as the reference's Max dictionaries.</summary>
    public string ExportDataset(string path)
    {
        bool max = path.StartsWith("max:", StringComparison.Ordinal);
        if (max) path = path["max:".Length..];
        var dataset = Lesson.ToDataset(LatentSize);
        Save(() => { if (max) DatasetFile.ExportReference(dataset, path); else DatasetFile.Save(dataset, path); }, path);
        return $"dataset ({dataset.Trajectories.Count} paths, {dataset.Points.Count} points{(max ? ", Max dictionaries" : "")}) -> {path}";
    }

    private static void Save(Action save, string path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new RefusedException("export: give a file to write");
        try
        {
            save();
        }
        catch (Exception e)
        {
            // The file writers name the file and what went wrong.
            throw new RefusedException($"export: {e.Message}");
        }
    }

    // Sessions.

    /// <summary>
    /// Everything taught as it is now, for a session to keep: the lesson, the stored positions, the
    /// learning rate, the terrain and, when one was trained, the trainer's state beside it (taken
    /// between two of its steps, so the two go together).
    /// </summary>
    public TeachingState Snapshot()
    {
        BackgroundTrainer? run;
        TerrainTrainer? trainer;
        (Lesson Lesson, StoredPosition[] Positions, float Rate, int Next) taught;
        lock (_gate)
        {
            (run, trainer) = (_run, _trainer);
            taught = (_lesson, [.. _positions.Values], _learningRate, _nextFragment);
        }
        // The run may be this trainer's, or one that ended and left it still.
        var (network, state) = run != null && trainer != null ? run.Snapshot()
            : trainer != null ? (trainer.Network.Clone(), trainer.State)
            : (Playing(), (TrainerState?)null);
        return new TeachingState(taught.Lesson, taught.Positions, taught.Rate, network, state, taught.Next);
    }

    private TerrainNetwork Playing()
    {
        using var lease = _instrument.Terrain.Acquire();
        return lease.Network.Clone();
    }

    /// <summary>
    /// Makes <paramref name="state"/> what is taught and played (a session opened): training stops,
    /// the terrain is replaced, the trainer resumes its saved state on the next `train`, and what
    /// was undoable before is forgotten.
    /// </summary>
    public void Restore(TeachingState state)
    {
        if (state.Network.Config.LatentSize != LatentSize)
            throw new RefusedException($"the terrain makes {state.Network.Config.LatentSize} latents but {_instrument.Synth.Model.Name} takes {LatentSize}");
        lock (_gate)
        {
            StopPlayback();
            Replace(state.Network);
            if (state.Trainer != null && state.Lesson.HasExamples)
                _trainer = TerrainTrainer.Resume(state.Network, state.Lesson.ToDataset(LatentSize).ToPairs(), _options, state.Trainer);
            _learningRate = state.LearningRate;
            _positions = ImmutableSortedDictionary.CreateRange(state.Positions.Select(p => KeyValuePair.Create(p.Number, p)));
            Volatile.Write(ref _storedNumbers, [.. _positions.Keys]);
            _nextFragment = Math.Max(state.NextFragment, state.Lesson.Fragments.IsEmpty ? 1 : state.Lesson.Fragments.Keys.Max() + 1);
            _undo.Clear();
            _redo.Clear();
            Apply(state.Lesson);
        }
    }

    /// <summary>Counts every change of what a session keeps (an edit, a training step published, a position stored): the autosaver compares it.</summary>
    public long Changes
    {
        get
        {
            lock (_gate) return _version + (_run?.Progress.Step ?? 0) * 0x1_0000_0000L;
        }
    }

    /// <summary>Whether a training runs now (an autosave then comes every few seconds).</summary>
    public bool Training
    {
        get
        {
            lock (_gate) return _run?.Progress.State is TrainingState.Training or TrainingState.Idle;
        }
    }

    // What the interface shows.

    public TeachingStatus Status
    {
        get
        {
            // The interface asks 25 times a second: while an action holds the lock (stopping a run
            // waits for its step), it is shown what it was shown.
            if (!_gate.TryEnter()) return Volatile.Read(ref _status);
            try
            {
                if (_statusVersion == _version && Stopwatch.GetElapsedTime(_statusAt) < StatusInterval) return _status;
                if (_pathPlayer?.Finished == true) _playingPath = 0;
                var rows = _lesson.Fragments.Values.Select(f => new FragmentRow(f.Number, f.Name, f.Seconds, f.Frames.Length, false, _lesson.PathState(f.Number), f.Warning))
                    .Concat(_encoding.Select(e => new FragmentRow(e.Number, e.Name, 0, 0, true, PathState.None, null)))
                    .OrderBy(row => row.Number).ToArray();
                var status = new TeachingStatus
                {
                    Fragments = rows,
                    Density = _lesson.Density,
                    LearningRate = _learningRate,
                    Undo = _undo.TryPeek(out var undo) ? undo.What : null,
                    Redo = _redo.TryPeek(out var redo) ? redo.What : null,
                    PlayingPath = _playingPath > 0 ? _playingPath : null,
                    Positions = [.. _positions.Values],
                    Input = _instrument.Input?.Name,
                    InputLevel = _instrument.Input?.Peak ?? 0f,
                    RecordingSeconds = _recording is var (input, mark) ? (double)(input.History.FramesWritten - mark) / input.SampleRate : null,
                };
                // A status that says the same as the one shown stays the same object: the interface redraws nothing.
                if (!Same(status, _status)) Volatile.Write(ref _status, status);
                _statusVersion = _version;
                _statusAt = Stopwatch.GetTimestamp();
                return _status;
            }
            finally
            {
                _gate.Exit();
            }
        }
    }

    private static bool Same(TeachingStatus a, TeachingStatus b) =>
        a with { Fragments = b.Fragments, Positions = b.Positions } == b && a.Fragments.SequenceEqual(b.Fragments) && a.Positions.SequenceEqual(b.Positions);

    // The workings.

    private void Commit(string what, Lesson after)
    {
        Push(new Edit(what, _lesson, after));
        Apply(after);
    }

    private void Push(Edit edit)
    {
        _undo.Push(edit);
        _redo.Clear();
        _version++;
    }

    /// <summary>Makes <paramref name="lesson"/> the one taught; a running training learns it from its next epoch.</summary>
    private void Apply(Lesson lesson)
    {
        Volatile.Write(ref _lesson, lesson);
        Volatile.Write(ref _shapes, lesson.Shapes());
        _version++;
        if (_run?.Progress.State is TrainingState.Training or TrainingState.Idle)
        {
            if (lesson.HasExamples) _run.Teach(lesson.ToDataset(LatentSize).ToPairs());
            else StopRun();
        }
    }

    /// <summary>Plays another network (a reset, or one undone): training stops and starts afresh from it next time.</summary>
    private void Replace(TerrainNetwork network)
    {
        StopRun();
        // Neither the run nor its trainer belongs to the new network.
        (_run, _trainer) = (null, null);
        TerrainConfig playing;
        using (var lease = _instrument.Terrain.Acquire()) playing = lease.Network.Config;
        _instrument.Terrain.Publish(network);
        // Another shape needs new voices (their evaluators are sized for the old one): crossfaded in.
        if (playing with { Seed = 0, Sigma = 0 } != network.Config with { Seed = 0, Sigma = 0 })
            _instrument.Synth.Load(_instrument.Synth.Model, _instrument.Terrain);
        _version++;
    }

    private void StopRun()
    {
        if (_run == null) return;
        _run.Cancel();
        _run.Wait(Timeout.InfiniteTimeSpan);
        // A run that gave up after diverging leaves its trainer broken: the next starts from the terrain playing.
        if (_run.Progress.State == TrainingState.Failed) _trainer = null;
    }

    private void StopPlayback()
    {
        if (_pathPlayer == null) return;
        _pathPlayer.Stop();
        // The synth thread lifts the cursor at its next block; without a device playing, no block may
        // come, and the cursor is lifted here (no block can be moving it then).
        var patience = Stopwatch.StartNew();
        var wait = _instrument.HasOutput && !_instrument.Output.Lost ? TimeSpan.FromSeconds(2) : TimeSpan.FromMilliseconds(200);
        while (!_pathPlayer.Finished && patience.Elapsed < wait) Thread.Sleep(1);
        _instrument.Play((GesturePlayer?)null);
        _instrument.Synth.Cursors.Release(_pathSlot);
        _allocator.Free(_pathSlot, PlaybackOwner);
        _pathPlayer = null;
        _playingPath = 0;
        _version++;
    }

    private Fragment Fragment(int number) =>
        _lesson.Fragments.TryGetValue(number, out var fragment) ? fragment : throw new RefusedException(NoFragment(number));

    private string NoFragment(int number)
    {
        var numbers = _lesson.Fragments.Keys.ToArray();
        return $"there is no fragment {number} ({(numbers.Length == 0 ? "none yet: fragment add PATH" : $"there are {string.Join(", ", numbers)}")})";
    }

    private LessonPoint Point(int number) =>
        number >= 1 && number <= _lesson.Points.Count ? _lesson.Points[number - 1]
        : throw new RefusedException($"there is no point {number} ({(_lesson.Points.Count == 0 ? "none yet" : $"points are 1..{_lesson.Points.Count}")})");

    private static void CheckOnMap(float x, float y, string what)
    {
        if (!(x >= Plane.XMin && x <= Plane.XMax && y >= Plane.YMin && y <= Plane.YMax))
            throw new RefusedException(Invariant($"{what} ({x}, {y}) is off the map (x {Plane.XMin}..{Plane.XMax}, y {Plane.YMin}..{Plane.YMax})"));
    }

    private T OnEncoder<T>(Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _encoderJobs.Add(() =>
        {
            try
            {
                done.SetResult(work());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        });
        try
        {
            return done.Task.GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not RefusedException)
        {
            throw new RefusedException($"encoding failed: {e.Message}");
        }
    }

    /// <summary>The encoder thread: jobs in turn, at the lowest priority, so the synth and the interface come first.</summary>
    private void Encode()
    {
        Scheduling.TryMakeBackground();
        foreach (var job in _encoderJobs.GetConsumingEnumerable()) job();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    public void Dispose()
    {
        lock (_gate)
        {
            StopRun();
            StopPlayback();
        }
        if (_pen is { } pen)
        {
            pen.Lifted.Cancel();
            pen.Follower.Join();
        }
        _encoderJobs.CompleteAdding();
        _encoder.Join();
        _encoderJobs.Dispose();
    }
}
