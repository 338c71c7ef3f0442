using System.Globalization;
using LatentTerrain.Controllers.Midi;

namespace LatentTerrain.Instrument.Actions;

/// <summary>Whether a bound control is a note (a key, a pad) or a control change (a knob, a fader, a button).</summary>
public enum MidiControlKind
{
    Note,
    ControlChange,
}

/// <summary>A control bound to an action by <see cref="MidiLearn"/>, as plain values a session can keep.</summary>
/// <param name="Port">The input port's <see cref="MidiPort.Identity"/> (its name without what changes when the device comes back).</param>
/// <param name="Channel">1..16.</param>
/// <param name="Kind">A note or a control change.</param>
/// <param name="Number">The note's or control change's number, 0..127.</param>
/// <param name="Action">The action line it performs (docs/actions.md).</param>
public sealed record MidiBinding(string Port, int Channel, MidiControlKind Kind, int Number, string Action)
{
    /// <summary>"CC 20" or "note 36".</summary>
    public string Control => $"{(Kind == MidiControlKind.Note ? "note" : "CC")} {Number}";

    /// <summary>How <c>bindings</c> lists it: "CC 20 ch 1 on 'nanoKONTROL2' -> train".</summary>
    public override string ToString() => $"{Control} ch {Channel} on '{Port}' -> {Action}";

    internal bool SameControl(MidiBinding other) =>
        Kind == other.Kind && Number == other.Number && Channel == other.Channel && Port == other.Port;
}

/// <summary>
/// MIDI learn: any note or control change of any controller performs an action line, so hands stay
/// on the pads. <see cref="Learn"/> arms it, and the next note-on or control change of any open input
/// is bound to the action (the control is its port, channel and number) and consumed; from then on
/// that control's messages perform the action instead of playing, and the others play as before
/// (<see cref="Offer"/>).
/// </summary>
/// <remarks>
/// A note-on, or a control change rising through 64, is a press; a note-off, or a control change
/// falling below 64, a release. <c>recall N</c> is a drum pad: a press performs <c>recall N P</c>
/// with P the velocity (a control change's value) / 127, its release <c>recall N 0</c> (learnt as
/// <c>recall N P</c>, a press plays that pressure); <c>draw N</c> draws while held (its release is
/// <c>draw stop</c>). <c>train</c> and <c>stop</c>, <c>fragment
/// record</c> and <c>fragment stop</c>, and <c>play path N ...</c> or <c>play fragment N</c> with
/// <c>play stop</c> toggle: presses perform the learnt action and its opposite in turn. Every other
/// action is performed on a press.
/// <para>
/// Threads: <see cref="Offer"/> runs on the inputs' threads and only queues what is to be performed
/// (allocating nothing for a message it lets pass); a thread of this object's own performs the lines
/// in order, so no MIDI thread waits for an action (a training starting, a file encoding), and writes
/// each answer as one line, "CC 20 -> train: ANSWER". <see cref="Learn"/>, <see cref="Forget"/> and
/// <see cref="Import"/> may come from any thread.
/// </para>
/// </remarks>
/// <param name="perform">Carries out one action line and answers in one line (what it throws is the answer).</param>
/// <param name="answers">Where the answers and the bindings made go, one line each.</param>
public sealed class MidiLearn(Func<string, string> perform, TextWriter answers) : IDisposable
{
    /// <summary>Replaced whole under <see cref="_gate"/>, so the MIDI threads read it without a lock.</summary>
    private Bound[] _bound = [];
    private readonly Lock _gate = new();
    private string? _armed;
    private readonly Queue<Job> _jobs = new();
    private Thread? _worker;
    private bool _stopping;

    /// <summary>A line to perform (with a pressure to append, or NaN), or with no line a message to write.</summary>
    private readonly record struct Job(string Label, string? Line, float Pressure = float.NaN);

    /// <summary>The action the next control moved is bound to, or null when not learning.</summary>
    public string? Learning => Volatile.Read(ref _armed);

    /// <summary>Every binding, oldest first: what a session saves (<see cref="Import"/> takes them back).</summary>
    public IReadOnlyList<MidiBinding> Bindings => [.. Volatile.Read(ref _bound).Select(bound => bound.Binding)];

    /// <summary>Binds the next note-on or control change of any controller to <paramref name="action"/> (replacing an action still waiting for one).</summary>
    public ActionAnswer Learn(string action)
    {
        if (Normalise(action) is not { } normal) return ActionAnswer.Refused("learn: name the action a control is to perform, as in `learn train`");
        Volatile.Write(ref _armed, normal);
        return ActionAnswer.Done($"move a control to bind it to '{normal}'");
    }

