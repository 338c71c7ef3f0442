using LatentTerrain.Controllers.Midi;
using LatentTerrain.Engine.Synthesis;
using LatentTerrain.Engine.Terrain;
using LatentTerrain.Instrument;
using LatentTerrain.Instrument.Live;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Benchmarks;

/// <summary>
/// From a MIDI message's arrival to the cursor board update, in the live instrument over real
/// JACK virtual ports: <c>dotnet run -c Release --project tests -- midi-arrival [messages]</c>.
/// A JACK server of its own (dummy driver, 48 kHz, 128-frame periods); a sender plays through
/// virtual ports named like the devices into <see cref="LiveControllers"/> with the built-in
/// profiles. Per message, the time is taken in RtMidi's callback on JACK's thread (C, the stamp the
/// touch carries: <see cref="MidiInput.ArrivalTimestamp"/>) and again right after the board write
/// (<see cref="StampedCursorOutput"/>): the queue, the wake-up of the input's thread, the stream
/// parser, the device logic, the mapping and the board write. The wait for JACK's cycle before it
/// is <c>MidiLatencyBenchmarks</c>' figure.
/// </summary>
public static class LiveMidiMeasurement
{
    public const string Command = "midi-arrival";
    private const int WarmUp = 1000;

    public static int Run(string[] arguments)
    {
        int messages = arguments is [var count] ? int.Parse(count, System.Globalization.CultureInfo.InvariantCulture) : 20_000;
        Console.WriteLine("| device (built-in profile), message | messages | median | 99th percentile | max | allocated after warm-up |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- |");
        using var server = JackServer.Start();
        var terrain = new TerrainSnapshots(DefaultTerrain.Load());

        Measure("MPE keyboard (Seaboard), pitch bend on a held note", "Seaboard", terrain, messages,
            [[0xB0, 0x64, 0x06], [0xB0, 0x65, 0x00], [0xB0, 0x06, 0x0F], [0x91, 60, 100]],
            i => [0xE1, (byte)(i % 128), (byte)(32 + i % 64)]);
        Measure("Launchpad X, pad press or release", "Launchpad X LPX MIDI", terrain, messages, [],
            i => [0x90, (byte)(11 + i / 2 % 8 + 10 * (i / 16 % 8)), (byte)(i % 2 == 0 ? 100 : 0)]);
        return 0;
    }

    private static void Measure(string name, string portName, TerrainSnapshots terrain, int messages, byte[][] prelude, Func<int, byte[]> message)
    {
        var board = new CursorBoard();
        var output = new StampedCursorOutput(board, messages + prelude.Length + 16);
        using var device = MidiOutput.OpenVirtual(portName, clientName: "device");
        using var controllers = new LiveControllers(board, terrain, new LiveControllerSettings { Ports = [$"device:{portName}"] }, Console.Error, output);
        foreach (var bytes in prelude) device.Send(bytes);
        int before = output.WaitFor(1);
        for (int i = 0; i < messages; i++)
        {
            device.Send(message(i));
            // A few messages per JACK cycle, as a hand on a controller sends them.
            if (i % 4 == 3) Thread.Sleep(1);
        }
        output.WaitFor(before + messages);
        var latencies = output.Latencies(before + WarmUp);
        Array.Sort(latencies);
        static string Us(double seconds) => $"{seconds * 1e6:F1} us";
        Console.WriteLine($"| {name} | {latencies.Length} | {Us(latencies[latencies.Length / 2])} | {Us(latencies[(int)(0.99 * (latencies.Length - 1))])} | " +
            $"{Us(latencies[^1])} | {output.AllocatedSince(before + WarmUp)} B |");
    }
}
