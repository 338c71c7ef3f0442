using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using LatentTerrain.Engine.Files;
using LatentTerrain.Engine.Terrain;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Files;

public sealed class SafeTensorsTests
{
    [Fact]
    public void Writes_the_layout_of_the_python_library()
    {
        var stream = new MemoryStream();
        SafeTensors.Write(stream, [new NamedTensor("b", [2, 1], [3f, 4f]), new NamedTensor("a", [2], [1f, -2f])],
            new Dictionary<string, string> { ["k"] = "v" });

        // What safetensors' save_file({"b": ..., "a": ...}, metadata={"k": "v"}) writes: metadata first, tensors
        // sorted by name and packed in that order, the header padded with spaces to a multiple of 8 bytes.
        const string json = """{"__metadata__":{"k":"v"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2,1],"data_offsets":[8,16]}}""";
        Assert.Equal(135, json.Length);
        byte[] expected =
        [
            136, 0, 0, 0, 0, 0, 0, 0,
            .. Encoding.ASCII.GetBytes(json + " "),
            0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0, // 1, -2
            0x00, 0x00, 0x40, 0x40, 0x00, 0x00, 0x80, 0x40, // 3, 4
        ];
        Assert.Equal(expected, stream.ToArray());
    }

    [Fact]
    public void A_terrain_file_has_an_aligned_header_and_packed_data()
    {
        string path = Path.Combine(Paths.NewScratch(), "t.terrain");
        var network = TerrainNetwork.Create(new TerrainConfig { LatentSize = 3, Width = 20, FourierFeatures = 12 });
        TerrainFile.Save(network, path);
        byte[] file = File.ReadAllBytes(path);

        long headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(file);
        Assert.Equal(0, headerLength % 8);
        string header = Encoding.UTF8.GetString(file, 8, (int)headerLength);
        Assert.StartsWith("""{"__metadata__":{"format":"latent-terrain","version":"1",""", header);
        using var json = JsonDocument.Parse(header);
        var names = json.RootElement.EnumerateObject().Select(p => p.Name).Skip(1).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);

        long offset = 0;
        foreach (string name in names)
        {
            var tensor = network.ToTensors().Single(t => t.Name == name);
            var offsets = json.RootElement.GetProperty(name).GetProperty("data_offsets").EnumerateArray().Select(v => v.GetInt64()).ToArray();
            Assert.Equal([offset, offset + 4L * tensor.ElementCount], offsets);
            offset = offsets[1];
            Assert.Equal(tensor.Data[^1], BinaryPrimitives.ReadSingleLittleEndian(file.AsSpan((int)(8 + headerLength + offset - 4))));
        }
        Assert.Equal(8 + headerLength + offset, file.Length);
    }

    [Fact]
    public void Reads_what_it_writes()
    {
        var stream = new MemoryStream();
        NamedTensor[] tensors = [new("scalar", [], [float.NaN]), new("none", [0], []), new("m", [2, 3], [1, 2, 3, 4, 5, float.NegativeInfinity])];
        SafeTensors.Write(stream, tensors, new Dictionary<string, string> { ["note"] = "ünïcode \"quoted\"" });

        var content = SafeTensors.Read(stream.ToArray(), "x.safetensors");

        Assert.Equal("ünïcode \"quoted\"", content.Metadata["note"]);
        foreach (var tensor in tensors)
        {
            Assert.Equal(tensor.Shape, content.Tensors[tensor.Name].Shape);
            Assert.Equal(tensor.Data.Select(BitConverter.SingleToInt32Bits), content.Tensors[tensor.Name].Data.Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Theory]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", 12,
        "tensors 'a' and 'b' overlap in the data section")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8, "4 unused bytes before tensor 'a' in the data section")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 6, "2 stray bytes after the last tensor")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,12]}}""", 12, "tensor 'a' has shape [2] (8 bytes) but data_offsets span 12 bytes")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8, "header names 'a' twice")]
    [InlineData("""{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}""", 4, "tensor 'a' has a shape entry that is not a whole number")]
    [InlineData("""{"__metadata__":{"n":1}}""", 0, "metadata 'n' is not a string")]
    [InlineData("""[1, 2]""", 0, "header is not a JSON object")]
    public void Refuses_inconsistent_headers(string header, int dataBytes, string problem)
    {
        var e = Assert.Throws<TerrainFileException>(() => SafeTensors.Read(Raw(header, dataBytes), "x.safetensors"));
        Assert.Equal(problem, e.Problem);
        Assert.Equal("x.safetensors: " + problem, e.Message);
    }

    /// <summary>A safetensors file with <paramref name="header"/> taken as it is and zeroed data.</summary>
    internal static byte[] Raw(string header, int dataBytes)
    {
        byte[] json = Encoding.UTF8.GetBytes(header);
        var file = new byte[8 + json.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)json.Length);
        json.CopyTo(file, 8);
        return file;
    }
}