    /// <summary>Unbinds every control bound to <paramref name="action"/>, and stops learning it.</summary>
    public ActionAnswer Forget(string action)
    {
        if (Normalise(action) is not { } normal) return ActionAnswer.Refused("forget: name the action to unbind, as in `forget train`");
        string? armed = Volatile.Read(ref _armed);
        bool wasLearning = armed == normal && Interlocked.CompareExchange(ref _armed, null, armed) == armed;
        Bound[] gone;
        lock (_gate)
        {
            gone = [.. _bound.Where(bound => bound.Binding.Action == normal)];
            _bound = [.. _bound.Except(gone)];
        }
        if (gone.Length > 0) return ActionAnswer.Done($"forgot {string.Join("; ", gone.Select(bound => bound.Binding))}");
        return wasLearning ? ActionAnswer.Done($"stopped learning '{normal}'") : ActionAnswer.Refused($"forget {normal}: no control is bound to it");
    }

    /// <summary>The bindings in one line (<c>bindings</c>), and the action being learnt.</summary>
    public ActionAnswer Describe()
    {
        var bindings = Bindings;
        string learning = Learning is { } armed ? $" (learning '{armed}')" : "";
        return ActionAnswer.Done(bindings.Count == 0 ? $"no control is bound: `learn ACTION` binds one{learning}" : string.Join("; ", bindings) + learning);
    }

    /// <summary>Replaces every binding with these (a session's).</summary>
    /// <exception cref="ArgumentException">One is not a binding; the message names the first such and what is wrong.</exception>
    public void Import(IEnumerable<MidiBinding> bindings)
    {
        var imported = new List<Bound>();
        foreach (var binding in bindings)
        {
            string? problem = binding switch
            {
                { Port: null or "" } => "it names no port",
                { Channel: < 1 or > 16 } => $"channel {binding.Channel} is outside 1..16",
                { Kind: not (MidiControlKind.Note or MidiControlKind.ControlChange) } => $"kind {(int)binding.Kind} is neither a note nor a control change",
                { Number: < 0 or > 127 } => $"number {binding.Number} is outside 0..127",
                _ when Normalise(binding.Action) == null => "it names no action",
                _ when imported.Find(bound => bound.Binding.SameControl(binding)) is { } twice => $"binding {imported.IndexOf(twice) + 1} has the same control",
                _ => null,
            };
            if (problem != null) throw new ArgumentException($"MIDI binding {imported.Count + 1} ({binding}): {problem}");
            imported.Add(new Bound(binding with { Action = Normalise(binding.Action)! }));
        }
        lock (_gate) _bound = [.. imported];
    }

    /// <summary>
    /// A message of the input whose port has identity <paramref name="port"/>, on that input's thread
    /// (one whole message, status byte first): whether it was consumed (its control is bound, or was
    /// bound by it just now), else it goes on to the controller. Anything other than a complete note or
    /// control change goes on.
    /// </summary>
    public bool Offer(string port, ReadOnlySpan<byte> message)
    {
        if (message.Length != 3 || message[1] > 127 || message[2] > 127) return false;
        int type = message[0] & 0xF0;
        if (type is not (0x80 or 0x90 or 0xB0)) return false;
        var kind = type == 0xB0 ? MidiControlKind.ControlChange : MidiControlKind.Note;
        int channel = (message[0] & 0x0F) + 1, number = message[1], value = message[2];
        bool starts = type == 0xB0 || (type == 0x90 && value > 0);
        if (starts && Volatile.Read(ref _armed) is { } armed && Bind(armed, new MidiBinding(port, channel, kind, number, armed), value)) return true;
        foreach (var bound in Volatile.Read(ref _bound))
        {
            if (!bound.Is(port, channel, kind, number)) continue;
            bound.Receive(type, value, this);
            return true;
        }
        return false;
    }

    /// <summary>
    /// Releases the drum pads of <paramref name="port"/> held down (its device went away, or playing
    /// stops): their <c>recall N 0</c> is performed. On the input's thread, or while it is not fed.
    /// </summary>
    public void ReleaseAll(string port)
    {
        foreach (var bound in Volatile.Read(ref _bound))
            if (bound.Binding.Port == port) bound.Release(this);
    }

    /// <summary>Queues <paramref name="line"/> to be performed, answered as coming from <paramref name="source"/> ("side button 3"); from any thread, without waiting.</summary>
    public void Perform(string source, string line) => Enqueue(new Job(source, line));

