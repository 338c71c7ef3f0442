using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using LatentTerrain.Engine.Files;

namespace LatentTerrain.Engine.Maps;

/// <summary>
/// Writes map images as PNG (8-bit greyscale or RGB, no interlacing). Small on purpose: no image
/// package is reachable from the project's registry, and a PNG writer is a signature, three chunks,
/// zlib (in the framework) and a CRC.
/// </summary>
public static class PngWriter
{
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    private const byte GreyColourType = 0, RgbColourType = 2;

    /// <summary>Writes <paramref name="image"/> to <paramref name="path"/> atomically: the old file stays whole until the new one is complete.</summary>
    public static void Write(MapImage image, string path)
    {
        AtomicFile.Write(path, stream => Write(image, stream));
    }

    public static void Write(MapImage image, Stream stream)
    {
        stream.Write(Signature);

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, image.Width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), image.Height);
        header[8] = 8; // bits per sample
        header[9] = image.Format == PixelFormat.Rgb8 ? RgbColourType : GreyColourType;
        // header[10..12]: deflate compression, adaptive filtering, no interlace, all 0.
        WriteChunk(stream, "IHDR", header);

        WriteChunk(stream, "IDAT", Compress(image));
        WriteChunk(stream, "IEND", []);
    }

    private static byte[] Compress(MapImage image)
    {
        int rowBytes = image.Width * image.BytesPerPixel;
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            for (int row = 0; row < image.Height; row++)
            {
                // Filter type 0 (none): maps are small, and the plainest stream is the easiest to check.
                zlib.WriteByte(0);
                zlib.Write(image.Pixels, row * rowBytes, rowBytes);
            }
        }
        return compressed.ToArray();
    }

    private static void WriteChunk(Stream stream, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        stream.Write(word);
        Span<byte> typeBytes = stackalloc byte[4];
        Encoding.ASCII.GetBytes(type, typeBytes);
        stream.Write(typeBytes);
        stream.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.Finish(Crc32.Append(Crc32.Append(Crc32.Initial, typeBytes), data)));
        stream.Write(word);
    }
}
