using System.Diagnostics;
using LatentTerrain.Controllers.Devices;
using LatentTerrain.Controllers.Midi;
using LatentTerrain.Engine.Maps;
using LatentTerrain.Engine.Synthesis;
using LatentTerrain.Engine.Terrain;
using LatentTerrain.Instrument.Actions;
using LatentTerrain.Mappings;

namespace LatentTerrain.Instrument.Live;

/// <summary>
/// The MIDI controllers playing the live instrument: every input port (or those
/// <see cref="LiveControllerSettings.Ports"/> names), each through the profile of its kind
/// (<see cref="ControllerRecognition"/>) or the file given for it, all writing one cursor board
/// through one shared <see cref="CursorAllocator"/>. A Launchpad is put in programmer mode and shows
/// the terrain's map and the cursors on its pads. Devices that go away have their touches released
/// and play again when they return; a device plugged in while playing is opened as at the start
/// (when it is one the settings choose). Dispose it to release every touch and give Launchpads back
/// their live mode. With a <see cref="MidiLearn"/>, bound controls perform their actions instead of
/// playing, and a Launchpad's right-hand side buttons play stored positions
/// (<see cref="LaunchpadSideButtons"/>), lit while they hold one.
/// </summary>
/// <remarks>
/// Threads: each input's bytes reach its controller on that input's own thread
/// (<see cref="MidiInput"/>, <see cref="LiveControllerInput"/>); the port watcher's thread handles devices leaving,
/// returning and arriving; a display thread of its own sends everything Launchpads get. The lists
/// of inputs and Launchpads are replaced whole when a device arrives, so readers need no lock.
/// Messages for the player (a malformed profile, a device gone or back) go to the given writer,
/// one line each.
/// </remarks>
public sealed class LiveControllers : IDisposable
{
    /// <summary><see cref="LiveControllerInput.ProfileSource"/> of a shipped default profile.</summary>
    public const string BuiltIn = "built-in";

    private static readonly TimeSpan DisplayTick = TimeSpan.FromMilliseconds(10);

    private readonly CursorBoard _board;
    private readonly TerrainSnapshots _terrain;
    private readonly TextWriter _messages;
    private readonly LiveControllerSettings _settings;
    private readonly List<(string? Port, MappingProfile? Profile, string Path)> _profiles;
    private readonly ICursorOutput _output;
    private readonly MidiLearn? _learn;
    private readonly Func<IReadOnlyList<int>>? _storedPositions;
    private readonly Lock _gate = new();
    private LiveControllerInput[] _inputs = [];
    private LaunchpadLink[] _launchpads = [];
    /// <summary>Launchpads playing without lights: no output port of theirs was there yet (the watcher's thread only).</summary>
    private readonly List<(LaunchpadModel Model, MidiPort Input)> _dark = [];
    private readonly MidiPortWatcher? _watcher;
    private readonly ManualResetEventSlim _stopping = new();
    private Thread? _display;
    private Exception? _displayFault;
    private bool _disposed;

