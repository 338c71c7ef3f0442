using System.Runtime.Intrinsics;

namespace LatentTerrain.Tests.Support;

/// <summary>
/// A test of bit-exact floating point results made on the development machines (AVX-512): other
/// vector widths sum in another order and land a few ulps away. Skipped, with the reason, elsewhere.
/// </summary>
public sealed class Avx512FactAttribute : FactAttribute
{
    public Avx512FactAttribute()
    {
        if (!Vector512.IsHardwareAccelerated) Skip = "bit-exact results are recorded with AVX-512; this machine has none";
    }
}
