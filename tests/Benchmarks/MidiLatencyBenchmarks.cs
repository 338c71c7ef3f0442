using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Mathematics;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using LatentTerrain.Controllers.Midi;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Benchmarks;

/// <summary>
/// One MIDI message through JACK, from <c>rtmidi_out_send_message</c> on a virtual output to
/// our <see cref="IRawMidiReceiver"/> on an input connected to it, on a JACK server of its own
/// (dummy driver, 48 kHz). Each iteration is one message, so the median and 99th percentile
/// are those of single messages. JACK moves MIDI once per process cycle, so the figure is
/// mostly the wait for the next cycle: between 0 and one period.
/// </summary>
[InProcess]
[Config(typeof(Percentiles))]
[Outliers(Perfolizer.Mathematics.OutlierDetection.OutlierMode.DontRemove)]
[WarmupCount(50)]
[IterationCount(1000)]
[InvocationCount(1)]
public class MidiLatencyBenchmarks
{
    private JackServer server = null!;
    private MidiOutput output = null!;
    private MidiInput input = null!;
    private readonly Arrivals arrivals = new();
    private readonly byte[] message = [0x91, 60, 100];

    /// <summary>JACK's period in frames at 48 kHz: 128 is 2.7 ms, 32 is 0.7 ms.</summary>
    [Params(128, 32)]
    public int Period { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        server = JackServer.Start(period: Period);
        output = MidiOutput.OpenVirtual("keys", clientName: "sender");
        input = MidiInput.Open(MidiPorts.ListOnce().Input("sender:keys"), arrivals);
    }

    [Benchmark(Description = "send to receive")]
    public void SendToReceive()
    {
        long before = arrivals.Count;
        output.Send(message);
        while (arrivals.Count == before) Thread.SpinWait(10);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        input.Dispose();
        output.Dispose();
        server.Dispose();
    }

    private sealed class Arrivals : IRawMidiReceiver
    {
        private long count;

        public long Count => Volatile.Read(ref count);

        public void Receive(ReadOnlySpan<byte> message, double deltaSeconds) => Interlocked.Increment(ref count);
    }

    private sealed class Percentiles : ManualConfig
    {
        public Percentiles() => AddColumn(StatisticColumn.Median, new PercentileColumn(99), StatisticColumn.Max);
    }

    /// <summary>A percentile of the iterations, which BenchmarkDotNet's columns stop short of (P95, then P100).</summary>
    private sealed class PercentileColumn(int percent) : IColumn
    {
        public string Id => $"P{percent}";
        public string ColumnName => $"P{percent}";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Statistics;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Time;
        public string Legend => $"{percent}th percentile of the iterations";
        public bool IsAvailable(Summary summary) => true;
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) =>
            summary[benchmarkCase]?.ResultStatistics is Statistics statistics
                ? $"{statistics.Percentiles.Percentile(percent) / 1000:F1} us"
                : "NA";
    }
}
