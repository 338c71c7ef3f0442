using System.Globalization;
using System.Text;
using LatentTerrain.Engine.Terrain;
using Terminal.Gui.Drawing;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;
using Attribute = Terminal.Gui.Drawing.Attribute;

namespace LatentTerrain.Tui;

/// <summary>A small framed panel of dim text whose lines change in place (set only when they differ).</summary>
internal class Panel : Frame
{
    protected static readonly Scheme DimText = new(new Attribute(new Color(150, 150, 150), new Color(0, 0, 0)));
    protected readonly TextBlock Body;

    public Panel(string title, params Attribute[] palette) : this(title, new TextBlock(DimText.Normal, palette)) { }

    private Panel(string title, TextBlock body) : base(body, title)
    {
        Body = body;
        SetScheme(DimText);
    }

    protected void Show(string text) => Body.Lines = text;
}

/// <summary>
/// Device, rate, latency, load, voices, underruns, decoder faults and the autoencoder playing (name,
/// latent size, channels, ratio, rates); a missing device in red on top.
/// </summary>
internal sealed class AudioPanel : Panel
{
    private readonly Label _alarm = new() { X = 1, Y = 1, Width = Dim.Fill(1), Visible = false, Text = "NO AUDIO DEVICE" };
    private InstrumentStatus? _shown;

    public AudioPanel() : base("audio")
    {
        _alarm.SetScheme(new Scheme(new Attribute(new Color(255, 255, 255), new Color(190, 0, 0))));
        Add(_alarm);
    }

    public void Update(InstrumentStatus status)
    {
        if (ReferenceEquals(status, _shown)) return;
        _shown = status;
        bool silent = status.Device == null || status.AudioProblem != null;
        _alarm.Text = status.Device == null ? "NO AUDIO DEVICE" : "NO SOUND";
        _alarm.Visible = silent;
        Body.Y = silent ? 2 : 1;
        var text = new StringBuilder();
        if (status.AudioProblem != null) text.AppendLine(status.AudioProblem);
        if (status.Device != null)
            text.AppendLine(Invariant($"{status.Device} {status.SampleRate / 1000.0:0.#}k {status.PeriodFrames}×{status.QueuedBlocks} · {status.LatencyMilliseconds:0.0} ms"));
        text.AppendLine(Invariant($"load {status.SynthLoad * 100:0}% · voices {status.Voices}/{status.MaxVoices}"));
        text.AppendLine(status.Underruns == 0 ? "underruns 0"
            : Invariant($"underruns {status.Underruns}: slow {status.UnderrunsTooSlow} early {status.UnderrunsDeviceEarly} held {status.UnderrunsHeldUp}"));
        // Faults only when there are any: the panel's lines are few, and the model's are below.
        if (status.DecoderFaults > 0) text.AppendLine(Invariant($"decoder faults {status.DecoderFaults}: {status.LastDecoderFault}"));
        text.AppendLine(Invariant($"{(status.ModelName.Length == 0 ? "no model" : status.ModelName)} · z{status.LatentSize} · {status.Channels} ch"));
        text.Append(status.Resampled
            ? Invariant($"ratio {status.Ratio} · {status.ModelSampleRate / 1000.0:0.#}k → {status.SampleRate / 1000.0:0.#}k")
            : Invariant($"ratio {status.Ratio} · {status.ModelSampleRate / 1000.0:0.#}k"));
        Show(text.ToString());
    }

    internal static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The open controllers (port, kind, profile), on one line: the panel is kept short for the fragments above it.</summary>
internal sealed class ControllersPanel() : Panel("controllers")
{
    private IReadOnlyList<string>? _shown;

    public void Update(InstrumentStatus status)
    {
        if (ReferenceEquals(status.Controllers, _shown)) return;
        _shown = status.Controllers;
        Show(status.Controllers.Count == 0 ? "none" : string.Join(" · ", status.Controllers));
    }
}

/// <summary>The training run: state, epoch, loss, speed, the loss over time; the learning rate and what undo and redo would do.</summary>
internal sealed class TrainingPanel() : Panel("training")
{
    private TrainingProgress? _shown;
    private TeachingStatus? _teaching;
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private readonly LossHistory _history = new(256);
    private long _shownAt;

