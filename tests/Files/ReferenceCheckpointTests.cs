using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using LatentTerrain.Engine.Files;
using LatentTerrain.Engine.Terrain;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Files;

/// <summary>The pre-trained terrains published with the reference (jasper-zheng/nn_terrain, pre-trained/).</summary>
public sealed class ReferenceCheckpointTests
{
    public static TheoryData<string, int, int, int, float> Fixtures => new()
    {
        { "percussion-terrain-demo.pt", 4, 128, 256, 0.12f },
        { "m2l-demo.pt", 64, 256, 512, 0.12f },
        { "stable-audio-terrain-demo.pt", 64, 256, 256, 0.05f },
    };

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Loads_with_the_configuration_it_was_made_with(string file, int latentSize, int width, int features, float sigma)
    {
        var network = TerrainFile.Load(Paths.Fixture("nn_terrain", file));

        var expected = new TerrainConfig
        {
            InputDims = 2, LatentSize = latentSize, Width = width, Depth = 4,
            FourierFeatures = features, Sigma = sigma, Activation = Activation.PReLU,
        };
        Assert.Equal(expected, network.Config);
        // PyTorch's count: fc_in_gau, fc2..fc4, fc_out and four PReLU slopes (B_T is a buffer).
        int parameters = (2 * features + 1) * width + 3 * (width + 1) * width + (width + 1) * latentSize + 4;
        Assert.Equal(parameters, network.ParameterCount);
    }

    [PeerTheory]
    [MemberData(nameof(Fixtures))]
    public void Agrees_with_the_reference_forward_pass_in_pytorch(string file, int latentSize, int width, int features, float sigma)
    {
        string path = Paths.Fixture("nn_terrain", file);
        var config = AssertAgreesWithPeer(TerrainFile.Load(path), path, PlanePoints(), 1e-4f);

        Assert.Equal(latentSize, config.GetProperty("out_dim").GetInt32());
        Assert.Equal(width, config.GetProperty("cmax").GetInt32());
        Assert.Equal(features, config.GetProperty("mapping_size").GetInt32());
        Assert.Equal(sigma, (float)config.GetProperty("gauss_scale").GetDouble());
    }

    [PeerFact]
    public void A_terrain_without_fourier_features_imports_and_agrees()
    {
        // None of the published terrains has gauss_scale 0 (fc_in_linear): the peer makes one.
        string path = Path.Combine(Paths.NewScratch(), "linear.pt");
        PeerPython.Run("reference_checkpoint.py", "--make-linear", path);
        var random = new Random(9);
        var points = Enumerable.Range(0, 20).Select(_ => Enumerable.Range(0, 3).Select(_ => (float)(random.NextDouble() * 10 - 5)).ToArray()).ToList();

        AssertAgreesWithPeer(TerrainFile.Load(path), path, points, 1e-4f);

        var expected = new TerrainConfig { InputDims = 3, LatentSize = 5, Width = 32, Depth = 4, FourierFeatures = 256, Sigma = 0f, Activation = Activation.PReLU };
        Assert.Equal(expected, TerrainFile.Load(path).Config);
    }

    /// <summary>The Max GUI's default plane (x -16..16, y -4..4), its corners and centre, and a few points beyond it.</summary>
    internal static List<float[]> PlanePoints()
    {
        var random = new Random(5);
        List<float[]> points = [[0, 0], [-16, -4], [16, 4], [-16, 4], [16, -4], [40, -25], [-0.37f, 1.9f]];
        while (points.Count < 40) points.Add([(float)(random.NextDouble() * 32 - 16), (float)(random.NextDouble() * 8 - 4)]);
        return points;
    }

    /// <summary>
    /// Evaluates <paramref name="network"/> at <paramref name="points"/> here and the checkpoint at <paramref name="path"/>
    /// in PyTorch, asserts that they agree within <paramref name="tolerance"/>, and returns the peer's view of the configuration.
    /// </summary>
    internal static JsonElement AssertAgreesWithPeer(TerrainNetwork network, string path, List<float[]> points, float tolerance)
    {
        int latentSize = network.Config.LatentSize;
        string output = PeerPython.Run("reference_checkpoint.py",
            [path, .. points.Select(p => string.Join(",", p.Select(v => v.ToString("R", CultureInfo.InvariantCulture))))]);
        using var peer = JsonDocument.Parse(output);

        var latents = new float[points.Count * latentSize];
        new TerrainEvaluator(network.Config).Evaluate(network, points.SelectMany(p => p).ToArray(), latents);
        var expected = peer.RootElement.GetProperty("latents").EnumerateArray().SelectMany(row => row.EnumerateArray().Select(v => v.GetSingle())).ToArray();
        Assert.Equal(latents.Length, expected.Length);
        for (int i = 0; i < latents.Length; i++)
            Assert.True(Math.Abs(latents[i] - expected[i]) <= tolerance,
                $"point ({string.Join(", ", points[i / latentSize])}) channel {i % latentSize}: ours {latents[i]}, PyTorch {expected[i]}");
        Assert.Contains(expected, v => Math.Abs(v) > 0.05f);
        return peer.RootElement.GetProperty("config").Clone();
    }

