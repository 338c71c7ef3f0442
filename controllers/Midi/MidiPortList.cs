namespace LatentTerrain.Controllers.Midi;

/// <summary>A compiled MIDI API and whether it works here.</summary>
/// <param name="Problem">
/// Why it shows no ports, in one line that names the API and ends with RtMidi's words (for
/// example "JACK MIDI shows no ports: ...; MidiOutJack::initialize: JACK server not running?"),
/// or null when it works.
/// </param>
public sealed record MidiApiState(MidiApi Api, string? Problem);

/// <summary>The MIDI ports there were at one moment, over every compiled API.</summary>
public sealed record MidiPortList(IReadOnlyList<MidiApiState> Apis, IReadOnlyList<MidiPort> Inputs, IReadOnlyList<MidiPort> Outputs)
{
    /// <summary>The input port <paramref name="choice"/> names: its number, or its name or part of it (any case; a whole name wins).</summary>
    /// <exception cref="MidiException">No such port, or several match; the message lists the input ports there are.</exception>
    public MidiPort Input(string choice) => Choose(Inputs, choice, "input");

    /// <summary>The output port <paramref name="choice"/> names: its number, or its name or part of it (any case; a whole name wins).</summary>
    /// <exception cref="MidiException">No such port, or several match; the message lists the output ports there are.</exception>
    public MidiPort Output(string choice) => Choose(Outputs, choice, "output");

    /// <summary>The port of <paramref name="direction"/> that is the same device with <paramref name="identity"/> (<see cref="MidiPort.Identity"/>) on <paramref name="api"/>, or null.</summary>
    public MidiPort? Find(MidiApi api, MidiDirection direction, string identity) =>
        (direction == MidiDirection.Input ? Inputs : Outputs).FirstOrDefault(port => port.Api == api && port.Identity == identity);

    private MidiPort Choose(IReadOnlyList<MidiPort> ports, string choice, string direction)
    {
        if (ports.Count == 0) throw new MidiException($"there is no MIDI {direction} port, so none is called '{choice}'{WhyNone()}");
        if (int.TryParse(choice, out int number))
        {
            return ports.FirstOrDefault(port => port.Number == number)
                ?? throw new MidiException($"there is no MIDI {direction} port {number}: the {direction} ports are {Describe(ports)}");
        }
        var exact = ports.Where(port => port.Name.Equals(choice, StringComparison.OrdinalIgnoreCase)).ToArray();
        var matches = exact.Length > 0 ? exact
            : ports.Where(port => port.Name.Contains(choice, StringComparison.OrdinalIgnoreCase)).ToArray();
        return matches.Length switch
        {
            1 => matches[0],
            0 => throw new MidiException($"no MIDI {direction} port is called '{choice}': the {direction} ports are {Describe(ports)}"),
            _ => throw new MidiException($"'{choice}' names several MIDI {direction} ports, {Describe(matches)}: give its number or more of its name"),
        };
    }

    private string WhyNone()
    {
        var problems = Apis.Where(api => api.Problem != null).Select(api => api.Problem).ToArray();
        return problems.Length == 0 ? "" : $" ({string.Join("; ", problems)})";
    }

    private static string Describe(IEnumerable<MidiPort> ports) => string.Join(", ", ports.Select(port => $"{port.Number} {port}"));
}
