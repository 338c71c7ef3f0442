using System.Text.Json;
using LatentTerrain.Engine.Datasets;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Datasets;

/// <summary>The reference's Max dictionaries: {"coordinates": {"1": {"0": [x...], "1": [y...]}}, "latents": {...}, "anchors": {...}}.</summary>
public class ReferenceDictionaryTests
{
    private readonly string _folder = Paths.NewScratch();

    private string Write(string text)
    {
        string path = Path.Combine(_folder, "dict.json");
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>
    /// As nn.terrain.gui and nn.terrain.encode would send it to nn.terrain~: trajectory 1 has three
    /// placed points and four latent frames; entry 2 is a poked single point, written by Max as bare
    /// numbers; the anchors are the drawn polyline, which training ignores.
    /// </summary>
    private const string Handwritten = """
        {
          "coordinates": {
            "1": { "0": [0.0, 0.4, 0.8], "1": [1.0, 1.0, 1.0] },
            "2": { "0": 2.5, "1": -3 }
          },
          "latents": {
            "1": { "0": [0.1, 0.2, 0.3, 0.4], "1": [1.1, 1.2, 1.3, 1.4], "2": [2.1, 2.2, 2.3, 2.4] },
            "2": { "0": 7, "1": [8], "2": 9 }
          },
          "anchors": {
            "1": { "anchor_x": [0.0, 0.9], "anchor_y": [1.0, 1.0] },
            "2": { "anchor_x": 2.5, "anchor_y": -3 }
          }
        }
        """;

    [Fact]
    public void A_reference_dictionary_imports_its_placed_coordinates_as_they_are()
    {
        var dataset = DatasetFile.Load(Write(Handwritten));

        Assert.Equal(2, dataset.InputDims);
        Assert.Equal(3, dataset.LatentSize);
        var trajectory = Assert.Single(dataset.Trajectories);
        Assert.Equal(TrajectoryPlacement.PerFrame, trajectory.Placement);
        Assert.Equal(4, trajectory.FrameCount);
        var point = Assert.Single(dataset.Points);
        Assert.Equal([2.5f, -3f], point.Coordinate);
        Assert.Equal([7f, 8f, 9f], point.Latent);

        var pairs = dataset.ToPairs();
        Assert.Equal(4, pairs.Count);  // three placed points (the fourth frame has none), then the point
        Assert.Equal([0f, 1f, 0.4f, 1f, 0.8f, 1f, 2.5f, -3f], pairs.Coordinates);
        Assert.Equal([0.1f, 1.1f, 2.1f, 0.2f, 1.2f, 2.2f, 0.3f, 1.3f, 2.3f, 7f, 8f, 9f], pairs.Latents);
    }

    [Fact]
    public void Without_coordinates_the_anchors_are_drawn_paths_placed_at_the_default_density()
    {
        var dataset = DatasetFile.Load(Write("""
            { "latents": { "1": { "0": [1, 2, 3, 4, 5] } },
              "anchors": { "1": { "anchor_x": [0, 1, 1], "anchor_y": [0, 0, 1] } } }
            """));
        var trajectory = Assert.Single(dataset.Trajectories);
        Assert.Equal(TrajectoryPlacement.AlongPath, trajectory.Placement);
        Assert.Equal(TerrainDataset.DefaultDensity, dataset.Density);
        var pairs = dataset.ToPairs();
        Assert.Equal(5, pairs.Count);
        Assert.Equal(1f, pairs.Coordinates[6]);
        Assert.Equal(0.2f, pairs.Coordinates[7], 1e-6f);
    }

    [Fact]
    public void Extra_entries_on_either_side_are_left_out_as_the_reference_does()
    {
        var dataset = DatasetFile.Load(Write("""
            { "coordinates": { "1": { "0": [0, 1], "1": [0, 0] } },
              "latents": { "1": { "0": [1, 2] }, "2": { "0": [3, 4] } } }
            """));
        Assert.Single(dataset.Trajectories);
        Assert.Equal(2, dataset.ToPairs().Count);
    }

    [Fact]
    public void Exported_dictionaries_import_to_the_same_training_pairs()
    {
        var dataset = new TerrainDataset(2, 3,
            [
                new Trajectory([[0f, 0f], [1f, 0f], [1f, 1f]], [.. Enumerable.Range(0, 9).Select(f => new[] { f, -f, f / 7f })]),
                new Trajectory([[0f, 0f], [1f, 0f]], [[1f, 2f, 3f]]),
                new Trajectory([[-3f, 2f], [-2.5f, 2.25f], [0.1f, 0.2f]], [[1f, 1f, 1f], [2f, 2f, 2f]], TrajectoryPlacement.PerFrame),
            ],
            [new TerrainPoint([4f, -4f], [0.5f, 0.25f, 0.125f])],
            density: 0.4f);
        string path = Path.Combine(_folder, "export.json");

        DatasetFile.ExportReference(dataset, path);
        var imported = DatasetFile.Load(path);

        // A one-frame trajectory and a point are the same thing to the reference, one entry of one
        // pair, and come back as points: the pairs are the same, but not all in the same order.
        DatasetAssert.SamePairSet(dataset, imported);
        Assert.Equal(2, imported.Trajectories.Count);
        Assert.Equal(2, imported.Points.Count);
    }

    [Fact]
    public void Exports_carry_the_drawn_paths_as_anchors_and_every_latent_frame()
    {
        var dataset = new TerrainDataset(2, 1, [new Trajectory([[0f, 0f], [0.4f, 0f]], [[1f], [2f], [3f]])]);
        string path = Path.Combine(_folder, "export.json");
        DatasetFile.ExportReference(dataset, path);

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var root = document.RootElement;
        Assert.Equal([0f, 0.4f], Floats(root.GetProperty("coordinates").GetProperty("1").GetProperty("0")));
        Assert.Equal([1f, 2f, 3f], Floats(root.GetProperty("latents").GetProperty("1").GetProperty("0")));
        Assert.Equal([0f, 0.4f], Floats(root.GetProperty("anchors").GetProperty("1").GetProperty("anchor_x")));
        Assert.Equal([0f, 0f], Floats(root.GetProperty("anchors").GetProperty("1").GetProperty("anchor_y")));
    }

    [Fact]
    public void Exports_of_other_than_two_dimensions_have_no_anchors()
    {
        var dataset = new TerrainDataset(3, 1, [], [new TerrainPoint([1f, 2f, 3f], [4f])]);
        string path = Path.Combine(_folder, "export.json");
        DatasetFile.ExportReference(dataset, path);
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        Assert.False(document.RootElement.TryGetProperty("anchors", out _));
        Assert.Equal([3f], Floats(document.RootElement.GetProperty("coordinates").GetProperty("1").GetProperty("2")));
    }

    private static float[] Floats(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetSingle())];