    [PeerFact]
    public void Imports_every_tensor_bit_for_bit()
    {
        string path = Paths.Fixture("nn_terrain", "percussion-terrain-demo.pt");
        AssertPeerReadsTensorsOf(TerrainFile.Load(path), path);
    }

    /// <summary>Asserts that PyTorch reads from <paramref name="path"/> every tensor of <paramref name="network"/>, bit for bit, and its sigma.</summary>
    internal static void AssertPeerReadsTensorsOf(TerrainNetwork network, string path)
    {
        var ours = network.ToTensors().ToDictionary(t => t.Name);
        using var peer = JsonDocument.Parse(PeerPython.Run("reference_checkpoint.py", "--tensors", path));
        float[] Theirs(string name) => peer.RootElement.GetProperty(name).EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();
        var theirs = ReferenceNames(network.Config.UsesFourierFeatures);

        Assert.Equal(theirs.Values.Order(), ours.Keys.Order());
        foreach (var (reference, name) in theirs)
            Assert.True(TerrainFileTests.Bits(Theirs(reference)).SequenceEqual(TerrainFileTests.Bits(ours[name].Data)), $"'{reference}' differs from '{name}'");
        Assert.Equal([network.Config.Sigma], Theirs("m_gauss_scale"));
    }

    /// <summary>The reference's name of each of our tensors, written out here rather than taken from the importer, so that the tests check its table.</summary>
    internal static Dictionary<string, string> ReferenceNames(bool fourier)
    {
        var names = new Dictionary<string, string>();
        if (fourier) names["B_T"] = TerrainNetwork.FourierName;
        string[] linear = [fourier ? "fc_in_gau" : "fc_in_linear", "fc2", "fc3", "fc4", "fc_out"];
        for (int l = 0; l < linear.Length; l++)
        {
            names[$"{linear[l]}.weight"] = TerrainNetwork.WeightName(l);
            names[$"{linear[l]}.bias"] = TerrainNetwork.BiasName(l);
        }
        for (int l = 0; l < 4; l++) names[$"prelu{l + 1}.weight"] = TerrainNetwork.SlopeName(l);
        return names;
    }

    [Fact]
    public void An_imported_terrain_saves_and_loads_bit_for_bit()
    {
        var imported = TerrainFile.Load(Paths.Fixture("nn_terrain", "percussion-terrain-demo.pt"));
        string path = Path.Combine(Paths.NewScratch(), "percussion.terrain");

        TerrainFile.Save(imported, path);
        var loaded = TerrainFile.Load(path);

        Assert.Equal(imported.Config, loaded.Config);
        TerrainFileTests.AssertSameTensors(imported.ToTensors(), loaded.ToTensors());
        Assert.Equal(TerrainFileTests.Bits(TerrainFileTests.Evaluate(imported)), TerrainFileTests.Bits(TerrainFileTests.Evaluate(loaded)));
    }

    [Fact]
    public void Is_told_apart_by_content_not_by_name()
    {
        string path = Path.Combine(Paths.NewScratch(), "renamed.terrain");
        File.Copy(Paths.Fixture("nn_terrain", "percussion-terrain-demo.pt"), path);
        Assert.Equal(4, TerrainFile.Load(path).Config.LatentSize);
    }

    [Fact]
    public void A_zip_that_is_no_checkpoint_is_named()
    {
        string path = Path.Combine(Paths.NewScratch(), "other.pt");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
            using (var writer = new StreamWriter(zip.CreateEntry("readme.txt").Open()))
                writer.Write("hello");

        Assert.Equal("a zip archive without data.pkl: not a PyTorch checkpoint", TerrainFileTests.LoadFails(path).Problem);
    }

    [Fact]
    public void A_truncated_checkpoint_is_named()
    {
        string path = Path.Combine(Paths.NewScratch(), "cut.pt");
        byte[] file = File.ReadAllBytes(Paths.Fixture("nn_terrain", "m2l-demo.pt"));
        File.WriteAllBytes(path, file[..(file.Length / 2)]);

        Assert.StartsWith("damaged or not an nn.terrain checkpoint: ", TerrainFileTests.LoadFails(path).Problem);
    }
}
