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

    public Panel(string title) : this(title, new TextBlock(DimText.Normal)) { }

    private Panel(string title, TextBlock body) : base(body, title)
    {
        Body = body;
        SetScheme(DimText);
    }

    protected void Show(string text) => Body.Lines = text;
}

/// <summary>Device, rate, latency, voices, load, underruns, decoder faults; a missing device in red on top.</summary>
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
        {
            text.AppendLine(Invariant($"{status.Device} {status.SampleRate / 1000.0:0.#}k {status.PeriodFrames}×{status.QueuedBlocks}"));
            text.AppendLine(Invariant($"latency {status.LatencyMilliseconds:0.0} ms · load {status.SynthLoad * 100:0}%"));
        }
        text.AppendLine(Invariant($"voices {status.Voices}/{status.MaxVoices}"));
        text.AppendLine(status.Underruns == 0 ? "underruns 0"
            : Invariant($"underruns {status.Underruns}: slow {status.UnderrunsTooSlow} early {status.UnderrunsDeviceEarly} held {status.UnderrunsHeldUp}"));
        text.Append(status.DecoderFaults == 0 ? "decoder faults 0" : Invariant($"decoder faults {status.DecoderFaults}: {status.LastDecoderFault}"));
        Show(text.ToString());
    }

    internal static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The autoencoder playing: name, latent size, ratio, rates, channels.</summary>
internal sealed class ModelPanel() : Panel("model")
{
    private InstrumentStatus? _shown;

    public void Update(InstrumentStatus status)
    {
        if (ReferenceEquals(status, _shown)) return;
        _shown = status;
        string rates = status.Resampled
            ? AudioPanel.Invariant($"{status.ModelSampleRate / 1000.0:0.#}k → {status.SampleRate / 1000.0:0.#}k resampled")
            : AudioPanel.Invariant($"{status.ModelSampleRate / 1000.0:0.#}k");
        Show(AudioPanel.Invariant($"{(status.ModelName.Length == 0 ? "no model" : status.ModelName)}\nz{status.LatentSize} · ratio {status.Ratio} · {status.Channels} ch\n{rates}"));
    }
}

/// <summary>One line per open controller.</summary>
internal sealed class ControllersPanel() : Panel("controllers")
{
    private IReadOnlyList<string>? _shown;

    public void Update(InstrumentStatus status)
    {
        if (ReferenceEquals(status.Controllers, _shown)) return;
        _shown = status.Controllers;
        Show(status.Controllers.Count == 0 ? "none" : string.Join('\n', status.Controllers));
    }
}

/// <summary>The training run: state, epoch, loss, speed, the loss over time, and what it learns from.</summary>
internal sealed class TrainingPanel() : Panel("training")
{
    private TrainingProgress? _shown;
    private TaughtShapes? _taught;
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private readonly LossHistory _history = new(256);
    private long _shownAt;

    public void Update(TrainingProgress? progress, TaughtShapes taught)
    {
        if (Nullable.Equals(progress, _shown) && ReferenceEquals(taught, _taught)) return;
        // A running training changes every tick: shown four times a second (each redraw of the
        // panel allocates), at once when its state or what it learns from changes.
        bool sameRun = progress is { } now && _shown is { } then && now.State == then.State && now.Recoveries == then.Recoveries && ReferenceEquals(taught, _taught);
        if (sameRun && System.Diagnostics.Stopwatch.GetElapsedTime(_shownAt) < Interval) return;
        _shownAt = System.Diagnostics.Stopwatch.GetTimestamp();
        if (progress is { } p && (_shown is not { } before || before.Step != p.Step) && float.IsFinite(p.Loss) && p.Loss > 0) _history.Add(p.Loss);
        (_shown, _taught) = (progress, taught);
        var text = new StringBuilder();
        if (progress is not { } run) text.AppendLine("idle").AppendLine().AppendLine();
        else
        {
            text.AppendLine(run.State switch
            {
                TrainingState.Idle => "idle",
                TrainingState.Training => AudioPanel.Invariant($"training · epoch {run.Epoch}/{run.Epochs}"),
                TrainingState.Finished => AudioPanel.Invariant($"finished · epoch {run.Epoch}/{run.Epochs}"),
                TrainingState.Cancelled => AudioPanel.Invariant($"stopped · epoch {run.Epoch}/{run.Epochs}"),
                _ => $"failed: {run.Message}",
            });
            text.AppendLine(AudioPanel.Invariant($"loss {run.Loss:0.####} · {run.StepsPerSecond / 1000:0.0}k steps/s"));
            text.AppendLine(run.Recoveries > 0 ? AudioPanel.Invariant($"recovered from divergence ×{run.Recoveries}") : run.State == TrainingState.Failed ? "" : run.Message ?? "");
        }
        text.AppendLine(_history.Sparkline(Math.Max(1, Viewport.Width)));
        text.Append(AudioPanel.Invariant($"{taught.Paths.Count} paths · {taught.Points.Count} points"));
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
