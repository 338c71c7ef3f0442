using LatentTerrain.Engine.Terrain;

namespace LatentTerrain.Tests.Terrain;

/// <summary>Backpropagation against central finite differences of the loss, every parameter of a small terrain.</summary>
public class GradientCheckTests
{
    [Theory]
    [InlineData(Activation.PReLU, 0.5f)]
    [InlineData(Activation.SiLU, 0.5f)]
    [InlineData(Activation.Tanh, 0.5f)]
    [InlineData(Activation.PReLU, 0f)]
    public void AnalyticGradientsMatchFiniteDifferences(Activation activation, float sigma)
    {
        var config = new TerrainConfig { InputDims = 2, LatentSize = 3, Width = 6, Depth = 3, FourierFeatures = 4, Sigma = sigma, Activation = activation, Seed = 11 };
        var network = TerrainNetwork.Create(config);
        var random = new Random(5);
        const int batch = 5;
        var coordinates = Enumerable.Range(0, batch * 2).Select(_ => (float)random.NextDouble() * 2 - 1).ToArray();
        var targets = Enumerable.Range(0, batch * 3).Select(_ => (float)random.NextDouble()).ToArray();

        var pass = new TerrainPass(config, batch);
        var analytic = new float[network.Parameters.Length];
        pass.Forward(network, coordinates, batch);
        pass.Backward(network, targets, analytic);

        float Loss()
        {
            pass.Forward(network, coordinates, batch);
            return pass.Backward(network, targets, new float[analytic.Length]);
        }

        int checkedCount = 0;
        foreach (var tensor in network.ToTensors().Where(t => t.Name != TerrainNetwork.FourierName))
        {
            for (int e = 0; e < tensor.Data.Length; e++)
            {
                int index = IndexOf(network, tensor.Name, e);
                float saved = network.Parameters[index];
                const float h = 1e-3f;
                network.Parameters[index] = saved + h;
                double plus = Loss();
                network.Parameters[index] = saved - h;
                double minus = Loss();
                network.Parameters[index] = saved;
                double numeric = (plus - minus) / (2 * h);
                Assert.True(Math.Abs(numeric - analytic[index]) <= 1e-4 + 2e-2 * Math.Abs(numeric),
                    $"{tensor.Name}[{e}]: backprop {analytic[index]}, finite differences {numeric}");
                checkedCount++;
            }
        }
        Assert.Equal(network.ParameterCount, checkedCount);
    }

    /// <summary>Where element <paramref name="element"/> of a PyTorch-layout tensor sits in the padded parameter array.</summary>
    internal static int IndexOf(TerrainNetwork network, string name, int element)
    {
        var layout = network.Layout;
        var parts = name.Split('.');
        int l = int.Parse(parts[1]);
        if (parts[0] == "activations") return layout.SlopeOffset + l;
        var layer = layout.Layers[l];
        if (parts[2] == "bias") return layer.BiasOffset + element;
        int output = element / layer.Inputs, input = element % layer.Inputs;
        return layer.WeightOffset + input * layer.OutputStride + output;
    }
}
