using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LatentTerrain.Engine.Terrain;

/// <summary>
/// Trains a private copy of a terrain: shuffled minibatches, mean squared error, Adam.
/// Single-threaded and allocation-free per step; <see cref="BackgroundTrainer"/> runs it on its own thread.
/// </summary>
public sealed class TerrainTrainer
{
    private readonly TerrainNetwork _network;
    private readonly float[] _gradients, _moment1, _moment2;
    private TrainingPairs _data;
    private TerrainPass _pass;
    private float[] _batchCoordinates, _batchTargets;
    private float[]? _features;
    private int[] _order;
    private readonly Random _random;
    private long _draws;
    private int _adamStep;

    public TrainingOptions Options { get; }
    /// <summary>Adam steps taken so far.</summary>
    public int Step { get; private set; }
    /// <summary>Complete epochs so far.</summary>
    public int Epoch { get; private set; }
    public float LearningRate { get; set; }

    /// <param name="start">The terrain to start from; it is copied, never written.</param>
    public TerrainTrainer(TerrainNetwork start, TrainingPairs data, TrainingOptions options)
    {
        options.Validate();
        Options = options;
        LearningRate = options.LearningRate;
        _network = start.Clone();
        int count = _network.Parameters.Length;
        _gradients = new float[count];
        _moment1 = new float[count];
        _moment2 = new float[count];
        _random = new Random(options.Seed);
        (_data, _pass, _batchCoordinates, _batchTargets, _order, _features) = Prepare(data);
    }

    /// <summary>
    /// A trainer that goes on exactly where one whose <see cref="State"/> this is stopped: on the same
    /// weights (<paramref name="network"/>) and pairs, its next step is the one that trainer would have
    /// taken. Pairs of another count start the shuffling from the identity order, as after
    /// <see cref="ReplaceData"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The state is for a network of another size.</exception>
    public static TerrainTrainer Resume(TerrainNetwork network, TrainingPairs data, TrainingOptions options, TrainerState state)
    {
        var trainer = new TerrainTrainer(network, data, options with { Seed = state.Seed });
        if (state.Moment1.Length != trainer._moment1.Length || state.Moment2.Length != trainer._moment2.Length)
            throw new ArgumentException($"the optimiser's state holds {state.Moment1.Length} moments, the terrain {trainer._moment1.Length} weights");
        state.Moment1.CopyTo(trainer._moment1, 0);
        state.Moment2.CopyTo(trainer._moment2, 0);
        (trainer._adamStep, trainer.Step, trainer.Epoch, trainer.LearningRate) = (state.AdamStep, state.Step, state.Epoch, state.LearningRate);
        // System.Random keeps no state to save; one seeded draws the same numbers again, one per Next.
        for (long i = 0; i < state.Draws; i++) trainer._random.Next();
        trainer._draws = state.Draws;
        if (state.Order.Length == trainer._order.Length) state.Order.CopyTo(trainer._order, 0);
        return trainer;
    }

    /// <summary>What the next step depends on besides the weights and the pairs (copied: take it between steps).</summary>
    public TrainerState State => new((float[])_moment1.Clone(), (float[])_moment2.Clone(), _adamStep, Step, Epoch, LearningRate, Options.Seed, _draws, (int[])_order.Clone());

    /// <summary>
    /// The most first-layer inputs kept for the pairs (64 MB): the Fourier features of a dataset up to this
    /// size are made once, as it comes (B is not trained), not at every step; a larger one makes them at each step.
    /// </summary>
    public const long MaxKeptFeatures = 16L << 20;

    /// <summary>
    /// Trains on other pairs from the next epoch on, keeping the weights, Adam's moments and the
    /// shuffling's state: what the performer taught since is learnt as if it had been there.
    /// Call it between epochs, on the thread that trains.
    /// </summary>
    public void ReplaceData(TrainingPairs data) => (_data, _pass, _batchCoordinates, _batchTargets, _order, _features) = Prepare(data);

    private (TrainingPairs, TerrainPass, float[], float[], int[], float[]?) Prepare(TrainingPairs data)
    {
        var config = _network.Config;
        if (data.InputDims != config.InputDims)
            throw new ArgumentException($"the dataset has {data.InputDims}-D coordinates but the terrain takes {config.InputDims}-D");
        if (data.LatentSize != config.LatentSize)
            throw new ArgumentException($"the dataset has latents of size {data.LatentSize} but the terrain makes {config.LatentSize}");
        if (data.Count == 0) throw new ArgumentException("the dataset is empty");
        int batch = Math.Min(Options.BatchSize, data.Count);
        // The same batch size keeps the pass (its buffers are the largest part).
        var pass = _pass != null && _pass.MaxBatch == batch ? _pass : new TerrainPass(config, batch);
        float[]? features = null;
        if (config.UsesFourierFeatures && (long)data.Count * config.FirstLayerInputs <= MaxKeptFeatures)
        {
            int dims = config.InputDims, width = config.FirstLayerInputs;
            features = new float[data.Count * width];
            for (int start = 0; start < data.Count; start += batch)
            {
                int count = Math.Min(batch, data.Count - start);
                pass.Features(_network, data.Coordinates.AsSpan(start * dims, count * dims), count).CopyTo(features.AsSpan(start * width));
            }
        }
        return (data, pass, new float[batch * config.InputDims], new float[batch * config.LatentSize], Enumerable.Range(0, data.Count).ToArray(), features);
    }

