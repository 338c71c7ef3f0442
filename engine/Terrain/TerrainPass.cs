using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LatentTerrain.Engine.Terrain;

/// <summary>
/// One forward (and, for training, backward) pass of a terrain over a batch, with every
/// intermediate kept in pinned scratch memory owned by this pass. Activations are batch-major
/// ([point, feature], padded rows); nothing here allocates after construction.
/// </summary>
internal sealed unsafe class TerrainPass
{
    public TerrainConfig Config { get; }
    public TerrainLayout Layout { get; }
    public int MaxBatch { get; }
    /// <summary>MaxBatch rounded up to the kernel's lane, for the transposed gradients.</summary>
    private readonly int _paddedBatch;

    private readonly float[] _input;          // [batch, FirstLayerInputs]: Fourier features or raw coordinates
    private readonly float[][] _pre;          // per layer [batch, OutputStride]: before the activation
    private readonly float[][] _post;         // per hidden layer [batch, OutputStride]: after it
    private readonly float[] _gradient;       // [batch, MaxStride]: dLoss/d(pre-activation) of the current layer
    private readonly float[] _gradientT;      // [MaxStride, paddedBatch]: the same, transposed
    private readonly float[] _inputGradientT; // [MaxStride, paddedBatch]: dLoss/d(layer input), transposed
    private readonly float[] _upstream;       // [batch, MaxStride]: the same, batch-major again
    private int _batch;

    public TerrainPass(TerrainConfig config, int maxBatch)
    {
        if (maxBatch < 1) throw new ArgumentOutOfRangeException(nameof(maxBatch));
        Config = config;
        Layout = new TerrainLayout(config);
        MaxBatch = maxBatch;
        _paddedBatch = TerrainLayout.Pad(maxBatch);
        _input = Pinned(maxBatch * config.FirstLayerInputs);
        _pre = Layout.Layers.Select(l => Pinned(maxBatch * l.OutputStride)).ToArray();
        _post = Layout.Layers.Take(config.Depth).Select(l => Pinned(maxBatch * l.OutputStride)).ToArray();
        _gradient = Pinned(maxBatch * Layout.MaxStride);
        _gradientT = Pinned(Layout.MaxStride * _paddedBatch);
        _inputGradientT = Pinned(Layout.MaxStride * _paddedBatch);
        _upstream = Pinned(maxBatch * Layout.MaxStride);
    }

    private static float[] Pinned(int length) => GC.AllocateArray<float>(length, pinned: true);

    /// <summary>The last layer's output of the last forward pass, [batch, OutputStride] (padded).</summary>
    public ReadOnlySpan<float> Output => _pre[^1].AsSpan(0, _batch * Layout.Layers[^1].OutputStride);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Forward(TerrainNetwork network, ReadOnlySpan<float> coordinates, int batch)
    {
        if (batch > MaxBatch) throw new ArgumentOutOfRangeException(nameof(batch));
        WriteInputFeatures(network, coordinates, batch);
        ForwardFromInput(network, batch);
    }

    /// <summary>
    /// The first layer's inputs for <paramref name="batch"/> coordinates (Fourier features, or the coordinates
    /// themselves), [batch, FirstLayerInputs]: what <see cref="Forward"/> computes first, for a caller that keeps them.
    /// </summary>
    public ReadOnlySpan<float> Features(TerrainNetwork network, ReadOnlySpan<float> coordinates, int batch)
    {
        if (batch > MaxBatch) throw new ArgumentOutOfRangeException(nameof(batch));
        WriteInputFeatures(network, coordinates, batch);
        return _input.AsSpan(0, batch * Config.FirstLayerInputs);
    }

