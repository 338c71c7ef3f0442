using LatentTerrain.Instrument;
using LatentTerrain.Instrument.Actions;
using LatentTerrain.Instrument.Live;
using LatentTerrain.Instrument.Teaching;
using LatentTerrain.Mappings;
using LatentTerrain.Models;

namespace LatentTerrain.Tests.Teaching;

/// <summary>
/// The instrument as a teaching test plays it: a model on the built-in terrain, live on the JACK
/// server the test started, with its teacher and the actions every front end sends.
/// </summary>
internal sealed class Stage : IDisposable
{
    public Stage(IAutoencoder model)
    {
        Instrument = new LiveInstrument(model, DefaultTerrain.Load(), new LiveSettings { SampleRate = model.SampleRate });
        Instrument.Start();
        var allocator = new CursorAllocator();
        Teacher = new Teacher(Instrument, allocator);
        Actions = new PlayActions(Instrument.Synth.Cursors, allocator, teacher: Teacher);
    }

    public LiveInstrument Instrument { get; }
    public Teacher Teacher { get; }
    public PlayActions Actions { get; }

    /// <summary>Performs a line that must succeed, and returns its answer.</summary>
    public string Do(string line)
    {
        var answer = Actions.Apply(line);
        Assert.False(answer.Failed, $"{line}: {answer.Text}");
        return answer.Text;
    }

    public void Dispose()
    {
        Teacher.Dispose();
        Instrument.Dispose();
    }
}
