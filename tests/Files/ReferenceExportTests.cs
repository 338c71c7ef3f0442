using System.IO.Compression;
using System.Text;
using LatentTerrain.Engine.Files;
using LatentTerrain.Engine.Terrain;
using LatentTerrain.Tests.Support;
using LatentTerrain.Tests.Terrain;

namespace LatentTerrain.Tests.Files;

/// <summary>Terrains written as the reference's nn.terrain~ checkpoints (<see cref="ReferenceCheckpoint.Write"/>).</summary>
public sealed class ReferenceExportTests
{
    private static readonly string[] FixtureFiles = ["percussion-terrain-demo.pt", "m2l-demo.pt", "stable-audio-terrain-demo.pt"];

    public static TheoryData<string> Fixtures => [.. FixtureFiles];

    /// <summary>The published terrains, and terrains of ours the reference can hold: fresh with and without Fourier features, and trained.</summary>
    public static TheoryData<string> Terrains => [.. FixtureFiles, "fresh fourier", "fresh linear", "trained"];

    private static TerrainNetwork Terrain(string name) => name switch
    {
        "fresh fourier" => TerrainNetwork.Create(new TerrainConfig { LatentSize = 6, Width = 48, FourierFeatures = 40, Sigma = 0.7f, Seed = 3 }),
        "fresh linear" => TerrainNetwork.Create(new TerrainConfig { InputDims = 3, LatentSize = 5, Width = 32, FourierFeatures = 16, Sigma = 0f, Seed = 4 }),
        "trained" => Trained(),
        _ => TerrainFile.Load(Paths.Fixture("nn_terrain", name)),
    };

    /// <summary>A few epochs on a smooth field: every weight moved, and the four PReLU slopes apart, so that a mix-up of layers shows.</summary>
    private static TerrainNetwork Trained()
    {
        var start = TerrainNetwork.Create(new TerrainConfig { LatentSize = 4, Width = 32, FourierFeatures = 32, Sigma = 0.3f, Seed = 5 });
        var trainer = new TerrainTrainer(start, TerrainTrainerTests.SmoothField(8), new TrainingOptions { BatchSize = 16 });
        for (int e = 0; e < 20; e++) trainer.TrainEpoch();
        var slopes = trainer.Network.ToTensors().Where(t => t.Name.StartsWith("activations.", StringComparison.Ordinal)).Select(t => t.Data[0]);
        Assert.Equal(4, slopes.Distinct().Count());
        return trainer.Network;
    }

    private static string Export(TerrainNetwork network)
    {
        string path = Path.Combine(Paths.NewScratch(), "exported.pt");
        ReferenceCheckpoint.Write(network, path);
        return path;
    }

    [PeerTheory]
    [MemberData(nameof(Terrains))]
    public void PyTorch_opens_the_export_and_its_forward_pass_is_our_terrain(string name)
    {
        var network = Terrain(name);
        string path = Export(network);
        var random = new Random(9);
        var points = network.Config.InputDims == 2
            ? ReferenceCheckpointTests.PlanePoints()
            : Enumerable.Range(0, 30).Select(_ => Enumerable.Range(0, network.Config.InputDims).Select(_ => (float)(random.NextDouble() * 10 - 5)).ToArray()).ToList();

        var config = ReferenceCheckpointTests.AssertAgreesWithPeer(network, path, points, 1e-5f);

        Assert.Equal(network.Config.InputDims, config.GetProperty("in_dim").GetInt32());
        Assert.Equal(network.Config.LatentSize, config.GetProperty("out_dim").GetInt32());
        Assert.Equal(network.Config.Width, config.GetProperty("cmax").GetInt32());
        Assert.Equal(network.Config.FourierFeatures, config.GetProperty("mapping_size").GetInt32());
        ReferenceCheckpointTests.AssertPeerReadsTensorsOf(network, path);
    }