    [Theory]
    [InlineData("""{"coordinates": {"1": {"0": [0], "1": [0]}}}""", "the dictionary has no \"latents\" to pair with its coordinates")]
    [InlineData("""{"latents": {"1": {"0": [0]}}}""", "the dictionary has neither \"coordinates\" nor \"anchors\" to pair with its latents")]
    [InlineData("""{"coordinates": {}, "latents": {}}""", "the dictionary holds no trajectories")]
    [InlineData("""{"coordinates": [], "latents": {}}""", "\"coordinates\" should be an object, not an array")]
    [InlineData("""
        {"coordinates": {"1": {"0": [0, 1], "1": [0, 0]}, "2": {"0": [0, 1], "1": [0, 0]}, "3": {"0": [0, 1], "1": [0, 0]}},
         "latents": {"1": {"0": [1, 2], "1": [1, 2], "2": [1, 2], "3": [1, 2], "4": [1, 2], "5": [1, 2], "6": [1, 2], "7": [1, 2]},
                     "2": {"0": [1, 2], "1": [1, 2], "2": [1, 2], "3": [1, 2], "4": [1, 2], "5": [1, 2], "6": [1, 2], "7": [1, 2]},
                     "3": {"0": [1, 2], "1": [1, 2], "2": [1, 2], "3": [1, 2], "4": [1, 2], "5": [1, 2], "6": [1, 2], "7": [1, 2],
                           "8": [1, 2], "9": [1, 2], "10": [1, 2], "11": [1, 2], "12": [1, 2], "13": [1, 2], "14": [1, 2], "15": [1, 2]}}}
        """, "trajectory 3 has latents of size 16, expected 8")]
    [InlineData("""{"coordinates": {"1": {"0": [0], "1": [0]}, "2": {"0": [0], "1": [0], "2": [0]}}, "latents": {"1": {"0": [1]}, "2": {"0": [1]}}}""",
        "trajectory 2 has coordinates of 3 dimensions, expected 2")]
    [InlineData("""{"coordinates": {"1": {"0": [0], "1": [0]}, "3": {"0": [0], "1": [0]}}, "latents": {"1": {"0": [1]}, "2": {"0": [1]}}}""",
        "\"coordinates\" has no entry \"2\" (entries are numbered from 1 without gaps)")]
    [InlineData("""{"coordinates": {"1": {"0": [0], "2": [0]}}, "latents": {"1": {"0": [1]}}}""",
        "trajectory 1 \"coordinates\" has no dimension \"1\" (dimensions are numbered from 0 without gaps)")]
    [InlineData("""{"coordinates": {"1": {"0": [0, 1], "1": [0]}}, "latents": {"1": {"0": [1]}}}""",
        "trajectory 1 \"coordinates\" dimension \"1\" has 1 values, dimension \"0\" has 2")]
    [InlineData("""{"coordinates": {"1": {"0": [0], "1": ["a"]}}, "latents": {"1": {"0": [1]}}}""",
        "trajectory 1 \"coordinates\" dimension \"1\" value 1 should be a number, not a string")]
    [InlineData("""{"coordinates": {"1": {"0": [0], "1": [0]}}, "latents": {"1": {"0": []}}}""", "trajectory 1 has no latent frames")]
    [InlineData("""{"coordinates": {"1": {"0": [], "1": []}}, "latents": {"1": {"0": [1]}}}""", "trajectory 1 has no coordinates")]
    [InlineData("""{"coordinates": {"1": {}}, "latents": {"1": {"0": [1]}}}""", "trajectory 1 \"coordinates\" has no dimensions")]
    [InlineData("""{"anchors": {"1": {"anchor_x": [0, 1], "anchor_y": [0]}}, "latents": {"1": {"0": [1]}}}""",
        "trajectory 1 has 2 \"anchor_x\" values but 1 \"anchor_y\" values")]
    [InlineData("""{"anchors": {"1": {"anchor_x": [0, 1]}}, "latents": {"1": {"0": [1]}}}""", "trajectory 1 \"anchors\" has no \"anchor_y\"")]
    [InlineData("""{"coordinates": {"1": {"0": [0], "1": [0], "2": [0], "3": [0], "4": [0], "5": [0], "6": [0]}}, "latents": {"1": {"0": [1]}}}""",
        "input dimensions must be 1..6, not 7")]
    public void Bad_dictionaries_are_named_with_the_file(string text, string problem)
    {
        string path = Write(text);
        var error = Assert.Throws<DatasetException>(() => DatasetFile.Load(path));
        Assert.Equal($"{path}: {problem}", error.Message);
    }
}