    /// <summary>
    /// <see cref="Forward"/> of the points at <paramref name="rows"/> of <paramref name="features"/>: first-layer
    /// inputs that <see cref="Features"/> made and the caller kept ([points, FirstLayerInputs], row-major).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void ForwardRows(TerrainNetwork network, ReadOnlySpan<float> features, ReadOnlySpan<int> rows)
    {
        if (rows.Length > MaxBatch) throw new ArgumentOutOfRangeException(nameof(rows));
        int width = Config.FirstLayerInputs;
        for (int b = 0; b < rows.Length; b++) features.Slice(rows[b] * width, width).CopyTo(_input.AsSpan(b * width, width));
        ForwardFromInput(network, rows.Length);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ForwardFromInput(TerrainNetwork network, int batch)
    {
        _batch = batch;
        var parameters = network.Parameters;
        fixed (float* p = parameters)
        {
            float[] input = _input;
            int inputStride = Config.FirstLayerInputs;
            for (int l = 0; l < Layout.Layers.Length; l++)
            {
                var layer = Layout.Layers[l];
                float[] pre = _pre[l];
                var bias = new ReadOnlySpan<float>(parameters, layer.BiasOffset, layer.OutputStride);
                for (int b = 0; b < batch; b++) bias.CopyTo(pre.AsSpan(b * layer.OutputStride, layer.OutputStride));
                fixed (float* x = input, z = pre)
                    Gemm.MultiplyAdd(x, inputStride, 1, p + layer.WeightOffset, layer.OutputStride, z, layer.OutputStride,
                        batch, layer.OutputStride, layer.Inputs);
                if (l == Config.Depth) break;
                Activate(pre.AsSpan(0, batch * layer.OutputStride), _post[l].AsSpan(0, batch * layer.OutputStride), Slope(parameters, l));
                input = _post[l];
                inputStride = layer.OutputStride;
            }
        }
    }

    /// <summary>Copies the output without padding into [batch, LatentSize], clamped to ±limit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void CopyOutput(Span<float> latents, int batch, float limit)
    {
        int stride = Layout.Layers[^1].OutputStride, size = Config.LatentSize;
        var output = _pre[^1];
        for (int b = 0; b < batch; b++)
            TensorPrimitives.Clamp(output.AsSpan(b * stride, size), -limit, limit, latents.Slice(b * size, size));
    }

    /// <summary>
    /// Backpropagates the mean squared error of the last forward pass against <paramref name="targets"/>
    /// ([batch, LatentSize]) into <paramref name="gradients"/> (the parameter layout, overwritten).
    /// Returns the loss (the mean over batch and latent channels, as PyTorch's MSELoss).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public float Backward(TerrainNetwork network, ReadOnlySpan<float> targets, float[] gradients)
    {
        int batch = _batch, size = Config.LatentSize;
        var parameters = network.Parameters;
        Array.Clear(gradients);

        var last = Layout.Layers[^1];
        float scale = 2f / (batch * size), loss = 0f;
        _gradient.AsSpan(0, batch * last.OutputStride).Clear();
        for (int b = 0; b < batch; b++)
        {
            var y = _pre[^1].AsSpan(b * last.OutputStride, size);
            var g = _gradient.AsSpan(b * last.OutputStride, size);
            TensorPrimitives.Subtract(y, targets.Slice(b * size, size), g);
            loss += TensorPrimitives.Dot(g, g);
            TensorPrimitives.Multiply(g, scale, g);
        }

        fixed (float* p = parameters, dp = gradients, g = _gradient, gT = _gradientT, dxT = _inputGradientT)
        {
            for (int l = Layout.Layers.Length - 1; l >= 0; l--)
            {
                var layer = Layout.Layers[l];
                int outStride = layer.OutputStride, inStride = layer.InputStride;
                float[] input = l == 0 ? _input : _post[l - 1];

                // dW = inputᵀ · G and db = Σ_batch G.
                fixed (float* x = input)
                    Gemm.MultiplyAdd(x, 1, inStride, g, outStride, dp + layer.WeightOffset, outStride, inStride, outStride, batch);
                var db = new Span<float>(gradients, layer.BiasOffset, outStride);
                for (int b = 0; b < batch; b++) TensorPrimitives.Add(db, new ReadOnlySpan<float>(_gradient, b * outStride, outStride), db);

                if (l == 0) break; // the first layer's input (Fourier features) is fixed: no gradient needed

                // dXᵀ = W · Gᵀ, computed transposed so the kernel streams contiguous rows of Gᵀ.
                Transpose(g, batch, outStride, gT, _paddedBatch);
                new Span<float>(dxT, inStride * _paddedBatch).Clear();
                Gemm.MultiplyAdd(p + layer.WeightOffset, outStride, 1, gT, _paddedBatch, dxT, _paddedBatch, inStride, _paddedBatch, layer.Outputs);

                // Through the previous layer's activation, back to batch-major.
                ActivationBackward(l - 1, dxT, inStride, batch, g, Slope(parameters, l - 1), dp);
            }
        }
        return loss / (batch * size);
    }

    private float Slope(float[] parameters, int hiddenLayer) =>
        Config.Activation == Activation.PReLU ? parameters[Layout.SlopeOffset + hiddenLayer] : 0f;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WriteInputFeatures(TerrainNetwork network, ReadOnlySpan<float> coordinates, int batch)
    {
        int dims = Config.InputDims;
        if (!Config.UsesFourierFeatures)
        {
            coordinates.Slice(0, batch * dims).CopyTo(_input);
            return;
        }
        // Fourier features [sin((2πx)·B), cos((2πx)·B)], in PyTorch's order of rounding:
        // project into the sin half, then take the cos from it.
        int m = Config.FourierFeatures;
        var fourierB = network.FourierB;
        for (int b = 0; b < batch; b++)
        {
            var projection = _input.AsSpan(b * 2 * m, m);
            TensorPrimitives.Multiply(fourierB.AsSpan(0, m), 2f * MathF.PI * coordinates[b * dims], projection);
            for (int d = 1; d < dims; d++)
                TensorPrimitives.MultiplyAdd(fourierB.AsSpan(d * m, m), 2f * MathF.PI * coordinates[b * dims + d], projection, projection);
            TensorPrimitives.Cos(projection, _input.AsSpan(b * 2 * m + m, m));
            TensorPrimitives.Sin(projection, projection);
        }
    }

    private void Activate(ReadOnlySpan<float> pre, Span<float> post, float slope)
    {
        switch (Config.Activation)
        {
            case Activation.PReLU:
                PReLU(pre, post, slope);
                break;
            case Activation.SiLU:
                TensorPrimitives.Sigmoid(pre, post);
                TensorPrimitives.Multiply(pre, post, post);
                break;
            case Activation.Tanh:
                TensorPrimitives.Tanh(pre, post);
                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PReLU(ReadOnlySpan<float> pre, Span<float> post, float slope)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var a = Vector512.Create(slope);
            for (; i + 16 <= pre.Length; i += 16)
            {
                var z = Vector512.Create(pre.Slice(i, 16));
                Vector512.ConditionalSelect(Vector512.GreaterThan(z, Vector512<float>.Zero), z, z * a).CopyTo(post.Slice(i, 16));
            }
        }
        for (; i < pre.Length; i++) post[i] = pre[i] > 0f ? pre[i] : slope * pre[i];
    }

    /// <summary>
    /// Turns dLoss/d(post-activation) of hidden layer <paramref name="hidden"/> (transposed, [stride, paddedBatch])
    /// into dLoss/d(pre-activation) (batch-major, into <paramref name="g"/>), and adds the PReLU slope's gradient.
    /// The upstream gradient is first put back to batch-major, so that the activation's derivative runs
    /// over contiguous rows (for PReLU sixteen lanes at a time, without a branch per element).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ActivationBackward(int hidden, float* dxT, int stride, int batch, float* g, float slope, float* gradients)
    {
        int count = batch * stride;
        fixed (float* up = _upstream)
        {
            for (int i = 0; i < stride; i++)
            {
                float* row = dxT + i * _paddedBatch;
                for (int b = 0; b < batch; b++) up[b * stride + i] = row[b];
            }
            var upstream = new ReadOnlySpan<float>(up, count);
            var pre = new ReadOnlySpan<float>(_pre[hidden], 0, count);
            var output = new Span<float>(g, count);
            switch (Config.Activation)
            {
                case Activation.PReLU:
                    gradients[Layout.SlopeOffset + hidden] = PReLUBackward(upstream, pre, output, slope);
                    break;
                case Activation.SiLU:
                    for (int i = 0; i < count; i++)
                    {
                        float s = 1f / (1f + MathF.Exp(-pre[i]));
                        output[i] = upstream[i] * (s * (1f + pre[i] * (1f - s)));
                    }
                    break;
                default:
                    var post = _post[hidden];
                    for (int i = 0; i < count; i++) output[i] = upstream[i] * (1f - post[i] * post[i]);
                    break;
            }
        }
    }

    /// <summary>
    /// PReLU's backward: <paramref name="g"/> = upstream where z &gt; 0, else upstream · slope; returns the slope's
    /// gradient Σ upstream · z over z ≤ 0, summed one by one in row order as it always was, so training gives the
    /// same terrain bit for bit (models/Defaults regenerates from it; DefaultTerrainTests).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float PReLUBackward(ReadOnlySpan<float> upstream, ReadOnlySpan<float> pre, Span<float> g, float slope)
    {
        // g is scratch for the slope's gradient first, then the output.
        float slopeGradient = SlopeGradient(upstream, pre, g);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var a = Vector512.Create(slope);
            for (; i + 16 <= pre.Length; i += 16)
            {
                var u = Vector512.Create(upstream.Slice(i, 16));
                Vector512.ConditionalSelect(Vector512.GreaterThan(Vector512.Create(pre.Slice(i, 16)), Vector512<float>.Zero), u, u * a).CopyTo(g.Slice(i, 16));
            }
        }
        for (; i < pre.Length; i++) g[i] = pre[i] > 0f ? upstream[i] : upstream[i] * slope;
        return slopeGradient;
    }

