using System.Buffers.Binary;
using System.Text;

namespace LatentTerrain.Engine.Files;

/// <summary>
/// Writes a libtorch serialize archive laid out as libtorch's own writer lays it out: a zip whose
/// records all sit in one folder, stored, each record's data aligned to 64 bytes by an "FB" extra
/// field of 'Z's and followed by a data descriptor; then the central directory and zip64 end records.
/// <see cref="Finish"/> adds the records libtorch writes last: version, byteorder, serialization id.
/// </summary>
/// <remarks>
/// libtorch deflates its code records; stored ones read the same everywhere (miniz, Python's zipfile,
/// .NET), and no deflater here reproduces miniz's bit stream anyway.
/// </remarks>
internal sealed class TorchArchiveWriter
{
    private const int Alignment = 64;
    private const int LocalHeaderLength = 30, CentralHeaderLength = 46, PaddingHeaderLength = 4;
    /// <summary>General purpose flags: sizes in a data descriptor after the data (bit 3), UTF-8 names (bit 11).</summary>
    private const ushort Flags = 0x0808;

    private readonly Stream _stream;
    private readonly string _folder;
    private readonly List<(byte[] Name, uint Crc, uint Size, uint Offset)> _records = [];
    private long _position;
    private ulong _nameHash, _crcHash;

    /// <param name="folder">The archive's folder; libtorch names it after the file, without its extension.</param>
    public TorchArchiveWriter(Stream stream, string folder)
    {
        _stream = stream;
        _folder = folder;
    }

    /// <summary>
    /// libtorch's folder name for an archive written to <paramref name="path"/>: the file name without
    /// its last extension, or "archive" (its name for an archive written to a stream) when that is empty.
    /// </summary>
    public static string FolderFor(string path)
    {
        string name = Path.GetFileName(path);
        int dot = name.LastIndexOf('.');
        string folder = dot >= 0 ? name[..dot] : name;
        return folder.Length > 0 ? folder : "archive";
    }

    public void Write(string record, string text) => Write(record, Encoding.UTF8.GetBytes(text));

