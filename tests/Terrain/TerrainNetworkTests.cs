using LatentTerrain.Engine.Terrain;

namespace LatentTerrain.Tests.Terrain;

public class TerrainNetworkTests
{
    [Fact]
    public void DefaultsHaveTheReferenceParameterCount()
    {
        var network = TerrainNetwork.Create(new TerrainConfig());
        // 512·128+128 + 3·(128·128+128) + 128·8+8 + 4 PReLU slopes: "about 116k" in the reference.
        Assert.Equal(116_236, network.ParameterCount);
    }

    [Fact]
    public void SameSeedSameTerrainOtherSeedOtherTerrain()
    {
        var a = TerrainNetwork.Create(new TerrainConfig { Seed = 7 }).ToTensors();
        var b = TerrainNetwork.Create(new TerrainConfig { Seed = 7 }).ToTensors();
        var c = TerrainNetwork.Create(new TerrainConfig { Seed = 8 }).ToTensors();
        Assert.All(a.Zip(b), p => Assert.Equal(p.First.Data, p.Second.Data));
        Assert.NotEqual(a[0].Data, c[0].Data);
    }

    [Theory]
    [InlineData(Activation.PReLU, 0.1f)]
    [InlineData(Activation.SiLU, 0f)]
    [InlineData(Activation.Tanh, 2f)]
    public void TensorsRoundTripAndKeepTheFunction(Activation activation, float sigma)
    {
        var config = new TerrainConfig { InputDims = 3, LatentSize = 5, Width = 24, Depth = 2, FourierFeatures = 10, Sigma = sigma, Activation = activation };
        var network = TerrainNetwork.Create(config);
        var tensors = network.ToTensors();
        var copy = TerrainNetwork.FromTensors(config, tensors.ToDictionary(t => t.Name));

        Assert.Equal(3, tensors.Count(t => t.Name.EndsWith(".bias")));
        Assert.Equal([5, 24], tensors.Single(t => t.Name == "layers.2.weight").Shape);
        var coordinates = new[] { 0.1f, -0.4f, 0.7f, 1f, 0f, -1f };
        Assert.Equal(Evaluate(network, coordinates), Evaluate(copy, coordinates));
    }

    [Fact]
    public void FromTensorsNamesTheBadTensor()
    {
        var config = new TerrainConfig { Width = 16, FourierFeatures = 8 };
        var tensors = TerrainNetwork.Create(config).ToTensors().ToDictionary(t => t.Name);

        var missing = new Dictionary<string, NamedTensor>(tensors);
        missing.Remove("layers.2.bias");
        Assert.Equal("tensor 'layers.2.bias' is missing", Assert.Throws<ArgumentException>(() => TerrainNetwork.FromTensors(config, missing)).Message);

        var misshapen = new Dictionary<string, NamedTensor>(tensors) { ["layers.0.weight"] = new("layers.0.weight", [16, 2], new float[32]) };
        Assert.Equal("tensor 'layers.0.weight' has shape [16, 2], expected [16, 16]",
            Assert.Throws<ArgumentException>(() => TerrainNetwork.FromTensors(config, misshapen)).Message);

        var nan = new Dictionary<string, NamedTensor>(tensors) { ["B"] = new("B", [2, 8], Enumerable.Repeat(float.NaN, 16).ToArray()) };
        Assert.Contains("'B' contains NaN", Assert.Throws<ArgumentException>(() => TerrainNetwork.FromTensors(config, nan)).Message);
    }

    [Theory]
    [InlineData(0, 8, 128, 4, 256, 0.1f, "input dimensions must be 1..6, not 0")]
    [InlineData(7, 8, 128, 4, 256, 0.1f, "input dimensions must be 1..6, not 7")]
    [InlineData(2, 1025, 128, 4, 256, 0.1f, "latent size must be 1..1024, not 1025")]
    [InlineData(2, 8, 0, 4, 256, 0.1f, "width must be 1..1024, not 0")]
    [InlineData(2, 8, 128, 0, 256, 0.1f, "depth must be 1..16 hidden layers, not 0")]
    [InlineData(2, 8, 128, 4, 0, 0.1f, "Fourier features must be 1..4096, not 0")]
    [InlineData(2, 8, 128, 4, 256, -1f, "sigma must be 0..10, not -1")]
    public void InvalidConfigurationsSayWhichField(int dims, int latent, int width, int depth, int features, float sigma, string message)
    {
        var config = new TerrainConfig { InputDims = dims, LatentSize = latent, Width = width, Depth = depth, FourierFeatures = features, Sigma = sigma };
        Assert.Equal(message, Assert.Throws<ArgumentException>(config.Validate).Message);
    }

    [Fact]
    public void OutputIsClampedToTheReferenceRange()
    {
        var config = new TerrainConfig { Width = 16, FourierFeatures = 8, LatentSize = 2 };
        var tensors = TerrainNetwork.Create(config).ToTensors().ToDictionary(t => t.Name);
        tensors["layers.4.bias"] = new("layers.4.bias", [2], [1e6f, -1e6f]);
        var network = TerrainNetwork.FromTensors(config, tensors);
        Assert.Equal([100f, -100f], Evaluate(network, [0.3f, 0.3f]));
    }

    [Fact]
    public void OnePointAndABatchAgree()
    {
        var config = new TerrainConfig();
        var network = TerrainNetwork.Create(config);
        var random = new Random(3);
        var coordinates = Enumerable.Range(0, 2 * 300).Select(_ => (float)random.NextDouble() * 4 - 2).ToArray();
        var batch = Evaluate(network, coordinates, maxBatch: 64);
        for (int i = 0; i < 300; i += 37)
            Assert.Equal(batch.AsSpan(i * 8, 8).ToArray(), Evaluate(network, coordinates.AsSpan(2 * i, 2).ToArray()), new ToleranceComparer(1e-6f));
    }

    internal static float[] Evaluate(TerrainNetwork network, float[] coordinates, int maxBatch = 256)
    {
        var latents = new float[coordinates.Length / network.Config.InputDims * network.Config.LatentSize];
        new TerrainEvaluator(network.Config, maxBatch).Evaluate(network, coordinates, latents);
        return latents;
    }
}

internal sealed class ToleranceComparer(float tolerance) : IEqualityComparer<float>
{
    public bool Equals(float x, float y) => MathF.Abs(x - y) <= tolerance * Math.Max(1f, MathF.Abs(y));
    public int GetHashCode(float obj) => 0;
}
