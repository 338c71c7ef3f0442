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
    private readonly object _lock = new();
    private readonly int _sampleRate, _frames;

    /// <summary>Opens the model to start with (see <see cref="Models.Open"/>) for an output at <paramref name="sampleRate"/> in blocks of <paramref name="frames"/>.</summary>
    /// <exception cref="ModelException">The file is missing, broken or not playable, or refused an attribute.</exception>
    public LoadedModels(string? name, int sampleRate, int frames, IReadOnlyList<string>? attributes)
    {
        _sampleRate = sampleRate;
        _frames = frames;
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
