using LatentTerrain.Instrument.Actions;

namespace LatentTerrain.Instrument.CommandLine;

/// <summary>
/// Headless <c>terrain play</c>'s actions from standard input, one line each, in the vocabulary of
/// <see cref="PlayActions"/>. A line refused (malformed, or a model that cannot be played) is
/// reported in one line on standard error and the instrument plays on; every other action's answer
/// is one line on standard output, except a finger's moves (a stream of them would drown the rest).
/// </summary>
public sealed class StandardInput
{
    private readonly PlayActions _actions;
    private readonly TextWriter _errors;
    private readonly TextWriter? _answers;
    private volatile bool _ended;

    /// <param name="answers">Where what succeeded is said; null says nothing.</param>
    public StandardInput(PlayActions actions, TextWriter errors, TextWriter? answers = null)
    {
        _actions = actions;
        _errors = errors;
        _answers = answers;
    }

    /// <summary>Standard input ended (or <c>quit</c> was typed).</summary>
    public bool Ended => _ended;

    /// <summary><c>quit</c> was typed.</summary>
    public bool Quit => _actions.QuitAsked;

    /// <summary>Reads <paramref name="reader"/> on a thread of its own until it ends or says quit.</summary>
    public static StandardInput Start(TextReader reader, PlayActions actions, TextWriter errors, TextWriter? answers = null)
    {
        var input = new StandardInput(actions, errors, answers);
        new Thread(() =>
        {
            while (!input.Quit && reader.ReadLine() is string line) input.Apply(line);
            input._ended = true;
        }) { IsBackground = true, Name = "standard input" }.Start();
        return input;
    }

    /// <summary>Carries out one line.</summary>
    public void Apply(string line)
    {
        var answer = _actions.Apply(line);
        if (answer.Failed) _errors.WriteLine($"terrain play: {answer.Text}");
        else if (!answer.Quiet && answer.Text.Length > 0) _answers?.WriteLine(answer.Text);
        if (Quit) _ended = true;
    }
}