    /// <summary>
    /// Σ upstream · z over z ≤ 0 (and NaN), in row order. With AVX-512 the products are first packed, in order, into
    /// <paramref name="scratch"/> (its length at least the inputs'), so the sequential sum adds only them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float SlopeGradient(ReadOnlySpan<float> upstream, ReadOnlySpan<float> pre, Span<float> scratch)
    {
        float slopeGradient = 0f;
        int i = 0;
        if (Avx512F.IsSupported)
        {
            int packed = 0;
            fixed (float* u = upstream, z = pre, packedProducts = scratch)
            {
                for (; i + 16 <= pre.Length; i += 16)
                {
                    var zi = Vector512.Load(z + i);
                    var kept = ~Vector512.GreaterThan(zi, Vector512<float>.Zero);
                    Avx512F.CompressStore(packedProducts + packed, kept, Vector512.Load(u + i) * zi);
                    packed += BitOperations.PopCount(kept.ExtractMostSignificantBits());
                }
                for (int k = 0; k < packed; k++) slopeGradient += packedProducts[k];
            }
        }
        for (; i < pre.Length; i++) slopeGradient += upstream[i] * MathF.Min(pre[i], 0f); // z > 0 adds a zero
        return slopeGradient;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Transpose(float* source, int rows, int columns, float* destination, int destinationStride)
    {
        for (int c = 0; c < columns; c++)
        {
            float* d = destination + c * destinationStride;
            for (int r = 0; r < rows; r++) d[r] = source[r * columns + c];
            for (int r = rows; r < destinationStride; r++) d[r] = 0f;
        }
    }
}
