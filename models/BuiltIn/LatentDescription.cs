namespace LatentTerrain.Models.BuiltIn;

/// <summary>One latent of the built-in codec as a user interface shows it.</summary>
/// <param name="Name">A short label ("pitch").</param>
/// <param name="Meaning">What moving it does to the sound, in one sentence.</param>
/// <param name="Min">The bottom of the documented range; the decoder clamps lower values to it.</param>
/// <param name="Max">The top of the documented range; the decoder clamps higher values to it.</param>
/// <param name="Unit">How a latent value maps to a physical quantity ("220 Hz · 2^z").</param>
public sealed record LatentDescription(string Name, string Meaning, float Min, float Max, string Unit);