    public void Write(string record, ReadOnlySpan<byte> data)
    {
        byte[] name = Encoding.UTF8.GetBytes($"{_folder}/{record}");
        long dataStart = _position + LocalHeaderLength + name.Length + PaddingHeaderLength;
        int padding = (int)((Alignment - dataStart % Alignment) % Alignment);
        // A terrain is tens of megabytes at most; past 4 GiB the zip would need zip64 fields.
        if (dataStart + padding + data.Length + 16 >= uint.MaxValue) throw new InvalidOperationException("an archive this large needs zip64 records");
        uint crc = Crc32.Compute(data), offset = (uint)_position, size = (uint)data.Length;

        Span<byte> header = stackalloc byte[LocalHeaderLength];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0x04034b50);
        // Version needed, method (stored), time, date, CRC and sizes stay zero: the data descriptor has them.
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], Flags);
        BinaryPrimitives.WriteUInt16LittleEndian(header[26..], (ushort)name.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(header[28..], (ushort)(PaddingHeaderLength + padding));
        Emit(header);
        Emit(name);
        Span<byte> extra = stackalloc byte[PaddingHeaderLength + padding];
        extra.Fill((byte)'Z');
        extra[0] = (byte)'F';
        extra[1] = (byte)'B';
        BinaryPrimitives.WriteUInt16LittleEndian(extra[2..], (ushort)padding);
        Emit(extra);
        Emit(data);

        Span<byte> descriptor = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(descriptor, 0x08074b50);
        BinaryPrimitives.WriteUInt32LittleEndian(descriptor[4..], crc);
        BinaryPrimitives.WriteUInt32LittleEndian(descriptor[8..], size);
        BinaryPrimitives.WriteUInt32LittleEndian(descriptor[12..], size);
        Emit(descriptor);

        _records.Add((name, crc, size, offset));
        _nameHash = HashCombine(_nameHash, Fnv1a(record));
        _crcHash = HashCombine(_crcHash, crc);
    }

    /// <summary>Writes the closing records and the zip's directory; <paramref name="version"/> is the archive format version.</summary>
    public void Finish(int version)
    {
        Write("version", $"{version}\n");
        Write("byteorder", "little");
        // libtorch's id: 20 digits folding the records' name hashes, 20 folding their CRCs, in that
        // order. It folds std::hash over an unordered set, which depends on the C++ library that
        // built it; nothing reads the id back, so the names' half is an FNV-1a fold of our own.
        Write(".data/serialization_id", $"{_nameHash:D20}{_crcHash:D20}");

        long directoryStart = _position;
        Span<byte> header = stackalloc byte[CentralHeaderLength];
        foreach (var (name, crc, size, offset) in _records)
        {
            header.Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(header, 0x02014b50);
            BinaryPrimitives.WriteUInt16LittleEndian(header[8..], Flags);
            BinaryPrimitives.WriteUInt32LittleEndian(header[16..], crc);
            BinaryPrimitives.WriteUInt32LittleEndian(header[20..], size);
            BinaryPrimitives.WriteUInt32LittleEndian(header[24..], size);
            BinaryPrimitives.WriteUInt16LittleEndian(header[28..], (ushort)name.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(header[42..], offset);
            Emit(header);
            Emit(name);
        }
        long directoryLength = _position - directoryStart, zip64End = _position;

        Span<byte> end = stackalloc byte[56 + 20 + 22];
        end.Clear();
        var record = end[..56];
        BinaryPrimitives.WriteUInt32LittleEndian(record, 0x06064b50);
        BinaryPrimitives.WriteUInt64LittleEndian(record[4..], 56 - 12);
        BinaryPrimitives.WriteUInt16LittleEndian(record[12..], 0x031e); // made by: Unix, zip 3.0
        BinaryPrimitives.WriteUInt16LittleEndian(record[14..], 45);     // needed: zip64
        BinaryPrimitives.WriteUInt64LittleEndian(record[24..], (ulong)_records.Count);
        BinaryPrimitives.WriteUInt64LittleEndian(record[32..], (ulong)_records.Count);
        BinaryPrimitives.WriteUInt64LittleEndian(record[40..], (ulong)directoryLength);
        BinaryPrimitives.WriteUInt64LittleEndian(record[48..], (ulong)directoryStart);
        var locator = end[56..76];
        BinaryPrimitives.WriteUInt32LittleEndian(locator, 0x07064b50);
        BinaryPrimitives.WriteUInt64LittleEndian(locator[8..], (ulong)zip64End);
        BinaryPrimitives.WriteUInt32LittleEndian(locator[16..], 1);
        var last = end[76..];
        BinaryPrimitives.WriteUInt32LittleEndian(last, 0x06054b50);
        BinaryPrimitives.WriteUInt16LittleEndian(last[8..], (ushort)_records.Count);
        BinaryPrimitives.WriteUInt16LittleEndian(last[10..], (ushort)_records.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(last[12..], (uint)directoryLength);
        BinaryPrimitives.WriteUInt32LittleEndian(last[16..], (uint)directoryStart);
        Emit(end);
    }

    private void Emit(ReadOnlySpan<byte> bytes)
    {
        _stream.Write(bytes);
        _position += bytes.Length;
    }

    /// <summary>boost's hash_combine on 64 bits, as libtorch folds the id's two halves.</summary>
    private static ulong HashCombine(ulong seed, ulong value) => seed ^ (value + 0x9e3779b9UL + (seed << 6) + (seed >> 2));

    private static ulong Fnv1a(string text)
    {
        ulong hash = 0xcbf29ce484222325UL;
        foreach (byte b in Encoding.UTF8.GetBytes(text)) hash = (hash ^ b) * 0x100000001b3UL;
        return hash;
    }
}
