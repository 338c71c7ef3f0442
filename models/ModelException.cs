namespace LatentTerrain.Models;

/// <summary>
/// A model file that cannot be opened or misbehaves: missing, not a model, a method or buffer
/// missing or malformed, an output of the wrong shape, NaN. The message is one line naming the
/// file and the problem (the native library's own message where it had one).
/// </summary>
public sealed class ModelException(string file, string problem) : Exception($"{file}: {problem}")
{
    public string File { get; } = file;
    public string Problem { get; } = problem;

    /// <summary>Throws when a model's output holds NaN or infinity. Allocates nothing when it does not throw.</summary>
    public static void ThrowIfNotFinite(string file, ReadOnlySpan<float> values, string method)
    {
        foreach (float value in values)
            if (!float.IsFinite(value)) throw new ModelException(file, $"{method} produced NaN or infinite values");
    }
}
