using BenchmarkDotNet.Attributes;
using LatentTerrain.Controllers.Devices;
using LatentTerrain.Controllers.Mpe;
using LatentTerrain.Engine.Maps;
using LatentTerrain.Engine.Synthesis;
using LatentTerrain.Mappings;

namespace LatentTerrain.Tests.Benchmarks;

/// <summary>
/// From a MIDI message's bytes to the cursor board: stream parser, MPE tracker, MPE keyboard logic,
/// mapping (with one-euro smoothing: the Sensel profile) and the board's write, per message, with
/// eight notes held (pitch bend, the busiest MPE message), and a Launchpad pad press and release.
/// </summary>
[MemoryDiagnoser]
[InProcess]
public class MidiBenchmarks
{
    private readonly CursorBoard _board = new();
    private MpeKeyboard _keyboard = null!;
    private Launchpad _launchpad = null!;
    private readonly byte[] _bend = [0xE3, 0x00, 0x40];
    private readonly byte[] _pad = [0x90, 0x2C, 0x7F, 0x90, 0x2C, 0x00];
    private double _time;

    [GlobalSetup]
    public void Setup()
    {
        var allocator = new CursorAllocator();
        _keyboard = new MpeKeyboard(new Mapping(MappingProfile.Default(ControllerKind.Sensel), PlaneBounds.Default, _board, allocator), MpeZoneLayout.Lower(15));
        for (int channel = 1; channel <= 8; channel++) _keyboard.Feed([(byte)(0x90 | channel), (byte)(50 + channel), 0x60], 0);
        _launchpad = new Launchpad(LaunchpadModel.X, new Mapping(MappingProfile.Default(ControllerKind.Launchpad), PlaneBounds.Default, _board, allocator));
    }

    [Benchmark(Description = "MPE pitch bend -> cursor (8 notes held)")]
    public void MpePitchBend()
    {
        _bend[1] = (byte)(_bend[1] + 1 & 0x7F);
        _keyboard.Feed(_bend, _time += 0.001);
    }

    [Benchmark(Description = "Launchpad pad press + release -> cursor (2 messages)")]
    public void LaunchpadPad() => _launchpad.Feed(_pad, _time += 0.001);
}
