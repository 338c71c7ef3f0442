using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using LatentTerrain.Engine.Audio;
using LatentTerrain.Engine.Datasets;
using LatentTerrain.Engine.Files;
using LatentTerrain.Engine.Terrain;
using LatentTerrain.Instrument.Teaching;

namespace LatentTerrain.Instrument.Sessions;

/// <summary>What a session holds, in memory: the model it was made with, how it plays, and what was taught.</summary>
public sealed record SessionContents(ModelEntry Model, SessionSettings Settings, TeachingState Teaching);

/// <summary>A session opened: its contents, its version, and what could not be opened (then nothing is saved over it until the performer says so).</summary>
public sealed record OpenedSession(SessionContents Contents, int Version, IReadOnlyList<string> LeftOut);

/// <summary>
/// A session on disk: a folder holding session.json, terrain.safetensors, optimiser.safetensors,
/// dataset.json (what the terrain learns from, in our JSON) and fragments/ (each fragment's audio
/// as FLAC and its latents). Crash-safe: every save is a whole new version written into
/// versions/N.tmp, flushed, renamed to versions/N, and only then linked to the top (session.json
/// last); fragments' files are written once under names of their content and never changed. A
/// save cut short leaves the top naming files of two versions, which opening finds by their
/// hashes and answers with the newest whole version. The last <see cref="KeptVersions"/> are kept.
/// </summary>
public sealed class SessionFolder(string path)
{
    public const int KeptVersions = 5;
    public const string DocumentName = "session.json", TerrainName = "terrain.safetensors", OptimiserName = "optimiser.safetensors",
        DatasetName = "dataset.json", FragmentsName = "fragments", VersionsName = "versions";

    private static readonly ConditionalWeakTable<Fragment, string> LatentHashes = [];
    private (Lesson Lesson, string File)? _lastDataset;

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public bool Exists => File.Exists(System.IO.Path.Combine(Path, DocumentName));

    private string Versions => System.IO.Path.Combine(Path, VersionsName);

    /// <summary>The versions kept, oldest first.</summary>
    public IReadOnlyList<int> SavedVersions =>
        Directory.Exists(Versions)
            ? [.. Directory.GetDirectories(Versions).Select(System.IO.Path.GetFileName).Select(name => int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : -1).Where(n => n > 0).Order()]
            : [];

    // Saving.

