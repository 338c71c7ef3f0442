using System.Text.Json;
using System.Text.Json.Nodes;
using LatentTerrain.Engine.Terrain;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Terrain;

/// <summary>
/// The same network, the same weights, the same batch in PyTorch (tests/peer/terrain_parity.py):
/// outputs, loss, gradients and the weights after one Adam step must agree to 1e-5.
/// </summary>
public class TorchParityTests
{
    [PeerTheory]
    [InlineData(Activation.PReLU, 0.1f, 4, 32)]
    [InlineData(Activation.PReLU, 0f, 4, 7)]
    [InlineData(Activation.SiLU, 0.3f, 2, 16)]
    [InlineData(Activation.Tanh, 1f, 5, 9)]
    public void OutputsAndOneAdamStepMatchPyTorch(Activation activation, float sigma, int depth, int batch)
    {
        var config = new TerrainConfig { LatentSize = 8, Width = 48, Depth = depth, FourierFeatures = 40, Sigma = sigma, Activation = activation, Seed = 3 };
        var network = TerrainNetwork.Create(config);
        var random = new Random(9);
        var coordinates = Enumerable.Range(0, batch * 2).Select(_ => (float)random.NextDouble() * 4 - 2).ToArray();
        var targets = Enumerable.Range(0, batch * 8).Select(_ => (float)random.NextDouble() * 2 - 1).ToArray();
        const float lr = 1e-3f;

        var torch = RunPeer(config, network, coordinates, targets, lr);

        var outputs = TerrainNetworkTests.Evaluate(network, coordinates);
        AssertClose(torch["outputs"]!.AsArray(), outputs, "outputs");

        var pass = new TerrainPass(config, batch);
        var gradients = new float[network.Parameters.Length];
        pass.Forward(network, coordinates, batch);
        float loss = pass.Backward(network, targets, gradients);
        Assert.Equal(torch["loss"]!.GetValue<float>(), loss, 1e-5f);

        var trainer = new TerrainTrainer(network, new TrainingPairs(2, 8, coordinates, targets), new TrainingOptions { LearningRate = lr, BatchSize = batch });
        trainer.TrainStep(Enumerable.Range(0, batch).ToArray());
        foreach (var tensor in network.ToTensors().Where(t => t.Name != TerrainNetwork.FourierName))
        {
            var indices = Enumerable.Range(0, tensor.Data.Length).Select(e => GradientCheckTests.IndexOf(network, tensor.Name, e)).ToArray();
            AssertClose(torch["gradients"]![tensor.Name]!.AsArray(), indices.Select(i => gradients[i]).ToArray(), $"gradient of {tensor.Name}");
            AssertClose(torch["after"]![tensor.Name]!.AsArray(), indices.Select(i => trainer.Network.Parameters[i]).ToArray(), $"{tensor.Name} after one Adam step");
        }
    }

    private static void AssertClose(JsonArray expected, float[] actual, string what)
    {
        Assert.Equal(expected.Count, actual.Length);
        for (int i = 0; i < actual.Length; i++)
        {
            float e = expected[i]!.GetValue<float>();
            Assert.True(MathF.Abs(e - actual[i]) <= 1e-5f, $"{what}[{i}]: PyTorch {e}, ours {actual[i]}");
        }
    }

    internal static JsonNode RunPeer(TerrainConfig config, TerrainNetwork network, float[] coordinates, float[] targets, float lr)
    {
        var request = new
        {
            config = new { config.InputDims, config.LatentSize, config.Width, config.Depth, config.FourierFeatures, config.Sigma, Activation = config.Activation.ToString() },
            tensors = network.ToTensors().Select(t => new { name = t.Name, shape = t.Shape, data = t.Data }),
            coordinates,
            targets,
            lr,
        };
        return JsonNode.Parse(PeerPython.RunWithInput("terrain_parity.py", JsonSerializer.Serialize(request)))!;
    }
}
