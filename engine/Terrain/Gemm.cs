using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LatentTerrain.Engine.Terrain;

/// <summary>
/// The one matrix product the terrain needs: C[m, n] += A[m, k] · B[k, n], register-blocked
/// for AVX-512 (4 rows × 64 columns of accumulators per tile, 8 × 32 for 32 columns left over).
/// </summary>
/// <remarks>
/// B and C have contiguous rows; A is read one element at a time at <c>a[i·aRow + p·aCol]</c> and
/// broadcast, so a transposed A costs nothing. n must be a multiple of 16: the terrain pads its
/// layers so that it always is. The shapes here are small (tens to hundreds), which is why a
/// hand-written kernel with no packing beats a general BLAS call and its overheads.
/// </remarks>
internal static unsafe class Gemm
{
    public static void MultiplyAdd(float* a, int aRow, int aCol, float* b, int ldb, float* c, int ldc, int m, int n, int k)
    {
        if (n % TerrainNetwork.Lane != 0) throw new ArgumentException("n must be a multiple of 16", nameof(n));
        if (Vector512.IsHardwareAccelerated) MultiplyAdd512(a, aRow, aCol, b, ldb, c, ldc, m, n, k);
        else MultiplyAdd256(a, aRow, aCol, b, ldb, c, ldc, m, n, k);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyAdd512(float* a, int aRow, int aCol, float* b, int ldb, float* c, int ldc, int m, int n, int k)
    {
        int j = 0;
        for (; j + 64 <= n; j += 64)
        {
            int i = 0;
            for (; i + 4 <= m; i += 4) Tile4x64(a + i * aRow, aRow, aCol, b + j, ldb, c + i * ldc + j, ldc, k);
            for (; i < m; i++) Tile1x64(a + i * aRow, aCol, b + j, ldb, c + i * ldc + j, k);
        }
        // 32 columns left (a batch of 32, transposed): 8 rows a tile, so that the FMAs, not the loads, set the pace.
        if (j + 32 <= n)
        {
            for (int i = 0; i + 8 <= m; i += 8) Tile8x32(a + i * aRow, aRow, aCol, b + j, ldb, c + i * ldc + j, ldc, k);
            int rest = m / 8 * 8;
            for (int i = rest; i < m; i++)
            {
                Tile1x16(a + i * aRow, aCol, b + j, ldb, c + i * ldc + j, k);
                Tile1x16(a + i * aRow, aCol, b + j + 16, ldb, c + i * ldc + j + 16, k);
            }
            j += 32;
        }
        for (; j < n; j += 16)
        {
            int i = 0;
            for (; i + 4 <= m; i += 4) Tile4x16(a + i * aRow, aRow, aCol, b + j, ldb, c + i * ldc + j, ldc, k);
            for (; i < m; i++) Tile1x16(a + i * aRow, aCol, b + j, ldb, c + i * ldc + j, k);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x64(float* a, int aRow, int aCol, float* b, int ldb, float* c, int ldc, int k)
    {
        float* c1 = c + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
        var c00 = Vector512.Load(c); var c01 = Vector512.Load(c + 16); var c02 = Vector512.Load(c + 32); var c03 = Vector512.Load(c + 48);
        var c10 = Vector512.Load(c1); var c11 = Vector512.Load(c1 + 16); var c12 = Vector512.Load(c1 + 32); var c13 = Vector512.Load(c1 + 48);
        var c20 = Vector512.Load(c2); var c21 = Vector512.Load(c2 + 16); var c22 = Vector512.Load(c2 + 32); var c23 = Vector512.Load(c2 + 48);
        var c30 = Vector512.Load(c3); var c31 = Vector512.Load(c3 + 16); var c32 = Vector512.Load(c3 + 32); var c33 = Vector512.Load(c3 + 48);
        float* a1 = a + aRow, a2 = a1 + aRow, a3 = a2 + aRow;
        for (int p = 0; p < k; p++, b += ldb)
        {
            var b0 = Vector512.Load(b); var b1 = Vector512.Load(b + 16); var b2 = Vector512.Load(b + 32); var b3 = Vector512.Load(b + 48);
            int ap = p * aCol;
            var x = Vector512.Create(a[ap]);
            c00 = Vector512.FusedMultiplyAdd(x, b0, c00); c01 = Vector512.FusedMultiplyAdd(x, b1, c01);
            c02 = Vector512.FusedMultiplyAdd(x, b2, c02); c03 = Vector512.FusedMultiplyAdd(x, b3, c03);
            x = Vector512.Create(a1[ap]);
            c10 = Vector512.FusedMultiplyAdd(x, b0, c10); c11 = Vector512.FusedMultiplyAdd(x, b1, c11);
            c12 = Vector512.FusedMultiplyAdd(x, b2, c12); c13 = Vector512.FusedMultiplyAdd(x, b3, c13);
            x = Vector512.Create(a2[ap]);
            c20 = Vector512.FusedMultiplyAdd(x, b0, c20); c21 = Vector512.FusedMultiplyAdd(x, b1, c21);
            c22 = Vector512.FusedMultiplyAdd(x, b2, c22); c23 = Vector512.FusedMultiplyAdd(x, b3, c23);
            x = Vector512.Create(a3[ap]);
            c30 = Vector512.FusedMultiplyAdd(x, b0, c30); c31 = Vector512.FusedMultiplyAdd(x, b1, c31);
            c32 = Vector512.FusedMultiplyAdd(x, b2, c32); c33 = Vector512.FusedMultiplyAdd(x, b3, c33);
        }
        c00.Store(c); c01.Store(c + 16); c02.Store(c + 32); c03.Store(c + 48);
        c10.Store(c1); c11.Store(c1 + 16); c12.Store(c1 + 32); c13.Store(c1 + 48);
        c20.Store(c2); c21.Store(c2 + 16); c22.Store(c2 + 32); c23.Store(c2 + 48);
        c30.Store(c3); c31.Store(c3 + 16); c32.Store(c3 + 32); c33.Store(c3 + 48);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile8x32(float* a, int aRow, int aCol, float* b, int ldb, float* c, int ldc, int k)
    {
        float* c1 = c + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc, c5 = c4 + ldc, c6 = c5 + ldc, c7 = c6 + ldc;
        var (c00, c01, c10, c11) = (Vector512.Load(c), Vector512.Load(c + 16), Vector512.Load(c1), Vector512.Load(c1 + 16));
        var (c20, c21, c30, c31) = (Vector512.Load(c2), Vector512.Load(c2 + 16), Vector512.Load(c3), Vector512.Load(c3 + 16));
        var (c40, c41, c50, c51) = (Vector512.Load(c4), Vector512.Load(c4 + 16), Vector512.Load(c5), Vector512.Load(c5 + 16));
        var (c60, c61, c70, c71) = (Vector512.Load(c6), Vector512.Load(c6 + 16), Vector512.Load(c7), Vector512.Load(c7 + 16));
        float* a1 = a + aRow, a2 = a1 + aRow, a3 = a2 + aRow, a4 = a3 + aRow, a5 = a4 + aRow, a6 = a5 + aRow, a7 = a6 + aRow;
        for (int p = 0; p < k; p++, b += ldb)
        {
            var b0 = Vector512.Load(b); var b1 = Vector512.Load(b + 16);
            int ap = p * aCol;
            Row(a[ap], b0, b1, ref c00, ref c01); Row(a1[ap], b0, b1, ref c10, ref c11);
            Row(a2[ap], b0, b1, ref c20, ref c21); Row(a3[ap], b0, b1, ref c30, ref c31);
            Row(a4[ap], b0, b1, ref c40, ref c41); Row(a5[ap], b0, b1, ref c50, ref c51);
            Row(a6[ap], b0, b1, ref c60, ref c61); Row(a7[ap], b0, b1, ref c70, ref c71);
        }
        c00.Store(c); c01.Store(c + 16); c10.Store(c1); c11.Store(c1 + 16);
        c20.Store(c2); c21.Store(c2 + 16); c30.Store(c3); c31.Store(c3 + 16);
        c40.Store(c4); c41.Store(c4 + 16); c50.Store(c5); c51.Store(c5 + 16);
        c60.Store(c6); c61.Store(c6 + 16); c70.Store(c7); c71.Store(c7 + 16);
    }

    /// <summary>One row of a tile: c0 += x·b0, c1 += x·b1 (inlined: the accumulators stay in registers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Row(float x, Vector512<float> b0, Vector512<float> b1, ref Vector512<float> c0, ref Vector512<float> c1)
    {
        var broadcast = Vector512.Create(x);
        c0 = Vector512.FusedMultiplyAdd(broadcast, b0, c0);
        c1 = Vector512.FusedMultiplyAdd(broadcast, b1, c1);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile1x64(float* a, int aCol, float* b, int ldb, float* c, int k)
    {
        var c0 = Vector512.Load(c); var c1 = Vector512.Load(c + 16); var c2 = Vector512.Load(c + 32); var c3 = Vector512.Load(c + 48);
        for (int p = 0; p < k; p++, b += ldb)
        {
            var x = Vector512.Create(a[p * aCol]);
            c0 = Vector512.FusedMultiplyAdd(x, Vector512.Load(b), c0);
            c1 = Vector512.FusedMultiplyAdd(x, Vector512.Load(b + 16), c1);
            c2 = Vector512.FusedMultiplyAdd(x, Vector512.Load(b + 32), c2);
            c3 = Vector512.FusedMultiplyAdd(x, Vector512.Load(b + 48), c3);
        }
        c0.Store(c); c1.Store(c + 16); c2.Store(c + 32); c3.Store(c + 48);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x16(float* a, int aRow, int aCol, float* b, int ldb, float* c, int ldc, int k)
    {
        float* a1 = a + aRow, a2 = a1 + aRow, a3 = a2 + aRow;
        var c0 = Vector512.Load(c); var c1 = Vector512.Load(c + ldc); var c2 = Vector512.Load(c + 2 * ldc); var c3 = Vector512.Load(c + 3 * ldc);
        for (int p = 0; p < k; p++, b += ldb)
        {
            var bv = Vector512.Load(b);
            int ap = p * aCol;
            c0 = Vector512.FusedMultiplyAdd(Vector512.Create(a[ap]), bv, c0);
            c1 = Vector512.FusedMultiplyAdd(Vector512.Create(a1[ap]), bv, c1);
            c2 = Vector512.FusedMultiplyAdd(Vector512.Create(a2[ap]), bv, c2);
            c3 = Vector512.FusedMultiplyAdd(Vector512.Create(a3[ap]), bv, c3);
        }
        c0.Store(c); c1.Store(c + ldc); c2.Store(c + 2 * ldc); c3.Store(c + 3 * ldc);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile1x16(float* a, int aCol, float* b, int ldb, float* c, int k)
    {
        var acc = Vector512.Load(c);
        for (int p = 0; p < k; p++, b += ldb)
            acc = Vector512.FusedMultiplyAdd(Vector512.Create(a[p * aCol]), Vector512.Load(b), acc);
        acc.Store(c);
    }

    /// <summary>The portable path for machines without AVX-512: one row at a time, 16 columns in two 256-bit halves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyAdd256(float* a, int aRow, int aCol, float* b, int ldb, float* c, int ldc, int m, int n, int k)
    {
        for (int i = 0; i < m; i++)
        {
            float* ai = a + i * aRow, ci = c + i * ldc;
            for (int j = 0; j < n; j += 16)
            {
                var lo = Vector256.Load(ci + j); var hi = Vector256.Load(ci + j + 8);
                float* bp = b + j;
                for (int p = 0; p < k; p++, bp += ldb)
                {
                    var x = Vector256.Create(ai[p * aCol]);
                    lo = Vector256.FusedMultiplyAdd(x, Vector256.Load(bp), lo);
                    hi = Vector256.FusedMultiplyAdd(x, Vector256.Load(bp + 8), hi);
                }
                lo.Store(ci + j); hi.Store(ci + j + 8);
            }
        }
    }
}
