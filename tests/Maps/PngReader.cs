using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace LatentTerrain.Tests.Maps;

/// <summary>
/// A small, strict PNG reader for the tests: checks the signature and every chunk's CRC, and
/// decodes 8-bit greyscale or RGB images with any of the five row filters.
/// </summary>
internal static class PngReader
{
    public sealed record Image(int Width, int Height, int ColourType, byte[] Pixels, List<string> Chunks);

    public static Image Read(string path) => Read(File.ReadAllBytes(path));

    public static Image Read(byte[] png)
    {
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        int width = 0, height = 0, colourType = -1;
        var chunks = new List<string>();
        using var idat = new MemoryStream();
        for (int at = 8; at < png.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            string type = Encoding.ASCII.GetString(png, at + 4, 4);
            var data = png.AsSpan(at + 8, length);
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at + 8 + length));
            Assert.True(crc == Crc(png.AsSpan(at + 4, 4 + length)), $"chunk {type} has a bad CRC");
            chunks.Add(type);
            switch (type)
            {
                case "IHDR":
                    width = BinaryPrimitives.ReadInt32BigEndian(data);
                    height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                    Assert.Equal(8, data[8]);            // bit depth
                    colourType = data[9];
                    Assert.Equal(new byte[] { 0, 0, 0 }, data[10..13].ToArray());
                    break;
                case "IDAT":
                    idat.Write(data);
                    break;
            }
            at += 12 + length;
        }
        Assert.Equal("IHDR", chunks[0]);
        Assert.Equal("IEND", chunks[^1]);

        int channels = colourType switch { 0 => 1, 2 => 3, _ => throw new InvalidDataException($"colour type {colourType}") };
        int stride = width * channels;
        idat.Position = 0;
        using var zlib = new ZLibStream(idat, CompressionMode.Decompress);
        var raw = new MemoryStream();
        zlib.CopyTo(raw);
        var bytes = raw.ToArray();
        Assert.Equal(height * (stride + 1), bytes.Length);

        var pixels = new byte[height * stride];
        for (int row = 0; row < height; row++)
        {
            byte filter = bytes[row * (stride + 1)];
            for (int i = 0; i < stride; i++)
            {
                int a = i >= channels ? pixels[row * stride + i - channels] : 0;
                int b = row > 0 ? pixels[(row - 1) * stride + i] : 0;
                int c = row > 0 && i >= channels ? pixels[(row - 1) * stride + i - channels] : 0;
                int x = bytes[row * (stride + 1) + 1 + i];
                pixels[row * stride + i] = (byte)(filter switch
                {
                    0 => x,
                    1 => x + a,
                    2 => x + b,
                    3 => x + (a + b) / 2,
                    4 => x + Paeth(a, b, c),
                    _ => throw new InvalidDataException($"filter {filter}"),
                });
            }
        }
        return new Image(width, height, colourType, pixels, chunks);
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static uint Crc(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte value in data)
        {
            crc ^= value;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }
}