    /// <summary>The trainer's working terrain. It changes with every step: copy it before handing it to another thread.</summary>
    public TerrainNetwork Network => _network;

    public int StepsPerEpoch => (_data.Count + _pass.MaxBatch - 1) / _pass.MaxBatch;

    /// <summary>
    /// One epoch over every pair in a fresh shuffled order, the last partial batch kept. After each
    /// step <paramref name="afterStep"/> sees the batch loss and may return false to end the epoch early
    /// (which then does not count). Returns the mean batch loss.
    /// </summary>
    public float TrainEpoch(Func<float, bool>? afterStep = null)
    {
        Shuffle();
        float sum = 0f;
        int batches = 0;
        for (int start = 0; start < _order.Length; start += _pass.MaxBatch)
        {
            float loss = TrainStep(_order.AsSpan(start, Math.Min(_pass.MaxBatch, _order.Length - start)));
            sum += loss;
            batches++;
            if (afterStep != null && !afterStep(loss)) return sum / batches;
        }
        Epoch++;
        return sum / batches;
    }

    /// <summary>One Adam step on the pairs at <paramref name="indices"/>. Returns the batch loss (NaN if it diverged).</summary>
    public float TrainStep(ReadOnlySpan<int> indices)
    {
        if (indices.Length is 0 || indices.Length > _pass.MaxBatch)
            throw new ArgumentOutOfRangeException(nameof(indices), $"a step takes 1..{_pass.MaxBatch} pairs, not {indices.Length}");
        int dims = _data.InputDims, size = _data.LatentSize;
        for (int b = 0; b < indices.Length; b++)
        {
            if (_features == null) _data.Coordinates.AsSpan(indices[b] * dims, dims).CopyTo(_batchCoordinates.AsSpan(b * dims));
            _data.Latents.AsSpan(indices[b] * size, size).CopyTo(_batchTargets.AsSpan(b * size));
        }
        if (_features != null) _pass.ForwardRows(_network, _features, indices);
        else _pass.Forward(_network, _batchCoordinates, indices.Length);
        float loss = _pass.Backward(_network, _batchTargets.AsSpan(0, indices.Length * size), _gradients);
        AdamUpdate();
        Step++;
        return loss;
    }

    /// <summary>Puts the weights of <paramref name="good"/> back and forgets Adam's moments (after a divergence).</summary>
    public void Restore(TerrainNetwork good)
    {
        good.Parameters.CopyTo(_network.Parameters, 0);
        Array.Clear(_moment1);
        Array.Clear(_moment2);
        _adamStep = 0;
    }

    /// <summary>Whether every weight is a finite number.</summary>
    public bool IsFinite()
    {
        foreach (float p in _network.Parameters)
            if (!float.IsFinite(p)) return false;
        return true;
    }

    private void Shuffle()
    {
        for (int i = _order.Length - 1; i > 0; i--)
        {
            int j = _random.Next(i + 1);
            _draws++;
            (_order[i], _order[j]) = (_order[j], _order[i]);
        }
    }

    /// <summary>Adam as PyTorch computes it: p -= lr/(1-β1ᵗ) · m / (√v/√(1-β2ᵗ) + ε), fused into one pass.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AdamUpdate()
    {
        _adamStep++;
        float beta1 = Options.Beta1, beta2 = Options.Beta2, eps = Options.Epsilon;
        float stepSize = LearningRate / (1f - MathF.Pow(beta1, _adamStep));
        float inverseCorrection2 = 1f / MathF.Sqrt(1f - MathF.Pow(beta2, _adamStep));
        float[] p = _network.Parameters, g = _gradients, m = _moment1, v = _moment2;
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var b1 = Vector512.Create(beta1); var c1 = Vector512.Create(1f - beta1);
            var b2 = Vector512.Create(beta2); var c2 = Vector512.Create(1f - beta2);
            var e = Vector512.Create(eps); var step = Vector512.Create(stepSize); var ic2 = Vector512.Create(inverseCorrection2);
            for (; i + 16 <= p.Length; i += 16)
            {
                var gi = Vector512.LoadUnsafe(ref g[i]);
                var mi = b1 * Vector512.LoadUnsafe(ref m[i]) + c1 * gi;
                var vi = b2 * Vector512.LoadUnsafe(ref v[i]) + c2 * gi * gi;
                mi.StoreUnsafe(ref m[i]);
                vi.StoreUnsafe(ref v[i]);
                (Vector512.LoadUnsafe(ref p[i]) - step * mi / (Vector512.Sqrt(vi) * ic2 + e)).StoreUnsafe(ref p[i]);
            }
        }
        for (; i < p.Length; i++)
        {
            m[i] = beta1 * m[i] + (1f - beta1) * g[i];
            v[i] = beta2 * v[i] + (1f - beta2) * g[i] * g[i];
            p[i] -= stepSize * m[i] / (MathF.Sqrt(v[i]) * inverseCorrection2 + eps);
        }
    }
}

/// <summary>
/// A trainer's state beside its weights: Adam's moments and step count, its step and epoch counts,
/// the learning rate, and the shuffling (the seed, the numbers drawn so far, the order they made).
/// </summary>
public sealed record TrainerState(float[] Moment1, float[] Moment2, int AdamStep, int Step, int Epoch, float LearningRate, int Seed, long Draws, int[] Order);
