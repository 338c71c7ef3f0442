using System.Globalization;
using LatentTerrain.Instrument.Live;

namespace LatentTerrain.Tests.Benchmarks;

/// <summary>
/// The options the live measurements share: <c>--ahead N</c> (blocks queued for the callback),
/// <c>--lead MS</c> (render each block that long before the device takes it) and <c>--sync</c> (the
/// JACK server in synchronous mode), after the measurement's own positional argument.
/// </summary>
public sealed record LiveOptions(string? Positional, LiveSettings Settings, bool Synchronous)
{
    public static LiveOptions Parse(string[] arguments)
    {
        var settings = new LiveSettings();
        string? positional = null;
        bool synchronous = false;
        for (int i = 0; i < arguments.Length; i++)
        {
            string Value() => ++i < arguments.Length ? arguments[i] : throw new ArgumentException($"{arguments[i - 1]} needs a value");
            switch (arguments[i])
            {
                case "--ahead": settings = settings with { AheadBlocks = int.Parse(Value(), CultureInfo.InvariantCulture) }; break;
                case "--lead": settings = settings with { LeadSeconds = double.Parse(Value(), CultureInfo.InvariantCulture) / 1000 }; break;
                case "--sync": synchronous = true; break;
                case var other when positional == null && !other.StartsWith("--", StringComparison.Ordinal): positional = other; break;
                default: throw new ArgumentException($"unknown argument '{arguments[i]}' (options: --ahead N, --lead MS, --sync)");
            }
        }
        return new LiveOptions(positional, settings, synchronous);
    }

    /// <summary>The settings and the server's mode in words, for a measurement's first line.</summary>
    public string Describe() =>
        $"{Settings.AheadBlocks} block{(Settings.AheadBlocks == 1 ? "" : "s")} of {Settings.Frames} queued, " +
        $"lead {(Settings.LeadSeconds is double lead ? $"{lead * 1000:F1} ms" : "none")}, JACK {(Synchronous ? "synchronous (-S)" : "asynchronous (default)")}";
}