    /// <summary>Performs what is queued still, then ends the thread; later lines are dropped.</summary>
    public void Dispose()
    {
        lock (_jobs)
        {
            if (_stopping) return;
            _stopping = true;
            Monitor.Pulse(_jobs);
        }
        _worker?.Join();
    }

    /// <summary>The action line with its words one space apart, or null when it has none.</summary>
    private static string? Normalise(string? action) =>
        string.Join(' ', (action ?? "").Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)) is { Length: > 0 } normal ? normal : null;

    // On the binding message's input thread.
    private bool Bind(string armed, MidiBinding binding, int value)
    {
        // Two controllers moved at once: only the first is bound.
        if (Interlocked.CompareExchange(ref _armed, null, armed) != armed) return false;
        var bound = new Bound(binding, value);
        lock (_gate) _bound = [.. _bound.Where(old => !old.Binding.SameControl(binding)), bound];
        Enqueue(new Job(binding.ToString(), null));
        return true;
    }

    private void Enqueue(in Job job)
    {
        lock (_jobs)
        {
            if (_stopping) return;
            _jobs.Enqueue(job);
            if (_worker != null) Monitor.Pulse(_jobs);
            else
            {
                _worker = new Thread(Work) { IsBackground = true, Name = "MIDI learn" };
                _worker.Start();
            }
        }
    }

    private void Work()
    {
        while (true)
        {
            Job job;
            lock (_jobs)
            {
                while (_jobs.Count == 0 && !_stopping) Monitor.Wait(_jobs);
                if (!_jobs.TryDequeue(out job)) return;
            }
            if (job.Line == null)
            {
                answers.WriteLine(job.Label);
                continue;
            }
            string line = float.IsNaN(job.Pressure) ? job.Line : string.Create(CultureInfo.InvariantCulture, $"{job.Line} {job.Pressure:0.##}");
            string answer;
            try
            {
                answer = perform(line);
            }
            catch (Exception failure)
            {
                // The thread outlives any one action; what went wrong is its answer.
                answer = $"failed: {failure.Message}";
            }
            answers.WriteLine($"{job.Label} -> {line}: {answer}");
        }
    }

    /// <summary>A binding with what its control's messages mean, and the state its input's thread keeps of it.</summary>
    private sealed class Bound
    {
        private readonly string _label;
        /// <summary>What a press performs in turn with the action (toggles), or null.</summary>
        private readonly string? _opposite;
        /// <summary>What a drum pad's release performs, or null for other actions.</summary>
        private readonly string? _release;
        /// <summary>A drum pad's press appends the velocity as its pressure.</summary>
        private readonly bool _velocity;
        /// <summary>A control change's last value was 64 or more.</summary>
        private bool _high;
        /// <summary>A press was performed and not released yet.</summary>
        private bool _held;
        private bool _toggled;

        public Bound(MidiBinding binding, int value = 0)
        {
            Binding = binding;
            _label = binding.Control;
            _high = binding.Kind == MidiControlKind.ControlChange && value >= 64;
            string[] words = binding.Action.Split(' ');
            _opposite = words switch
            {
                ["train", ..] => "stop",
                ["stop"] => "train",
                ["fragment", "record"] => "fragment stop",
                ["fragment", "stop"] => "fragment record",
                ["play", "path" or "fragment", _, ..] => "play stop",
                _ => null,
            };
            if (words is ["recall", _] or ["recall", _, _])
                (_release, _velocity) = ($"recall {words[1]} 0", words.Length == 2);
            // A path is drawn while its control is held.
            if (words is ["draw", _]) _release = "draw stop";
        }

        public MidiBinding Binding { get; }

        public bool Is(string port, int channel, MidiControlKind kind, int number) =>
            Binding.Number == number && Binding.Channel == channel && Binding.Kind == kind && Binding.Port == port;

        public void Receive(int type, int value, MidiLearn learn)
        {
            bool press, release;
            if (type == 0xB0)
            {
                bool high = value >= 64;
                (press, release, _high) = (high && !_high, !high && _high, high);
            }
            else (press, release) = (type == 0x90 && value > 0, type == 0x80 || value == 0);
            if (release) Release(learn);
            if (!press) return;
            _held = true;
            string line = _toggled ? _opposite! : Binding.Action;
            if (_opposite != null) _toggled = !_toggled;
            learn.Enqueue(new Job(_label, line, _velocity ? value / 127f : float.NaN));
        }

        public void Release(MidiLearn learn)
        {
            _high = false;
            if (!_held) return;
            _held = false;
            if (_release != null) learn.Enqueue(new Job(_label, _release));
        }
    }
}
