using System.Buffers.Binary;
using System.Reflection;
using LatentTerrain.Engine.Files;
using LatentTerrain.Engine.Terrain;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Files;

public sealed class TerrainFileTests
{
    /// <summary>Small, with PReLU slopes and Fourier features: every kind of tensor a terrain file holds.</summary>
    private static readonly TerrainConfig Plain = new() { LatentSize = 4, Width = 16, FourierFeatures = 8, Seed = 3 };

    public static TheoryData<string> Shapes => ["fourier-prelu", "fourier-silu-3d", "linear-tanh"];

    private static TerrainConfig Shape(string name) => name switch
    {
        "fourier-prelu" => Plain,
        "fourier-silu-3d" => new() { InputDims = 3, LatentSize = 5, Width = 24, Depth = 3, FourierFeatures = 40, Sigma = 0.7f, Activation = Activation.SiLU, Seed = 7 },
        "linear-tanh" => new() { LatentSize = 6, Width = 8, Depth = 2, Sigma = 0f, Activation = Activation.Tanh, Seed = -5 },
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Save_and_load_keep_every_bit(string shape)
    {
        var config = Shape(shape);
        var network = TerrainNetwork.Create(config);
        string folder = Paths.NewScratch(), path = Path.Combine(folder, "t.terrain"), again = Path.Combine(folder, "again.terrain");

        TerrainFile.Save(network, path);
        var loaded = TerrainFile.Load(path);

        Assert.Equal(config, loaded.Config);
        AssertSameTensors(network.ToTensors(), loaded.ToTensors());
        Assert.Equal(Bits(Evaluate(network)), Bits(Evaluate(loaded)));
        TerrainFile.Save(loaded, again);
        Assert.Equal(File.ReadAllBytes(path), File.ReadAllBytes(again));
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        string path = Path.Combine(Paths.NewScratch(), "nowhere", "t.terrain");
        Assert.Equal("file not found", LoadFails(path).Problem);
    }

    [Fact]
    public void An_empty_file_is_named()
    {
        string path = Path.Combine(Paths.NewScratch(), "t.terrain");
        File.WriteAllBytes(path, []);
        Assert.Equal("file is empty", LoadFails(path).Problem);
    }

    [Fact]
    public void A_truncated_file_is_named()
    {
        string path = SavePlain();
        byte[] file = File.ReadAllBytes(path);
        File.WriteAllBytes(path, file[..^10]);

        int dataBytes = file.Length - 8 - (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        Assert.Equal($"file is truncated (the tensors need {dataBytes} bytes of data, the file has {dataBytes - 10})", LoadFails(path).Problem);
    }

    [Fact]
    public void A_header_length_beyond_the_file_is_named()
    {
        string path = Path.Combine(Paths.NewScratch(), "t.terrain");
        byte[] file = new byte[100];
        BinaryPrimitives.WriteUInt64LittleEndian(file, 4096);
        File.WriteAllBytes(path, file);

        Assert.Equal("header length 4096 bytes is beyond the end of the file (100 bytes): not a safetensors file, or cut short", LoadFails(path).Problem);
    }

    [Fact]
    public void Malformed_json_is_named()
    {
        string path = Path.Combine(Paths.NewScratch(), "t.terrain");
        File.WriteAllBytes(path, SafeTensorsTests.Raw("""{"B":{"dtype":"F32",  """, 0));
        Assert.StartsWith("header is not valid JSON (", LoadFails(path).Problem);
    }

    [Fact]
    public void A_dtype_other_than_float32_is_named()
    {
        string path = Path.Combine(Paths.NewScratch(), "t.terrain");
        File.WriteAllBytes(path, SafeTensorsTests.Raw("""{"B":{"dtype":"F64","shape":[2,8],"data_offsets":[0,128]}}""", 128));
        Assert.Equal("tensor 'B' has dtype F64, only F32 is supported", LoadFails(path).Problem);
    }

    [Fact]
    public void A_tensor_of_the_wrong_shape_is_named()
    {
        string path = RewritePlain((tensors, _) => tensors[TerrainNetwork.WeightName(0)] = new NamedTensor(TerrainNetwork.WeightName(0), [16, 2], new float[32]));
        Assert.Equal("tensor 'layers.0.weight' has shape [16, 2], expected [16, 16]", LoadFails(path).Problem);
    }

    [Fact]
    public void A_missing_tensor_is_named()
    {
        string path = RewritePlain((tensors, _) => tensors.Remove(TerrainNetwork.BiasName(2)));
        Assert.Equal("tensor 'layers.2.bias' is missing", LoadFails(path).Problem);
    }

    [Fact]
    public void A_tensor_without_a_place_is_named()
    {
        string path = RewritePlain((tensors, _) => tensors["layers.9.weight"] = new NamedTensor("layers.9.weight", [1], [0f]));
        Assert.Equal("tensor 'layers.9.weight' has no place in a terrain of this configuration", LoadFails(path).Problem);
    }

    [Fact]
    public void NaN_in_a_tensor_is_named()
    {
        string path = RewritePlain((tensors, _) => tensors[TerrainNetwork.BiasName(1)].Data[3] = float.NaN);
        Assert.Equal("tensor 'layers.1.bias' contains NaN or infinity", LoadFails(path).Problem);
    }

    [Fact]
    public void A_newer_format_version_asks_for_an_update()
    {
        string path = RewritePlain((_, metadata) => metadata["version"] = "2");
        Assert.Equal("written in terrain format version 2, newer than this program reads (1); update Latent Terrain", LoadFails(path).Problem);
    }

    [Fact]
    public void Another_kind_of_safetensors_file_is_not_taken_for_a_terrain()
    {
        string path = RewritePlain((_, metadata) => metadata["format"] = "pt");
        Assert.Equal("not a terrain file (its metadata says format 'pt', expected 'latent-terrain')", LoadFails(path).Problem);
    }

    [Theory]
    [InlineData("width", "0", "invalid configuration in the metadata: width must be 1..1024, not 0")]
    [InlineData("depth", "four", "metadata 'depth' is 'four', expected a whole number")]
    [InlineData("sigma", "wide", "metadata 'sigma' is 'wide', expected a number")]
    [InlineData("activation", "1", "metadata 'activation' is '1', expected one of prelu, silu, tanh")]
    public void A_bad_configuration_names_the_field(string key, string value, string problem)
    {
        string path = RewritePlain((_, metadata) => metadata[key] = value);
        Assert.Equal(problem, LoadFails(path).Problem);
    }

    [Fact]
    public void A_diverged_terrain_is_not_saved_over_a_good_one()
    {
        string path = SavePlain();
        byte[] good = File.ReadAllBytes(path);
        var diverged = TerrainNetwork.Create(Plain);
        // Stands in for a training run that blew up: the trainer writes parameters in place.
        var parameters = (float[])typeof(TerrainNetwork).GetProperty("Parameters", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(diverged)!;
        parameters[0] = float.NaN;

        var e = Assert.Throws<TerrainFileException>(() => TerrainFile.Save(diverged, path));

        Assert.Equal("not saved: tensor 'layers.0.weight' contains NaN or infinity (did training diverge?)", e.Problem);
        Assert.Equal(good, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public void A_save_that_fails_at_the_last_step_leaves_no_trace()
    {
        // A folder where the file should go: everything is written, then the rename fails.
        string folder = Paths.NewScratch(), path = Path.Combine(folder, "t.terrain");
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "inside"), "kept");

        var e = Assert.Throws<TerrainFileException>(() => TerrainFile.Save(TerrainNetwork.Create(Plain), path));

        Assert.StartsWith("cannot write: ", e.Problem);
        Assert.Equal("kept", File.ReadAllText(Path.Combine(path, "inside")));
        Assert.Equal([path], Directory.GetFileSystemEntries(folder));
    }

    [Fact]
    public void A_save_into_a_missing_folder_says_so()
    {
        string path = Path.Combine(Paths.NewScratch(), "gone", "t.terrain");
        var e = Assert.Throws<TerrainFileException>(() => TerrainFile.Save(TerrainNetwork.Create(Plain), path));
        Assert.Equal("cannot write: the folder does not exist", e.Problem);
        Assert.Equal($"{path}: cannot write: the folder does not exist", e.Message);
    }

    internal static TerrainFileException LoadFails(string path)
    {
        var e = Assert.Throws<TerrainFileException>(() => TerrainFile.Load(path));
        Assert.Equal(path, e.Path);
        Assert.Equal($"{path}: {e.Problem}", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        return e;
    }

    private static string SavePlain()
    {
        string path = Path.Combine(Paths.NewScratch(), "t.terrain");
        TerrainFile.Save(TerrainNetwork.Create(Plain), path);
        return path;
    }

    /// <summary>A file saved from <see cref="Plain"/>, then rewritten with its tensors and metadata changed by <paramref name="change"/>.</summary>
    private static string RewritePlain(Action<Dictionary<string, NamedTensor>, Dictionary<string, string>> change)
    {
        string path = SavePlain();
        var content = SafeTensors.Read(File.ReadAllBytes(path), path);
        var tensors = content.Tensors.ToDictionary();
        var metadata = content.Metadata.ToDictionary();
        change(tensors, metadata);
        using var stream = File.Create(path);
        SafeTensors.Write(stream, tensors.Values, metadata);
        return path;
    }

    internal static void AssertSameTensors(IReadOnlyList<NamedTensor> expected, IReadOnlyList<NamedTensor> actual)
    {
        Assert.Equal(expected.Select(t => t.Name), actual.Select(t => t.Name));
        foreach (var (a, b) in expected.Zip(actual))
        {
            Assert.Equal(a.Shape, b.Shape);
            Assert.True(Bits(a.Data).SequenceEqual(Bits(b.Data)), $"tensor '{a.Name}' differs");
        }
    }

    internal static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();

    /// <summary>The latents at a spread of coordinates, some far outside the usual plane.</summary>
    internal static float[] Evaluate(TerrainNetwork network)
    {
        var random = new Random(11);
        int dims = network.Config.InputDims, points = 37;
        var coordinates = Enumerable.Range(0, points * dims).Select(_ => (float)(random.NextDouble() * 40 - 20)).ToArray();
        var latents = new float[points * network.Config.LatentSize];
        new TerrainEvaluator(network.Config).Evaluate(network, coordinates, latents);
        return latents;
    }
}
