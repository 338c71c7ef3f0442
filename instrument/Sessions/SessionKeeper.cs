using System.Diagnostics;
using System.Text.Json;
using LatentTerrain.Instrument.Actions;
using LatentTerrain.Instrument.Teaching;

namespace LatentTerrain.Instrument.Sessions;

/// <summary>
/// Keeps the playing session on disk: an autosave after each edit (once a second has passed without
/// another) and every few seconds while training, on a low-priority thread of its own; `save`,
/// `save DIR` (save as) and `open DIR`; the last session remembered for `terrain play` alone. A
/// session opened with something left out is not saved over until the performer saves it.
/// </summary>
/// <param name="describe">The model playing and how the instrument is set up (mappings, audio, view, bindings) now.</param>
/// <param name="open">Plays an opened session's model and bindings (or throws saying why not): for `open DIR`.</param>
public sealed class SessionKeeper : IDisposable
{
    public static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1), DefaultWhileTraining = TimeSpan.FromSeconds(5);
    private const string LastSessionFile = "last-session";

    private readonly Teacher _teacher;
    private readonly Func<(ModelEntry Model, SessionSettings Settings)> _describe;
    private readonly Action<SessionContents> _open;
    private readonly TextWriter _messages;
    private readonly TimeSpan _whileTraining;
    private readonly Lock _gate = new();
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _stopping = new();
    private SessionFolder _folder;
    private bool _held;
    private (long Changes, string Settings) _saved;

    /// <param name="held">Something was left out on opening: no autosave until the performer saves.</param>
    /// <param name="whileTraining">How often a training is saved (at most; <see cref="DefaultWhileTraining"/> if null).</param>
    public SessionKeeper(SessionFolder folder, Teacher teacher, Func<(ModelEntry, SessionSettings)> describe, Action<SessionContents> open, TextWriter messages, bool held,
        TimeSpan? whileTraining = null)
    {
        (_folder, _teacher, _describe, _open, _messages, _held) = (folder, teacher, describe, open, TextWriter.Synchronized(messages), held);
        _whileTraining = whileTraining ?? DefaultWhileTraining;
        _saved = (teacher.Changes, Settings());
        Remember(folder);
        _thread = new Thread(Run) { IsBackground = true, Name = "session autosave", Priority = ThreadPriority.BelowNormal };
        _thread.Start();
    }

    public SessionFolder Folder => Volatile.Read(ref _folder);

    /// <summary>How long the last save took on its thread, for the record.</summary>
    public TimeSpan LastSave { get; private set; }

    private string? _summary;

    /// <summary>For the screen: the session's name and when it was saved, or that it is held ("my-set · saved 21:04:09"). The same string until that changes.</summary>
    public string Summary
    {
        get
        {
            lock (_gate)
                return _summary ??= $"{System.IO.Path.GetFileName(_folder.Path)} · {(_held ? "not saved over until you save" : _savedAt is { } at ? $"saved {at:HH:mm:ss}" : "not saved yet")}";
        }
    }

    private DateTime? _savedAt;

    /// <summary>The user's folder for sessions: $XDG_DATA_HOME/latent-terrain, else ~/.local/share/latent-terrain.</summary>
    public static string DataFolder =>
        Path.Combine(Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } data ? data
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share"), "latent-terrain");

    /// <summary>The session `terrain play` alone opens: the last one played, or a new untitled one.</summary>
    public static (SessionFolder Folder, bool IsNew) LastOrNew()
    {
        string pointer = Path.Combine(DataFolder, LastSessionFile);
        if (File.Exists(pointer) && File.ReadAllText(pointer).Trim() is { Length: > 0 } last && new SessionFolder(last) is { Exists: true } folder)
            return (folder, false);
        return (new SessionFolder(Path.Combine(DataFolder, $"untitled-{DateTime.Now:yyyyMMdd-HHmmss}")), true);
    }

    /// <summary>`save`: now, here; `save DIR`: as a new session there, which is the session from then on.</summary>
    public string Save(string? folder)
    {
        var target = string.IsNullOrWhiteSpace(folder) ? Folder : new SessionFolder(folder);
        if (!ReferenceEquals(target, Folder) && target.Exists && !SameFolder(target, Folder))
            throw new RefusedException($"save {folder}: a session is there already; open it, or save to a new folder");
        int version = SaveNow(target);
        lock (_gate)
        {
            _folder = target;
            _held = false;
            _summary = null;
        }
        Remember(target);
        return $"saved {target.Path} (version {version}, {LastSave.TotalMilliseconds:0} ms)";
    }

    /// <summary>`open DIR`: that session plays (its model, terrain, teaching, bindings) and is kept from then on.</summary>
    public string Open(string folder)
    {
        var target = new SessionFolder(folder);
        OpenedSession opened;
        try
        {
            opened = target.Open();
        }
        catch (Exception e) when (e is SessionException or IOException or Engine.Files.TerrainFileException)
        {
            throw new RefusedException($"open {folder}: {e.Message}");
        }
        // What was made since the last autosave goes with the session it was made in.
        bool held, changed;
        lock (_gate) (held, changed) = (_held, (_teacher.Changes, Settings()) != _saved);
        if (!held && changed) SaveNow(Folder);
        _open(opened.Contents);
        lock (_gate)
        {
            _folder = target;
            _held = opened.LeftOut.Count > 0;
            _saved = (_teacher.Changes, Settings());
            _summary = null;
        }
        Remember(target);
        foreach (string left in opened.LeftOut) _messages.WriteLine($"terrain: {left}");
        return $"opened {target.Path} (version {opened.Version}){(opened.LeftOut.Count > 0 ? $"; {opened.LeftOut.Count} thing(s) left out, not saved over until you save" : "")}";
    }

    private int SaveNow(SessionFolder folder)
    {
        var clock = Stopwatch.StartNew();
        long changes = _teacher.Changes;
        var (model, settings) = _describe();
        string key = JsonSerializer.Serialize(settings);
        int version = folder.Save(new SessionContents(model, settings, _teacher.Snapshot()));
        LastSave = clock.Elapsed;
        lock (_gate)
        {
            _saved = (changes, key);
            _savedAt = DateTime.Now;
            _summary = null;
        }
        return version;
    }

    private string Settings() => JsonSerializer.Serialize(_describe().Settings);

    private void Run()
    {
        Engine.Synthesis.Scheduling.TryMakeBackground();
        var lastChange = Stopwatch.StartNew();
        var lastSave = Stopwatch.StartNew();
        (long, string) seen = _saved;
        var look = TimeSpan.FromMilliseconds(Math.Min(200, _whileTraining.TotalMilliseconds / 2));
        while (!_stopping.Wait(look))
        {
            try
            {
                var now = (_teacher.Changes, Settings());
                if (now != seen)
                {
                    seen = now;
                    lastChange.Restart();
                }
                bool held, changed;
                lock (_gate) (held, changed) = (_held, now != _saved);
                if (held || !changed) continue;
                bool due = _teacher.Training ? lastSave.Elapsed >= _whileTraining : lastChange.Elapsed >= (Quiet < _whileTraining ? Quiet : _whileTraining);
                if (!due) continue;
                SaveNow(Folder);
                lastSave.Restart();
            }
            catch (Exception e)
            {
                // A full disk or a folder gone: said once a try, and tried again at the next change.
                _messages.WriteLine($"terrain: autosave of {Folder.Path} failed: {e.Message}");
                lock (_gate) _saved = (_teacher.Changes, Settings());
            }
        }
    }

    private static bool SameFolder(SessionFolder a, SessionFolder b) => a.Path == b.Path;

    private static void Remember(SessionFolder folder)
    {
        try
        {
            Directory.CreateDirectory(DataFolder);
            Engine.Files.AtomicFile.Write(Path.Combine(DataFolder, LastSessionFile), stream => stream.Write(System.Text.Encoding.UTF8.GetBytes(folder.Path + "\n")));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Only `terrain play` alone misses it: it starts a new session.
        }
    }

    /// <summary>Stops autosaving, saving what changed since the last save (unless held).</summary>
    public void Dispose()
    {
        _stopping.Set();
        _thread.Join();
        bool held, changed;
        lock (_gate) (held, changed) = (_held, (_teacher.Changes, Settings()) != _saved);
        if (!held && changed)
        {
            try
            {
                SaveNow(Folder);
            }
            catch (Exception e)
            {
                _messages.WriteLine($"terrain: saving {Folder.Path} failed: {e.Message}");
            }
        }
        _stopping.Dispose();
    }
}