    public void Update(TrainingProgress? progress, TeachingStatus teaching)
    {
        bool sameSettings = _teaching is { } before && teaching.LearningRate == before.LearningRate && teaching.Undo == before.Undo && teaching.Redo == before.Redo;
        if (Nullable.Equals(progress, _shown) && sameSettings) return;
        // A running training changes every tick: shown four times a second (each redraw of the
        // panel allocates), at once when its state or the settings shown change.
        bool sameRun = progress is { } now && _shown is { } then && now.State == then.State && now.Recoveries == then.Recoveries && sameSettings;
        if (sameRun && System.Diagnostics.Stopwatch.GetElapsedTime(_shownAt) < Interval) return;
        _shownAt = System.Diagnostics.Stopwatch.GetTimestamp();
        if (progress is { } p && (_shown is not { } last || last.Step != p.Step) && float.IsFinite(p.Loss) && p.Loss > 0) _history.Add(p.Loss);
        (_shown, _teaching) = (progress, teaching);
        var text = new StringBuilder();
        if (progress is not { } run) text.AppendLine("idle").AppendLine();
        else
        {
            // A run until `stop` has no last epoch to show.
            string epoch = run.Continuous ? AudioPanel.Invariant($"epoch {run.Epoch}") : AudioPanel.Invariant($"epoch {run.Epoch}/{run.Epochs}");
            text.AppendLine(run.State switch
            {
                TrainingState.Idle => "idle",
                TrainingState.Training => $"training · {epoch}",
                TrainingState.Finished => $"finished · {epoch}",
                TrainingState.Cancelled => $"stopped · {epoch}",
                _ => $"failed: {run.Message}",
            });
            // A divergence it recovered from matters more than the speed.
            text.AppendLine(run.Recoveries > 0
                ? AudioPanel.Invariant($"loss {run.Loss:0.####} · recovered ×{run.Recoveries}")
                : AudioPanel.Invariant($"loss {run.Loss:0.####} · {run.StepsPerSecond / 1000:0.0}k steps/s"));
        }
        text.AppendLine(_history.Sparkline(Math.Max(1, Viewport.Width)));
        // The rate is unknown (0) where the instrument does not teach.
        if (teaching.LearningRate > 0) text.Append(AudioPanel.Invariant($"lr {teaching.LearningRate:0.######}"));
        if (teaching.Undo != null) text.Append(text[^1] == '\n' ? "" : " · ").Append("u: ").Append(teaching.Undo);
        if (teaching.Redo != null) text.Append(text[^1] == '\n' ? "" : " · ").Append("U: ").Append(teaching.Redo);
        Show(text.ToString());
    }
}

/// <summary>The newest losses in a fixed ring, drawn as a sparkline on a log scale (a loss falls by decades).</summary>
internal sealed class LossHistory(int capacity)
{
    private const string Bars = "▁▂▃▄▅▆▇█";
    private readonly float[] _ring = new float[capacity];
    private int _count, _next;

    public int Count => _count;

    public void Add(float loss)
    {
        _ring[_next] = MathF.Log10(loss);
        _next = (_next + 1) % _ring.Length;
        _count = Math.Min(_count + 1, _ring.Length);
    }

    /// <summary>The newest <paramref name="width"/> losses (or fewer), oldest first.</summary>
    public string Sparkline(int width)
    {
        int n = Math.Min(width, _count);
        if (n == 0) return "";
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        for (int i = 0; i < n; i++)
        {
            float v = At(n - 1 - i);
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        return string.Create(n, (this, n, min, max), static (span, state) =>
        {
            var (history, count, lo, hi) = state;
            for (int i = 0; i < count; i++)
            {
                float level = hi > lo ? (history.At(count - 1 - i) - lo) / (hi - lo) : 0.5f;
                span[i] = Bars[Math.Clamp((int)(level * Bars.Length), 0, Bars.Length - 1)];
            }
        });
    }

    /// <summary>The loss <paramref name="age"/> entries before the newest.</summary>
    private float At(int age) => _ring[(_next - 1 - age + 2 * _ring.Length) % _ring.Length];
}