    [Theory]
    [MemberData(nameof(Terrains))]
    public void Our_importer_reads_the_export_back_bit_for_bit(string name)
    {
        var network = Terrain(name);

        var loaded = TerrainFile.Load(Export(network));

        // The reference keeps no seed; it only ever made the starting weights.
        Assert.Equal(network.Config with { Seed = 0 }, loaded.Config);
        TerrainFileTests.AssertSameTensors(network.ToTensors(), loaded.ToTensors());
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void A_published_terrain_exports_as_the_reference_saved_it(string file)
    {
        string fixture = Paths.Fixture("nn_terrain", file);
        byte[] original = File.ReadAllBytes(fixture);
        using var theirs = new ZipArchive(new MemoryStream(original));
        // libtorch names the archive's folder after the file it writes, so the same name gives the same folder.
        string folder = theirs.Entries[0].FullName.Split('/')[0];
        string path = Path.Combine(Paths.NewScratch(), $"{folder}.pt");

        ReferenceCheckpoint.Write(TerrainFile.Load(fixture), path);

        byte[] exported = File.ReadAllBytes(path);
        using var ours = new ZipArchive(new MemoryStream(exported));
        Assert.Equal(theirs.Entries.Select(e => e.FullName), ours.Entries.Select(e => e.FullName));
        foreach (var (a, b) in theirs.Entries.Zip(ours.Entries))
        {
            byte[] expected = Content(a), actual = Content(b);
            // The id's first half folds std::hash of the record names, which is up to the C++ library; the second folds their CRCs.
            if (a.FullName.EndsWith("/.data/serialization_id", StringComparison.Ordinal)) (expected, actual) = (expected[20..], actual[20..]);
            Assert.True(expected.SequenceEqual(actual), $"{a.FullName} differs");
        }
        // Byte for byte up to the one record libtorch deflates (ours is stored): every storage, data.pkl, header and padding.
        int deflated = original.AsSpan().IndexOf(Encoding.UTF8.GetBytes($"{folder}/code/__torch__.py")) - 30;
        Assert.Equal(8, CompressionMethod(original, deflated));
        Assert.True(original.AsSpan(0, deflated).SequenceEqual(exported.AsSpan(0, deflated)), "the archives differ before code/__torch__.py");
    }

    private static byte[] Content(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }

    private static int CompressionMethod(byte[] zip, int localHeader) => BitConverter.ToUInt16(zip, localHeader + 8);

    [Theory]
    [InlineData(Activation.SiLU, 4, 64, "the reference's nn.terrain~ has 4 PReLU layers; this terrain has depth 4 with SiLU: keep it as a .terrain (safetensors) file")]
    [InlineData(Activation.PReLU, 6, 64, "the reference's nn.terrain~ has 4 PReLU layers; this terrain has depth 6 with PReLU: keep it as a .terrain (safetensors) file")]
    [InlineData(Activation.PReLU, 4, 8, "nn.terrain~ takes 16 to 2048 Fourier features; this terrain has 8: keep it as a .terrain (safetensors) file")]
    [InlineData(Activation.PReLU, 4, 4096, "nn.terrain~ takes 16 to 2048 Fourier features; this terrain has 4096: keep it as a .terrain (safetensors) file")]
    public void Refuses_in_one_line_what_the_reference_cannot_hold(Activation activation, int depth, int features, string why)
    {
        var network = TerrainNetwork.Create(new TerrainConfig { Width = 16, Depth = depth, FourierFeatures = features, Activation = activation });
        string path = Path.Combine(Paths.NewScratch(), "t.pt");
        File.WriteAllText(path, "precious");

        var e = Assert.Throws<TerrainFileException>(() => ReferenceCheckpoint.Write(network, path));

        Assert.Equal($"not exported: {why}", e.Problem);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Equal("precious", File.ReadAllText(path));
    }

    [Fact]
    public void Any_number_of_fourier_features_goes_without_them()
    {
        // With sigma 0 the mapping size is only recorded, and the reference accepts any.
        var network = TerrainNetwork.Create(new TerrainConfig { Width = 16, FourierFeatures = 4096, Sigma = 0f });
        Assert.Equal(4096, TerrainFile.Load(Export(network)).Config.FourierFeatures);
    }

    [Fact]
    public void A_diverged_terrain_is_not_exported()
    {
        var network = TerrainNetwork.Create(new TerrainConfig { Width = 16 });
        network.Parameters[0] = float.NaN;
        string path = Path.Combine(Paths.NewScratch(), "t.pt");

        var e = Assert.Throws<TerrainFileException>(() => ReferenceCheckpoint.Write(network, path));

        Assert.Equal("not exported: tensor 'layers.0.weight' contains NaN or infinity (did training diverge?)", e.Problem);
        Assert.False(File.Exists(path));
    }
}
