namespace LatentTerrain.Mappings;

/// <summary>
/// The one-euro filter's settings (Casiez, Roussel and Vogel, CHI 2012): at rest the cutoff is
/// <see cref="MinCutoffHz"/> (lower: less jitter, more lag); it rises by <see cref="Beta"/> per
/// terrain unit per second of speed (higher: less lag when moving fast).
/// </summary>
public sealed record Smoothing(float MinCutoffHz, float Beta, float DerivativeCutoffHz = 1f);
