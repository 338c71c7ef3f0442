namespace LatentTerrain.Engine.Terrain;

/// <summary>A float32 tensor by name, in PyTorch's layout (Linear weights are [out, in], row-major).</summary>
public sealed record NamedTensor(string Name, int[] Shape, float[] Data)
{
    public int ElementCount => Shape.Aggregate(1, (a, b) => a * b);
}

/// <summary>
/// The weights of one terrain: the fixed Fourier matrix B and the trainable parameters.
/// Readers treat an instance as immutable; only the trainer and <see cref="TerrainSnapshots"/>
/// write into parameter arrays that no reader holds.
/// </summary>
/// <remarks>
/// Internally every layer's output count is padded to a multiple of <see cref="Lane"/> with zero
/// weights, so the matrix kernels never need a ragged column tail. Padding stays zero through
/// training (its gradients are zero) and never appears in files: <see cref="ToTensors"/> and
/// <see cref="FromTensors"/> speak the plain PyTorch shapes.
/// </remarks>
public sealed class TerrainNetwork
{
    /// <summary>Column padding of the internal layout: one 512-bit vector of floats.</summary>
    internal const int Lane = 16;

    public TerrainConfig Config { get; }
    internal TerrainLayout Layout { get; }
    /// <summary>
    /// B, [InputDims, m] row-major; empty when sigma is 0. Kept unscaled (the pass applies 2π to the
    /// coordinate, as the reference does) so that a file's B survives a load and a save bit for bit.
    /// </summary>
    internal float[] FourierMatrix { get; }
    /// <summary>All trainable parameters in the padded layout of <see cref="Layout"/>.</summary>
    internal float[] Parameters { get; }

    /// <summary>Trainable parameters as PyTorch counts them (no padding, no Fourier matrix).</summary>
    public int ParameterCount => Layout.TrueParameterCount;

    internal TerrainNetwork(TerrainConfig config, float[] fourierMatrix, float[] parameters)
    {
        Config = config;
        Layout = new TerrainLayout(config);
        if (parameters.Length != Layout.ParameterCount) throw new ArgumentException("parameter array does not match the layout");
        FourierMatrix = fourierMatrix;
        Parameters = parameters;
    }

    /// <summary>A fresh terrain initialised like PyTorch's defaults (uniform ±1/√fan_in, PReLU slopes 0.25), seeded by <see cref="TerrainConfig.Seed"/>.</summary>
    public static TerrainNetwork Create(TerrainConfig config)
    {
        config.Validate();
        var layout = new TerrainLayout(config);
        var random = new Random(config.Seed);
        var fourierMatrix = new float[config.UsesFourierFeatures ? config.InputDims * config.FourierFeatures : 0];
        for (int i = 0; i < fourierMatrix.Length; i++)
            fourierMatrix[i] = config.Sigma * Gaussian(random);

        var parameters = new float[layout.ParameterCount];
        foreach (var layer in layout.Layers)
        {
            float bound = 1f / MathF.Sqrt(layer.Inputs);
            for (int i = 0; i < layer.Inputs; i++)
                for (int o = 0; o < layer.Outputs; o++)
                    parameters[layer.WeightOffset + i * layer.OutputStride + o] = Uniform(random, bound);
            for (int o = 0; o < layer.Outputs; o++)
                parameters[layer.BiasOffset + o] = Uniform(random, bound);
        }
        for (int l = 0; l < layout.SlopeCount; l++) parameters[layout.SlopeOffset + l] = 0.25f;
        return new TerrainNetwork(config, fourierMatrix, parameters);
    }

    /// <summary>A deep copy whose arrays the caller owns.</summary>
    public TerrainNetwork Clone() => new(Config, (float[])FourierMatrix.Clone(), (float[])Parameters.Clone());

    /// <summary>
    /// The tensors of this terrain under the names a PyTorch module would use:
    /// <c>B</c> [in, m] (when sigma &gt; 0), <c>layers.{l}.weight</c> [out, in], <c>layers.{l}.bias</c> [out],
    /// and for PReLU <c>activations.{l}.weight</c> [1].
    /// </summary>
    public IReadOnlyList<NamedTensor> ToTensors()
    {
        var tensors = new List<NamedTensor>();
        if (Config.UsesFourierFeatures)
            tensors.Add(new NamedTensor(FourierName, [Config.InputDims, Config.FourierFeatures], (float[])FourierMatrix.Clone()));
        for (int l = 0; l < Layout.Layers.Length; l++)
        {
            var layer = Layout.Layers[l];
            var weight = new float[layer.Outputs * layer.Inputs];
            for (int o = 0; o < layer.Outputs; o++)
                for (int i = 0; i < layer.Inputs; i++)
                    weight[o * layer.Inputs + i] = Parameters[layer.WeightOffset + i * layer.OutputStride + o];
            tensors.Add(new NamedTensor(WeightName(l), [layer.Outputs, layer.Inputs], weight));
            tensors.Add(new NamedTensor(BiasName(l), [layer.Outputs], Parameters.AsSpan(layer.BiasOffset, layer.Outputs).ToArray()));
        }
        for (int l = 0; l < Layout.SlopeCount; l++)
            tensors.Add(new NamedTensor(SlopeName(l), [1], [Parameters[Layout.SlopeOffset + l]]));
        return tensors;
    }