    /// <summary>Writes <paramref name="contents"/> as the next version and makes it the session's; returns its number.</summary>
    public int Save(SessionContents contents)
    {
        Directory.CreateDirectory(System.IO.Path.Combine(Path, FragmentsName));
        Directory.CreateDirectory(Versions);
        var teaching = contents.Teaching;
        var fragments = teaching.Lesson.Fragments.Values.Select(SaveFragment).ToArray();

        int version = (SavedVersions.LastOrDefault()) + 1;
        string folder = System.IO.Path.Combine(Versions, Name(version)), writing = folder + ".tmp";
        if (Directory.Exists(writing)) Directory.Delete(writing, recursive: true);
        Directory.CreateDirectory(writing);

        string terrainHash = Write(writing, TerrainName, stream => TerrainFile.Write(teaching.Network, stream));
        TrainingEntry? training = null;
        if (teaching.Trainer is { } trainer)
        {
            string optimiserHash = Write(writing, OptimiserName, stream => SafeTensors.Write(stream,
                [new NamedTensor("moment1", [trainer.Moment1.Length], trainer.Moment1), new NamedTensor("moment2", [trainer.Moment2.Length], trainer.Moment2)],
                new Dictionary<string, string>()));
            training = new TrainingEntry(OptimiserName, optimiserHash, trainer.AdamStep, trainer.Step, trainer.Epoch, trainer.LearningRate, trainer.Seed, trainer.Draws, trainer.Order);
        }
        // The same lesson as the last save (training saves): its dataset.json is the same file, linked.
        if (_lastDataset is var (lesson0, file) && ReferenceEquals(lesson0, teaching.Lesson) && File.Exists(file))
            Durable.LinkOver(file, System.IO.Path.Combine(writing, DatasetName));
        else
        {
            var dataset = teaching.Lesson.ToDataset(teaching.Network.Config.LatentSize);
            Write(writing, DatasetName, stream => DatasetFile.Write(dataset, stream));
        }

        var lesson = teaching.Lesson;
        var document = new SessionDocument
        {
            Format = SessionDocument.FormatName,
            Version = SessionDocument.CurrentVersion,
            Saved = DateTimeOffset.Now,
            Model = contents.Model,
            Terrain = new TerrainEntry(TerrainName, terrainHash, teaching.Network.Config),
            Training = training,
            Lesson = new LessonEntry(lesson.Density, teaching.NextFragment, teaching.LearningRate, fragments,
                [.. lesson.Paths.Select(p => new PathEntry(p.Key, p.Value.Placement, p.Value.Anchors))],
                [.. lesson.Points.Select(p => new PointEntry(p.X, p.Y, p.Latent, p.Source))]),
            Settings = contents.Settings with { Positions = teaching.Positions },
        };
        Write(writing, DocumentName, stream => stream.Write(document.ToBytes()));
        Durable.FlushFolder(writing);
        Directory.Move(writing, folder);
        Durable.FlushFolder(Versions);
        _lastDataset = (teaching.Lesson, System.IO.Path.Combine(folder, DatasetName));

        // The new version becomes the session's, session.json last: until then the old one names its own files.
        foreach (string name in new[] { TerrainName, OptimiserName, DatasetName, DocumentName })
        {
            string source = System.IO.Path.Combine(folder, name), target = System.IO.Path.Combine(Path, name);
            if (File.Exists(source)) Durable.LinkOver(source, target);
            else if (File.Exists(target)) File.Delete(target);
        }
        Durable.FlushFolder(Path);
        Prune();
        return version;
    }

    /// <summary>Writes a fragment's latents and audio once, under names of their content; returns its entry.</summary>
    private FragmentEntry SaveFragment(Fragment fragment)
    {
        string hash = LatentHashes.GetValue(fragment, f => Hash(LatentBytes(f)));
        string stem = $"{FragmentsName}/{fragment.Number:000}-{hash[..12]}";
        string latents = $"{stem}.latents.safetensors", audio = $"{stem}.flac";
        string latentsPath = System.IO.Path.Combine(Path, latents), audioPath = System.IO.Path.Combine(Path, audio);
        if (!File.Exists(latentsPath)) AtomicFile.Write(latentsPath, stream => stream.Write(LatentBytes(fragment)));
        if (fragment.Audio != null && !File.Exists(audioPath)) AudioFile.Write(audioPath, fragment.Audio, AudioFileFormat.Flac24);
        return new FragmentEntry(fragment.Number, fragment.Name, fragment.Source, fragment.FrameRate, fragment.Audio != null ? audio : null, latents, hash);
    }

    private static byte[] LatentBytes(Fragment fragment)
    {
        int size = fragment.Frames[0].Length;
        using var stream = new MemoryStream();
        SafeTensors.Write(stream, [new NamedTensor("latents", [fragment.Frames.Length, size], [.. fragment.Frames.SelectMany(f => f)])], new Dictionary<string, string>());
        return stream.ToArray();
    }