    /// <param name="board">The cursors the controllers move (the synth's).</param>
    /// <param name="terrain">The playing terrain, shown on Launchpads.</param>
    /// <param name="messages">Where the one-line messages for the player go (standard error).</param>
    /// <param name="output">Where mappings write, by default straight into <paramref name="board"/> (a measurement wraps it).</param>
    /// <param name="mayOpenJack">
    /// Whether a JACK client may be opened now: false while the audio output still holds a client of
    /// a JACK server that went away (see <see cref="MidiPortWatcher.HoldsDeadJackClients"/>).
    /// </param>
    /// <param name="learn">Offered every message first (bound controls perform actions); it performs the side buttons' lines too. None: neither.</param>
    /// <param name="storedPositions">
    /// The numbers of the stored positions, for the side buttons' lights: called by the display thread
    /// every few milliseconds, so it should hand back a list it keeps (a new one only after a change).
    /// </param>
    /// <exception cref="MidiException">A port <see cref="LiveControllerSettings.Ports"/> names does not exist; the message lists those there are.</exception>
    public LiveControllers(CursorBoard board, TerrainSnapshots terrain, LiveControllerSettings settings, TextWriter messages,
        ICursorOutput? output = null, Func<bool>? mayOpenJack = null, MidiLearn? learn = null, Func<IReadOnlyList<int>>? storedPositions = null)
    {
        (_learn, _storedPositions) = (learn, storedPositions);
        _board = board;
        _terrain = terrain;
        _settings = settings;
        _messages = TextWriter.Synchronized(messages);
        _output = output ?? new CursorBoardOutput(board);
        try
        {
            _profiles = LoadProfiles(settings.Mappings);
            var ports = MidiPorts.ListOnce();
            foreach (var port in Choose(ports, settings.Ports)) Open(port, ports);

            _watcher = new MidiPortWatcher(settings.WatchInterval, mayOpenJack);
            _watcher.Disappeared += Disappeared;
            _watcher.Returned += Returned;
            _watcher.Appeared += Appeared;
            foreach (var input in _inputs) _watcher.Watch(input.Connection!);
            foreach (var launchpad in _launchpads) _watcher.Watch(launchpad.Output);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Monotonic seconds (since the machine started): the time stamped on every MIDI message on arrival.</summary>
    public static double Now => Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency;

    /// <summary>The opened inputs: those at the start in port order, then those plugged in since.</summary>
    public IReadOnlyList<LiveControllerInput> Inputs => Volatile.Read(ref _inputs);

    /// <summary>The part of the plane the connected Launchpads' pads play (all of them play the same), or null when none is connected.</summary>
    public PlaneBounds? LaunchpadWindow => Volatile.Read(ref _launchpads).Any(launchpad => launchpad.Output.IsConnected) ? _settings.Bounds : null;

    /// <summary>The cursor slots, shared by every input.</summary>
    public CursorAllocator Allocator { get; } = new();

    /// <summary>
    /// Whether a MIDI client of a JACK server that went away is still open (for a moment after the
    /// server's end): while one is, no other JACK client may open in the process.
    /// </summary>
    public bool HoldsDeadJackClients => _watcher?.HoldsDeadJackClients ?? false;

    /// <summary>What stopped the Launchpad display thread, if anything did (the inputs play on).</summary>
    public Exception? DisplayFault => Volatile.Read(ref _displayFault);

    /// <summary>Whether a port is one of this program's own RtMidi clients ("terrain", "terrain-01", "terrain-ports", ...).</summary>
    public static bool IsOurs(MidiPort port)
    {
        string client = port.Name.Split(':')[0];
        return client == MidiConnection.DefaultClientName || client.StartsWith(MidiConnection.DefaultClientName + "-", StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _watcher?.Dispose();
        _stopping.Set();
        _display?.Join();
        foreach (var input in _inputs) input.Connection?.Dispose();
        foreach (var input in _inputs) input.ReleaseAll();
        foreach (var launchpad in _launchpads)
        {
            try
            {
                launchpad.Close();
            }
            catch (MidiException failure)
            {
                _messages.WriteLine($"terrain: could not give {launchpad.Output} its live mode back: {failure.Message}");
            }
        }
        _stopping.Dispose();
    }

    /// <summary>The profile files: (port name part or null for every port, profile or null when malformed, path).</summary>
    private List<(string? Port, MappingProfile? Profile, string Path)> LoadProfiles(IReadOnlyList<string> mappings)
    {
        var profiles = new List<(string?, MappingProfile?, string)>();
        foreach (string mapping in mappings)
        {
            int equals = mapping.IndexOf('=');
            var (port, path) = equals > 0 && !File.Exists(mapping) ? (mapping[..equals], mapping[(equals + 1)..]) : (null, mapping);
            try
            {
                profiles.Add((port, MappingProfile.Load(path), path));
            }
            catch (MappingProfileException malformed)
            {
                _messages.WriteLine($"terrain: {malformed.Message}; {(port == null ? "every device" : $"'{port}'")} plays its default profile");
                profiles.Add((port, null, path));
            }
        }
        return profiles;
    }

    /// <summary>The input ports to open: every one, or those the choices name; never our own.</summary>
    private static IEnumerable<MidiPort> Choose(MidiPortList ports, IReadOnlyList<string> choices)
    {
        var candidates = ports.Inputs.Where(port => !IsOurs(port)).ToList();
        if (choices.Count == 0) return candidates;
        var chosen = new List<MidiPort>();
        foreach (string choice in choices)
        {
            var matches = int.TryParse(choice, out int number)
                ? candidates.Where(port => port.Number == number).ToList()
                : candidates.Where(port => port.Name.Contains(choice, StringComparison.OrdinalIgnoreCase)).ToList();
            if (matches.Count == 0)
            {
                string there = candidates.Count == 0
                    ? $"there are none{Problems(ports)}"
                    : $"the input ports are {string.Join(", ", candidates.Select(port => $"{port.Number} {port}"))}";
                throw new MidiException($"--midi {choice}: no MIDI input port is called that; {there}");
            }
            chosen.AddRange(matches.Where(port => !chosen.Contains(port)));
        }
        return chosen.OrderBy(port => port.Number);
    }

    private static string Problems(MidiPortList ports)
    {
        var problems = ports.Apis.Where(api => api.Problem != null).Select(api => api.Problem).ToArray();
        return problems.Length == 0 ? "" : $" ({string.Join("; ", problems)})";
    }

    /// <summary>Opens an input port with its profile (and a Launchpad's lights); null when it is not played.</summary>
    private LiveControllerInput? Open(MidiPort port, MidiPortList ports)
    {
        var recognised = ControllerRecognition.FromPortName(port.Name);
        if (recognised.Skip != null)
        {
            // Every port is opened by default, so only a port asked for by name is worth a word.
            if (_settings.Ports.Count > 0) _messages.WriteLine($"terrain: not playing {recognised.Skip}");
            return null;
        }
        var (profile, source) = (MappingProfile.Default(recognised.Kind), BuiltIn);
        foreach (var given in _profiles)
            if (given.Profile != null && (given.Port == null || port.Name.Contains(given.Port, StringComparison.OrdinalIgnoreCase)))
                (profile, source) = (given.Profile, given.Path);

        var mapping = new Mapping(profile, _settings.Bounds, _output, Allocator);
        MidiController controller;
        try
        {
            controller = MidiControllers.Create(profile, mapping, recognised.Launchpad ?? LaunchpadModel.X);
        }
        catch (ArgumentException notMidi)
        {
            _messages.WriteLine($"terrain: {source}: {notMidi.Message}; {port} plays its default profile");
            (profile, source) = (MappingProfile.Default(recognised.Kind), BuiltIn);
            mapping = new Mapping(profile, _settings.Bounds, _output, Allocator);
            controller = MidiControllers.Create(profile, mapping, recognised.Launchpad ?? LaunchpadModel.X);
        }

        LiveControllerInput.WarmUp(profile, _settings.Bounds, recognised.Launchpad ?? LaunchpadModel.X);
        var sideButtons = _learn != null && controller is Launchpad pads ? new LaunchpadSideButtons(pads, mapping, _learn) : null;
        var input = new LiveControllerInput(port, profile, source, controller, _learn, sideButtons);
        try
        {
            input.Connection = MidiInput.Open(port, input);
        }
        catch (MidiException failure)
        {
            _messages.WriteLine($"terrain: {failure.Message}; it does not play");
            return null;
        }
        lock (_gate) _inputs = [.. _inputs, input];
        if (controller is Launchpad launchpad) OpenLights(launchpad.Model, port, ports);
        return input;
    }

    /// <summary>
    /// A Launchpad's lights: the output port of the same model and programmer port, the one named
    /// like the input if there is one (ALSA names both the same), else the closest name (JACK's
    /// bridges call them "... capture ..." and "... playback ...").
    /// </summary>
    private void OpenLights(LaunchpadModel model, MidiPort input, MidiPortList ports)
    {
        var candidates = Lights(model, input, ports);
        if (candidates.Count == 0)
        {
            _messages.WriteLine($"terrain: found no output port for the Launchpad at {input}: its pads play but stay dark until one appears");
            _dark.Add((model, input));
            return;
        }
        try
        {
            var link = new LaunchpadLink(model, MidiOutput.Open(candidates[0]), _settings.Bounds, _storedPositions);
            lock (_gate)
            {
                _launchpads = [.. _launchpads, link];
                if (_display == null)
                {
                    _display = new Thread(ShowOnLaunchpads) { IsBackground = true, Name = "Launchpad display" };
                    _display.Start();
                }
            }
        }
        catch (MidiException failure)
        {
            _messages.WriteLine($"terrain: {failure.Message}; the Launchpad's pads play but stay dark");
        }
    }

    private static List<MidiPort> Lights(LaunchpadModel model, MidiPort input, MidiPortList ports) => ports.Outputs
        .Where(port => !IsOurs(port) && LaunchpadProtocol.TryRecognisePort(port.Name, out var found) && found == model && LaunchpadProtocol.IsProgrammerPort(port.Name))
        .OrderByDescending(port => port.Identity == input.Identity)
        .ThenByDescending(port => CommonPrefix(port.Name, input.Name))
        .ToList();

    private static int CommonPrefix(string a, string b)
    {
        int length = 0;
        while (length < a.Length && length < b.Length && a[length] == b[length]) length++;
        return length;
    }

    // On the watcher's thread.
    private void Disappeared(string name)
    {
        foreach (var input in _inputs)
        {
            if (input.Connection!.Name != name) continue;
            input.ReleaseAll();
            _messages.WriteLine($"terrain: MIDI input '{name}' is gone; its touches are released (it plays again when it returns)");
        }
    }

    // On the watcher's thread, after the connection is connected again (a Launchpad's display thread notices its output's return itself).
    private void Returned(string name)
    {
        foreach (var input in _inputs)
            if (input.Connection!.Name == name) _messages.WriteLine($"terrain: MIDI input '{name}' is back");
    }

    // On the watcher's thread: a device plugged in while playing plays as if it had been there at the
    // start, when no --midi was given or one names it (a number would name whatever port has it now).
    private void Appeared(MidiPort port, MidiPortList ports)
    {
        if (port.Direction == MidiDirection.Output)
        {
            LightDark(ports);
            return;
        }
        if (IsOurs(port) || _inputs.Any(input => input.Connection!.Port is { } known && known.Api == port.Api && known.Identity == port.Identity)) return;
        if (_settings.Ports.Count > 0 && !_settings.Ports.Any(choice => !int.TryParse(choice, out _) && port.Name.Contains(choice, StringComparison.OrdinalIgnoreCase))) return;
        int launchpads = _launchpads.Length;
        if (Open(port, ports) is not { } input) return;
        _watcher!.Watch(input.Connection!);
        for (int i = launchpads; i < _launchpads.Length; i++) _watcher.Watch(_launchpads[i].Output);
        _messages.WriteLine($"terrain: plugged in: {input}");
    }

    // On the watcher's thread: an output port came; a Launchpad still dark may find its lights in it.
    private void LightDark(MidiPortList ports)
    {
        foreach (var (model, input) in _dark.ToArray())
        {
            if (Lights(model, input, ports).Count == 0) continue;
            _dark.Remove((model, input));
            int launchpads = _launchpads.Length;
            OpenLights(model, input, ports);
            for (int i = launchpads; i < _launchpads.Length; i++) _watcher!.Watch(_launchpads[i].Output);
        }
    }

    private void ShowOnLaunchpads()
    {
        try
        {
            do
            {
                double now = Now;
                foreach (var launchpad in _launchpads) launchpad.Tick(_board, _terrain, now);
            }
            while (!_stopping.Wait(DisplayTick));
        }
        catch (Exception failure)
        {
            Volatile.Write(ref _displayFault, failure);
            _messages.WriteLine($"terrain: the Launchpad display stopped: {failure.Message}");
        }
    }
}
