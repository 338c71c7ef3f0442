namespace LatentTerrain.Engine.Files;

/// <summary>The CRC-32 of zlib, PNG and zip: reflected polynomial 0xEDB88320.</summary>
internal static class Crc32
{
    public const uint Initial = 0xFFFFFFFFu;
    private static readonly uint[] Table = MakeTable();

    /// <summary>Continues a running CRC, which starts at <see cref="Initial"/> and ends with <see cref="Finish"/>.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    public static uint Finish(uint crc) => crc ^ 0xFFFFFFFFu;

    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Append(Initial, data));

    private static uint[] MakeTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
