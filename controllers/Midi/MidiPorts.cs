namespace LatentTerrain.Controllers.Midi;

/// <summary>
/// Lists the MIDI ports of every compiled RtMidi API that works here (on Linux the ALSA
/// sequencer and JACK): JACK's through a client of our own (<see cref="JackPorts"/>), the others'
/// through one RtMidi input and one output per API kept open between listings: an input lists
/// the ports we can receive from, an output those we can send to.
/// </summary>
/// <remarks>
/// An API that fails is left out with its reason (<see cref="MidiApiState.Problem"/>), so a
/// machine with a JACK server and no ALSA sequencer still sees JACK's ports. An API whose
/// client could not start is tried again at the next listing, so a JACK server started later
/// (or started again) is found. Not thread-safe: one thread lists.
/// </remarks>
public sealed class MidiPorts : IDisposable
{
    private const string ClientName = "terrain-ports";

    private readonly MidiApi[] apis = RtMidi.CompiledApis().Where(api => api is not (MidiApi.Dummy or MidiApi.Unspecified)).ToArray();
    private readonly Dictionary<MidiApi, (RtMidiInHandle Input, RtMidiOutHandle Output)> clients = [];
    private readonly JackPorts jack = new();
    private readonly Func<bool> mayOpenJack;

    /// <param name="mayOpenJack">
    /// Whether a JACK client may be opened now (by default always): false while another part of the
    /// process still holds a client of a JACK server that went away.
    /// </param>
    public MidiPorts(Func<bool>? mayOpenJack = null) => this.mayOpenJack = mayOpenJack ?? (() => true);

    /// <summary>Whether the JACK server went away (libjack told the listing client, any thread), until a new one is connected.</summary>
    public bool JackServerGone => jack.ServerGone;

    /// <summary>Whether the listing holds a JACK client (after the server went away, until the next <see cref="List"/> closes it); any thread.</summary>
    public bool HoldsJackClient => jack.HoldsClient;

    /// <summary>The ports there are now, with a single set of RtMidi clients opened and closed for it.</summary>
    public static MidiPortList ListOnce()
    {
        using var ports = new MidiPorts();
        return ports.List();
    }

    /// <summary>The ports there are now, inputs and outputs each numbered from 0 across APIs, in RtMidi's API order.</summary>
    public MidiPortList List()
    {
        var states = new List<MidiApiState>();
        var inputs = new List<MidiPort>();
        var outputs = new List<MidiPort>();
        foreach (var api in apis)
        {
            if (api == MidiApi.Jack)
            {
                var found = jack.List(mayOpenJack, out string? problem);
                if (found is var (jackSources, jackDestinations)) Add(api, jackSources, jackDestinations);
                states.Add(new MidiApiState(api, problem == null ? null : $"JACK MIDI shows no ports: {problem}"));
                continue;
            }
            try
            {
                var (input, output) = Clients(api);
                var sources = RtMidi.PortNames(input, $"listing the {api.DisplayName()} MIDI input ports", out string printedIn);
                var destinations = RtMidi.PortNames(output, $"listing the {api.DisplayName()} MIDI output ports", out string printedOut);
                Add(api, sources, destinations);
                string printed = $"{printedIn}\n{printedOut}".Trim();
                states.Add(new MidiApiState(api, sources.Count + destinations.Count == 0 && printed != ""
                    ? $"{api.DisplayName()} MIDI shows no ports: {Summary(printed)}" : null));
            }
            catch (MidiException failure)
            {
                states.Add(new MidiApiState(api, failure.Message));
            }
        }
        return new MidiPortList(states, inputs, outputs);

        void Add(MidiApi api, List<string> sources, List<string> destinations)
        {
            int firstInput = inputs.Count, firstOutput = outputs.Count;
            inputs.AddRange(sources.Select((name, index) => new MidiPort(api, MidiDirection.Input, firstInput + index, name, index)));
            outputs.AddRange(destinations.Select((name, index) => new MidiPort(api, MidiDirection.Output, firstOutput + index, name, index)));
        }
    }

    public void Dispose()
    {
        foreach (var (input, output) in clients.Values)
        {
            input.Dispose();
            output.Dispose();
        }
        clients.Clear();
        jack.Dispose();
    }

    private (RtMidiInHandle Input, RtMidiOutHandle Output) Clients(MidiApi api)
    {
        if (clients.TryGetValue(api, out var pair)) return pair;
        var (input, _) = RtMidi.CreateInput(api, ClientName);
        try
        {
            var (output, _) = RtMidi.CreateOutput(api, ClientName);
            return clients[api] = (input, output);
        }
        catch
        {
            input.Dispose();
            throw;
        }
    }

    // A warning printed while listing (RtMidi's "JACK server not running?" after libjack's own lines).
    private static string Summary(string printed) =>
        string.Join("; ", printed.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct());
}