    /// <summary>
    /// Builds a terrain from tensors named as <see cref="ToTensors"/> names them.
    /// Throws <see cref="ArgumentException"/> naming the missing, misshapen or non-finite tensor.
    /// </summary>
    public static TerrainNetwork FromTensors(TerrainConfig config, IReadOnlyDictionary<string, NamedTensor> tensors)
    {
        config.Validate();
        var layout = new TerrainLayout(config);
        NamedTensor Get(string name, params int[] shape)
        {
            if (!tensors.TryGetValue(name, out var t)) throw new ArgumentException($"tensor '{name}' is missing");
            if (!t.Shape.SequenceEqual(shape))
                throw new ArgumentException($"tensor '{name}' has shape [{string.Join(", ", t.Shape)}], expected [{string.Join(", ", shape)}]");
            if (t.Data.Length != t.ElementCount) throw new ArgumentException($"tensor '{name}' holds {t.Data.Length} values for shape [{string.Join(", ", t.Shape)}]");
            foreach (float v in t.Data)
                if (!float.IsFinite(v)) throw new ArgumentException($"tensor '{name}' contains NaN or infinity");
            return t;
        }

        var fourierMatrix = config.UsesFourierFeatures
            ? (float[])Get(FourierName, config.InputDims, config.FourierFeatures).Data.Clone()
            : [];
        var parameters = new float[layout.ParameterCount];
        for (int l = 0; l < layout.Layers.Length; l++)
        {
            var layer = layout.Layers[l];
            var weight = Get(WeightName(l), layer.Outputs, layer.Inputs).Data;
            for (int o = 0; o < layer.Outputs; o++)
                for (int i = 0; i < layer.Inputs; i++)
                    parameters[layer.WeightOffset + i * layer.OutputStride + o] = weight[o * layer.Inputs + i];
            Get(BiasName(l), layer.Outputs).Data.CopyTo(parameters, layer.BiasOffset);
        }
        for (int l = 0; l < layout.SlopeCount; l++)
            parameters[layout.SlopeOffset + l] = Get(SlopeName(l), 1).Data[0];
        return new TerrainNetwork(config, fourierMatrix, parameters);
    }

    public const string FourierName = "B";
    public static string WeightName(int layer) => $"layers.{layer}.weight";
    public static string BiasName(int layer) => $"layers.{layer}.bias";
    public static string SlopeName(int layer) => $"activations.{layer}.weight";

    private static float Uniform(Random random, float bound) => (float)((random.NextDouble() * 2 - 1) * bound);

    private static float Gaussian(Random random)
    {
        // Box–Muller; 1 - NextDouble() keeps the logarithm finite.
        double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
        return (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
    }
}

/// <summary>Where each layer's weights live inside the flat, padded parameter array.</summary>
internal sealed class TerrainLayout
{
    internal readonly record struct Layer(int Inputs, int InputStride, int Outputs, int OutputStride, int WeightOffset, int BiasOffset);

    public Layer[] Layers { get; }
    public int SlopeOffset { get; }
    public int SlopeCount { get; }
    public int ParameterCount { get; }
    public int TrueParameterCount { get; }
    /// <summary>The widest padded activation of any layer (first-layer input included).</summary>
    public int MaxStride { get; }

    public TerrainLayout(TerrainConfig config)
    {
        Layers = new Layer[config.Depth + 1];
        int offset = 0, trueCount = 0;
        int inputs = config.FirstLayerInputs, inputStride = inputs;
        int maxStride = inputStride;
        for (int l = 0; l <= config.Depth; l++)
        {
            int outputs = l == config.Depth ? config.LatentSize : config.Width;
            int outputStride = Pad(outputs);
            Layers[l] = new Layer(inputs, inputStride, outputs, outputStride, offset, offset + inputStride * outputStride);
            offset += inputStride * outputStride + outputStride;
            trueCount += inputs * outputs + outputs;
            maxStride = Math.Max(maxStride, outputStride);
            inputs = outputs;
            inputStride = outputStride;
        }
        SlopeCount = config.Activation == Activation.PReLU ? config.Depth : 0;
        SlopeOffset = offset;
        ParameterCount = offset + SlopeCount;
        TrueParameterCount = trueCount + SlopeCount;
        MaxStride = maxStride;
    }

    public static int Pad(int n) => (n + TerrainNetwork.Lane - 1) / TerrainNetwork.Lane * TerrainNetwork.Lane;
}
