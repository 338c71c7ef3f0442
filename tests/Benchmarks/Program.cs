using BenchmarkDotNet.Running;

namespace LatentTerrain.Tests.Benchmarks;

/// <summary>Entry point of the benchmarks: <c>dotnet run -c Release --project tests -- --filter '*Terrain*'</c>.</summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