    /// <summary>Writes one file of a version being written (its folder is renamed whole later), hashing it as it goes; returns its SHA-256.</summary>
    private static string Write(string folder, string name, Action<Stream> write)
    {
        using var file = new FileStream(System.IO.Path.Combine(folder, name), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        using var hashing = new HashingStream(file);
        write(hashing);
        file.Flush(flushToDisk: true);
        return hashing.Hash();
    }

    /// <summary>Passes writes on to a file and hashes them: a file is read back for its hash only when a session is opened.</summary>
    private sealed class HashingStream(Stream inner) : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public string Hash() => Convert.ToHexStringLower(_hash.GetHashAndReset());

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _hash.AppendData(buffer);
            inner.Write(buffer);
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
        public override void WriteByte(byte value) => Write([value]);
        public override void Flush() => inner.Flush();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) _hash.Dispose();
            base.Dispose(disposing);
        }
    }

    /// <summary>Removes versions beyond the newest <see cref="KeptVersions"/>, and fragments' files none of those name.</summary>
    private void Prune()
    {
        var versions = SavedVersions;
        foreach (int old in versions.Take(Math.Max(0, versions.Count - KeptVersions)))
            Directory.Delete(System.IO.Path.Combine(Versions, Name(old)), recursive: true);
        var named = new HashSet<string>();
        foreach (int kept in SavedVersions)
        {
            try
            {
                var document = SessionDocument.Read(File.ReadAllBytes(System.IO.Path.Combine(Versions, Name(kept), DocumentName)), DocumentName);
                foreach (var fragment in document.Lesson.Fragments)
                {
                    named.Add(fragment.Latents);
                    if (fragment.Audio != null) named.Add(fragment.Audio);
                }
            }
            catch (Exception e) when (e is SessionException or IOException)
            {
                return;   // a version that cannot be read may name anything: keep every fragment
            }
        }
        foreach (string file in Directory.GetFiles(System.IO.Path.Combine(Path, FragmentsName)))
            if (!named.Contains($"{FragmentsName}/{System.IO.Path.GetFileName(file)}") && !System.IO.Path.GetFileName(file).StartsWith('.')) File.Delete(file);
    }

    // Opening.

    /// <summary>
    /// Opens the session: the top, or when its files are not those session.json names (a save cut
    /// short), the newest version whose files are. What cannot be opened of a whole session (a
    /// fragment's files gone, the optimiser's state damaged) is left out and said.
    /// </summary>
    /// <exception cref="SessionException">No session here, session.json malformed or of another version, the terrain missing or damaged in every version.</exception>
    public OpenedSession Open()
    {
        string document = System.IO.Path.Combine(Path, DocumentName);
        if (!File.Exists(document)) throw new SessionException($"{Path}: no session here ({DocumentName} is missing)");
        var top = SessionDocument.Read(File.ReadAllBytes(document), document);
        var leftOut = new List<string>();
        if (Whole(Path, top) is { } problem)
        {
            // The top is mid-save: the newest version written whole is the session.
            foreach (int version in SavedVersions.Reverse())
            {
                string folder = System.IO.Path.Combine(Versions, Name(version));
                var candidate = SessionDocument.Read(File.ReadAllBytes(System.IO.Path.Combine(folder, DocumentName)), System.IO.Path.Combine(folder, DocumentName));
                if (Whole(folder, candidate) == null)
                {
                    leftOut.Add($"{problem}: opened version {version}, saved {candidate.Saved:yyyy-MM-dd HH:mm:ss}, the newest whole one");
                    return Load(folder, candidate, version, leftOut);
                }
            }
            throw new SessionException($"{problem}, and no version kept in {Versions} is whole");
        }
        return Load(Path, top, SavedVersions.LastOrDefault(), leftOut);
    }

    /// <summary>Makes version <paramref name="version"/> the session's again, as a new version (the others stay); returns the new number.</summary>
    public int Restore(int version)
    {
        string folder = System.IO.Path.Combine(Versions, Name(version));
        if (!Directory.Exists(folder))
            throw new SessionException($"{Path}: no version {version} (kept: {(SavedVersions.Count == 0 ? "none" : string.Join(", ", SavedVersions))})");
        var opened = Load(folder, SessionDocument.Read(File.ReadAllBytes(System.IO.Path.Combine(folder, DocumentName)), System.IO.Path.Combine(folder, DocumentName)), version, []);
        return Save(opened.Contents);
    }

    /// <summary>Null when the terrain and optimiser files in <paramref name="folder"/> are the ones <paramref name="document"/> names, else what is wrong.</summary>
    private static string? Whole(string folder, SessionDocument document)
    {
        string? Check(string name, string hash)
        {
            string file = System.IO.Path.Combine(folder, name);
            if (!File.Exists(file)) return $"{file} is missing";
            return Hash(File.ReadAllBytes(file)) == hash ? null : $"{file} is not the one {DocumentName} names";
        }
        return Check(document.Terrain.File, document.Terrain.Sha256) ?? (document.Training is { } t ? Check(t.File, t.Sha256) : null);
    }

    private OpenedSession Load(string folder, SessionDocument document, int version, List<string> leftOut)
    {
        string terrainPath = System.IO.Path.Combine(folder, document.Terrain.File);
        var network = TerrainFile.Load(terrainPath);
        if (network.Config != document.Terrain.Config)
            throw new SessionException($"{terrainPath}: a terrain of another shape than {DocumentName} says");

        var fragments = ImmutableSortedDictionary.CreateBuilder<int, Fragment>();
        foreach (var entry in document.Lesson.Fragments)
        {
            string latentsPath = System.IO.Path.Combine(Path, entry.Latents);
            if (!File.Exists(latentsPath) || Hash(File.ReadAllBytes(latentsPath)) != entry.LatentsSha256)
            {
                leftOut.Add($"fragment {entry.Number} '{entry.Name}': {entry.Latents} is {(File.Exists(latentsPath) ? "not the one saved" : "missing")}, so it and its path are left out");
                continue;
            }
            var latents = SafeTensors.Read(File.ReadAllBytes(latentsPath), latentsPath).Tensors["latents"];
            int size = latents.Shape[1];
            var frames = Enumerable.Range(0, latents.Shape[0]).Select(f => latents.Data.AsSpan(f * size, size).ToArray()).ToArray();
            AudioBuffer? audio = null;
            if (entry.Audio != null)
            {
                string audioPath = System.IO.Path.Combine(Path, entry.Audio);
                try
                {
                    audio = AudioFile.Read(audioPath);
                }
                catch (AudioFileException)
                {
                    leftOut.Add($"fragment {entry.Number} '{entry.Name}': {entry.Audio} cannot be read; it teaches but cannot be heard");
                }
            }
            fragments.Add(entry.Number, new Fragment(entry.Number, entry.Name, entry.Source, audio, frames, entry.FrameRate));
        }
        var paths = ImmutableSortedDictionary.CreateRange(document.Lesson.Paths.Where(p => fragments.ContainsKey(p.Fragment))
            .Select(p => KeyValuePair.Create(p.Fragment, new LessonPath(p.Anchors, p.Placement))));
        var points = document.Lesson.Points.Select(p => new LessonPoint(p.X, p.Y, p.Latent, p.Source)).ToImmutableList();
        var lesson = new Lesson(fragments.ToImmutable(), paths, points, document.Lesson.Density);
        try
        {
            lesson.ToDataset(network.Config.LatentSize);
        }
        catch (DatasetException e)
        {
            throw new SessionException($"{System.IO.Path.Combine(folder, DocumentName)}: {e.Message}");
        }

        TrainerState? trainer = null;
        if (document.Training is { } t)
        {
            var moments = SafeTensors.Read(File.ReadAllBytes(System.IO.Path.Combine(folder, t.File)), t.File).Tensors;
            trainer = new TrainerState(moments["moment1"].Data, moments["moment2"].Data, t.AdamStep, t.Step, t.Epoch, t.LearningRate, t.Seed, t.Draws, t.Order);
        }
        var teaching = new TeachingState(lesson, document.Settings.Positions, document.Lesson.LearningRate, network, trainer, document.Lesson.NextFragment);
        return new OpenedSession(new SessionContents(document.Model, document.Settings, teaching), version, leftOut);
    }

    public static string Hash(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static string Name(int version) => version.ToString("000000", CultureInfo.InvariantCulture);
}
