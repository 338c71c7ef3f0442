namespace LatentTerrain.Engine.Terrain;

/// <summary>The non-linearity between the hidden layers of a terrain.</summary>
public enum Activation
{
    /// <summary>The reference's choice: max(0,x) + a·min(0,x), one learnable slope a per layer (starts at 0.25).</summary>
    PReLU,
    /// <summary>x·sigmoid(x): smooth, so the terrain has no creases where a ReLU would switch.</summary>
    SiLU,
    /// <summary>tanh(x): smooth and bounded.</summary>
    Tanh,
}

/// <summary>
/// The shape of a terrain network: a Fourier-feature CPPN mapping an <see cref="InputDims"/>-D
/// coordinate to a <see cref="LatentSize"/>-D latent vector (Tancik et al. 2020, as in the
/// reference nn.terrain). Unlike the reference, depth and activation are configurable.
/// </summary>
public sealed record TerrainConfig
{
    public const int MaxInputDims = 6;
    public const int MaxLatentSize = 1024;
    public const int MaxWidth = 1024;
    public const int MaxDepth = 16;
    public const int MaxFourierFeatures = 4096;
    public const float MaxSigma = 10f;

    /// <summary>Dimensions of the control space (2 for a plane).</summary>
    public int InputDims { get; init; } = 2;
    /// <summary>Latent channels of the autoencoder the terrain drives.</summary>
    public int LatentSize { get; init; } = 8;
    /// <summary>Neurons of every hidden layer (the reference's c_max).</summary>
    public int Width { get; init; } = 128;
    /// <summary>Hidden layers, each a linear layer followed by the activation; one linear output layer follows.</summary>
    public int Depth { get; init; } = 4;
    /// <summary>Fourier mapping size m: the input is lifted to 2m features [sin, cos].</summary>
    public int FourierFeatures { get; init; } = 256;
    /// <summary>Standard deviation of the random Fourier matrix; 0 replaces the Fourier layer by a plain linear input layer.</summary>
    public float Sigma { get; init; } = 0.1f;
    public Activation Activation { get; init; } = Activation.PReLU;
    /// <summary>Seeds the Fourier matrix and the initial weights: same seed, same terrain.</summary>
    public int Seed { get; init; }

    public bool UsesFourierFeatures => Sigma > 0f;

    /// <summary>Inputs to the first linear layer: 2m Fourier features, or the raw coordinate when sigma is 0.</summary>
    public int FirstLayerInputs => UsesFourierFeatures ? 2 * FourierFeatures : InputDims;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first field out of range.</summary>
    public void Validate()
    {
        static void Check(bool ok, string what)
        {
            if (!ok) throw new ArgumentException(what);
        }
        Check(InputDims is >= 1 and <= MaxInputDims, $"input dimensions must be 1..{MaxInputDims}, not {InputDims}");
        Check(LatentSize is >= 1 and <= MaxLatentSize, $"latent size must be 1..{MaxLatentSize}, not {LatentSize}");
        Check(Width is >= 1 and <= MaxWidth, $"width must be 1..{MaxWidth}, not {Width}");
        Check(Depth is >= 1 and <= MaxDepth, $"depth must be 1..{MaxDepth} hidden layers, not {Depth}");
        Check(FourierFeatures is >= 1 and <= MaxFourierFeatures, $"Fourier features must be 1..{MaxFourierFeatures}, not {FourierFeatures}");
        Check(float.IsFinite(Sigma) && Sigma is >= 0f and <= MaxSigma, $"sigma must be 0..{MaxSigma}, not {Sigma}");
        Check(Enum.IsDefined(Activation), $"unknown activation {Activation}");
    }
}
