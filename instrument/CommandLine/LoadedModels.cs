using LatentTerrain.Instrument.Live;
using LatentTerrain.Models;

namespace LatentTerrain.Instrument.CommandLine;

/// <summary>
/// The autoencoders <c>terrain play</c> has opened, by name: the one it starts with and those
/// <c>model NAME</c> asks for on standard input. Each is opened once, on the caller's thread (never
/// the synth's), and kept until the instrument has stopped, so going back to a model is a crossfade
/// with no load, and no model is freed while the synth may still be fading it out.
/// </summary>
internal sealed class LoadedModels : IDisposable
{
    private readonly Dictionary<string, IAutoencoder> _opened = [];
    private readonly Dictionary<string, string> _hashes = [];
    private readonly IReadOnlyList<string> _firstAttributes;
    private readonly object _lock = new();
    private readonly int _sampleRate, _frames;

    /// <summary>Opens the model to start with (see <see cref="Models.Open"/>) for an output at <paramref name="sampleRate"/> in blocks of <paramref name="frames"/>.</summary>
    /// <exception cref="ModelException">The file is missing, broken or not playable, or refused an attribute.</exception>
    public LoadedModels(string? name, int sampleRate, int frames, IReadOnlyList<string>? attributes)
    {
        _sampleRate = sampleRate;
        _frames = frames;
        _firstAttributes = attributes ?? [];
        First = Open(name ?? Models.BuiltIn, attributes);
        _opened[Key(name ?? Models.BuiltIn)] = First;
    }

    public IAutoencoder First { get; }

    /// <summary>
    /// Crossfades <paramref name="instrument"/> to the model <paramref name="name"/> names (<c>builtin</c> or a
    /// file), opening it if it is new; says in one line what plays now.
    /// </summary>
    /// <exception cref="ModelException">The file is missing, broken or not playable.</exception>
    /// <exception cref="ArgumentException">Its latent size is not the terrain's.</exception>
    public string Switch(string name, LiveInstrument instrument)
    {
        lock (_lock)
        {
            string key = Key(name);
            bool opened = !_opened.TryGetValue(key, out var model);
            model ??= Open(name, null);
            if (ReferenceEquals(model, instrument.Synth.Model))
            {
                return $"already playing {model.Name}";
            }
            try
            {
                instrument.Load(model);
            }
            catch when (opened)
            {
                model.Dispose();
                throw;
            }
            if (opened) _opened[key] = model;
            string resampled = model.SampleRate == _sampleRate ? "" : $", resampled live from {model.SampleRate} Hz";
            return $"now playing {model.Name} (latent {model.LatentSize}, frame {model.Ratio}{resampled})";
        }
    }

    /// <summary>What a session records of the model playing: its file (none for the built-in codec), the file's SHA-256, its attributes.</summary>
    public Sessions.ModelEntry Describe(IAutoencoder playing)
    {
        lock (_lock)
        {
            string key = _opened.FirstOrDefault(entry => ReferenceEquals(entry.Value, playing)).Key ?? Models.BuiltIn;
            var attributes = ReferenceEquals(playing, First) ? _firstAttributes : [];
            if (key == Models.BuiltIn) return new Sessions.ModelEntry(playing.Name, null, null, attributes);
            if (!_hashes.TryGetValue(key, out string? hash)) _hashes[key] = hash = HashOf(key);
            return new Sessions.ModelEntry(playing.Name, key, hash, attributes);
        }
    }

    /// <summary>A model file's SHA-256 (a session notices the file changed since).</summary>
    public static string HashOf(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(file));
    }

    private IAutoencoder Open(string name, IReadOnlyList<string>? attributes) =>
        Models.Open(name, _sampleRate, Models.BuiltInFrame(_frames, _sampleRate), attributes: attributes);

    private static string Key(string name) => name.Equals(Models.BuiltIn, StringComparison.OrdinalIgnoreCase) ? Models.BuiltIn : Path.GetFullPath(name);

    /// <summary>Frees every model opened here; call it once the instrument is disposed.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var model in _opened.Values) model.Dispose();
            _opened.Clear();
        }
    }
}
