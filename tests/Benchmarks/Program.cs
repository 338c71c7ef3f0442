using BenchmarkDotNet.Running;
using LatentTerrain.Tests.Audio;

namespace LatentTerrain.Tests.Benchmarks;

/// <summary>
/// Entry point of the benchmarks: <c>dotnet run -c Release --project tests -- --filter '*Terrain*'</c>,
/// and of the live measurements that need a JACK server: <c>-- latency</c>, <c>-- soak</c>, <c>-- midi-arrival</c>, <c>-- chord</c>, <c>-- interface</c>, <c>-- teaching</c>.
/// Tests also start it (Support/TestProgram) for the audio scenarios that need a process of their own.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args is [AudioScenarios.Command, .. var scenario]) return AudioScenarios.Run(scenario);
        if (args is [LatencyMeasurement.Command, .. var latency]) return LatencyMeasurement.Run(latency);
        if (args is [SoakMeasurement.Command, .. var soak]) return SoakMeasurement.Run(soak);
        if (args is [LiveMidiMeasurement.Command, .. var arrival]) return LiveMidiMeasurement.Run(arrival);
        if (args is [ChordMeasurement.Command, .. var chord]) return ChordMeasurement.Run(chord);
        if (args is [InterfaceMeasurement.Command, .. var screen]) return InterfaceMeasurement.Run(screen);
        if (args is [InterfaceMeasurement.FramesCommand]) return InterfaceMeasurement.Frames();
        if (args is [TeachingMeasurement.Command, .. var teaching]) return TeachingMeasurement.Run(teaching);
        if (args is [AutosaveMeasurement.Command, .. var autosave]) return AutosaveMeasurement.Run(autosave);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
