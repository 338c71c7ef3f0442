using System.Text.Json;
using LatentTerrain.Engine.Datasets;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Datasets;

public class DatasetFileTests
{
    private readonly string _folder = Paths.NewScratch();

    private string Write(string name, string text)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    internal static TerrainDataset Sample() => new(2, 3,
        [
            new Trajectory([[0f, 0f], [1f, 0f], [1f, 1f]], [[0.1f, -0.2f, 3.5f], [1e-7f, 2f, -3f], [0f, 0f, 1f / 3f]]) { Name = "kick", Source = "kick.wav" },
            new Trajectory([[-2.5f, 1.25f], [-2f, 1f]], [[1f, 2f, 3f], [4f, 5f, 6f]], TrajectoryPlacement.PerFrame),
        ],
        [new TerrainPoint([3f, -1f], [0.5f, 0.25f, -0.125f])],
        density: 0.3f);

    [Fact]
    public void Saved_datasets_load_back_the_same()
    {
        string path = Path.Combine(_folder, "set.json");
        var dataset = Sample();
        DatasetFile.Save(dataset, path);
        var loaded = DatasetFile.Load(path);
        DatasetAssert.Same(dataset, loaded);
        DatasetAssert.SamePairs(dataset, loaded);
    }

    [Fact]
    public void The_saved_file_speaks_the_documented_format()
    {
        string path = Path.Combine(_folder, "set.json");
        DatasetFile.Save(Sample(), path);
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var root = document.RootElement;
        Assert.Equal("latent-terrain-dataset", root.GetProperty("format").GetString());
        Assert.Equal(1, root.GetProperty("version").GetInt32());
        Assert.Equal(2, root.GetProperty("input_dims").GetInt32());
        Assert.Equal(3, root.GetProperty("latent_size").GetInt32());
        Assert.Equal(0.3f, root.GetProperty("density").GetSingle());
        var first = root.GetProperty("trajectories")[0];
        Assert.Equal("kick", first.GetProperty("name").GetString());
        Assert.Equal("along_path", first.GetProperty("placement").GetString());
        Assert.Equal(1f, first.GetProperty("path")[2][1].GetSingle());
        Assert.Equal("per_frame", root.GetProperty("trajectories")[1].GetProperty("placement").GetString());
        Assert.Equal(-0.125f, root.GetProperty("points")[0].GetProperty("latent")[2].GetSingle());
    }

    [Fact]
    public void A_hand_written_file_may_leave_out_density_names_placement_and_points()
    {
        string path = Write("hand.json", """
            {"format": "latent-terrain-dataset", "version": 1, "input_dims": 2, "latent_size": 2,
             "trajectories": [{"path": [[0, 0], [0.8, 0]], "latents": [[1, 2], [3, 4], [5, 6]]}]}
            """);
        var dataset = DatasetFile.Load(path);
        Assert.Equal(TerrainDataset.DefaultDensity, dataset.Density);
        Assert.Empty(dataset.Points);
        Assert.Equal(TrajectoryPlacement.AlongPath, dataset.Trajectories[0].Placement);
        Assert.Equal([0f, 0f, 0.4f, 0f, 0.8f, 0f], dataset.ToPairs().Coordinates);
    }

    [Fact]
    public void Saving_replaces_the_file_and_leaves_no_temporary_behind()
    {
        string path = Write("set.json", "old content");
        DatasetFile.Save(Sample(), path);
        DatasetAssert.Same(Sample(), DatasetFile.Load(path));
        Assert.Equal(["set.json"], Directory.GetFiles(_folder).Select(Path.GetFileName));
    }

    [Fact]
    public void A_failed_save_leaves_the_old_file_whole()
    {
        string path = Write("set.json", "old content");
        var error = Assert.Throws<DatasetException>(() => DatasetFile.ExportReference(new TerrainDataset(2, 8), path));
        Assert.Equal($"{path}: the dataset is empty: there is nothing to export", error.Message);
        Assert.Equal("old content", File.ReadAllText(path));
        Assert.Equal(["set.json"], Directory.GetFiles(_folder).Select(Path.GetFileName));
    }

    [Fact]
    public void Saving_into_a_missing_folder_names_the_file()
    {
        string path = Path.Combine(_folder, "nowhere", "set.json");
        var error = Assert.Throws<DatasetException>(() => DatasetFile.Save(Sample(), path));
        Assert.Equal(path, error.File);
        Assert.StartsWith("cannot be written", error.Problem);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        string path = Path.Combine(_folder, "absent.json");
        var error = Assert.Throws<DatasetException>(() => DatasetFile.Load(path));
        Assert.Equal($"{path}: no such file", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \n\t ")]
    public void An_empty_file_is_named(string text)
    {
        string path = Write("empty.json", text);
        Assert.Equal($"{path}: the file is empty", Assert.Throws<DatasetException>(() => DatasetFile.Load(path)).Message);
    }

    [Fact]
    public void Malformed_json_is_located_by_line_and_position()
    {
        string path = Write("bad.json", "{\n  \"format\": \"latent-terrain-dataset\",\n  \"version\" 1\n}");
        var error = Assert.Throws<DatasetException>(() => DatasetFile.Load(path));
        Assert.StartsWith($"{path}: malformed JSON at line 3, position 13: ", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void NaN_is_not_json_and_is_located()
    {
        string path = Write("nan.json", "{\"format\": \"latent-terrain-dataset\", \"version\": 1, \"input_dims\": 2, \"latent_size\": 1,\n"
            + "\"points\": [{\"coordinate\": [0, 0], \"latent\": [NaN]}]}");
        var error = Assert.Throws<DatasetException>(() => DatasetFile.Load(path));
        Assert.StartsWith($"{path}: malformed JSON at line 2, position 46", error.Message);
    }

    private const string Head = "\"format\": \"latent-terrain-dataset\", \"version\": 1, \"input_dims\": 2, \"latent_size\": 2";

    [Theory]
    [InlineData("[1, 2]", "the file should be an object, not an array")]
    [InlineData("{\"name\": 1}", "this is neither a latent-terrain dataset (it has no \"format\") nor a reference dictionary (it has no \"coordinates\", \"latents\" or \"anchors\")")]
    [InlineData("{\"format\": \"something-else\"}", "\"format\" is \"something-else\", expected \"latent-terrain-dataset\"")]
    [InlineData("{\"format\": \"latent-terrain-dataset\", \"version\": 2}", "format version 2 is not one this program reads (it reads 1)")]
    [InlineData("{\"format\": \"latent-terrain-dataset\", \"version\": 1, \"input_dims\": 2}", "the file has no \"latent_size\"")]
    [InlineData("{\"format\": \"latent-terrain-dataset\", \"version\": 1, \"input_dims\": 2.5, \"latent_size\": 2}", "\"input_dims\" should be a whole number, not 2.5")]
    [InlineData("{" + Head + ", \"trajectories\": {}}", "\"trajectories\" should be an array, not an object")]
    [InlineData("{" + Head + ", \"trajectories\": [{\"path\": [[0, 0]]}]}", "trajectory 1 has no \"latents\"")]
    [InlineData("{" + Head + ", \"trajectories\": [{\"path\": [[0, 0]], \"latents\": [[1, 2]]}, {\"path\": [[0, 0]], \"latents\": [[1, 2, 3, 4]]}]}",
        "trajectory 2 has latents of size 4, expected 2")]
    [InlineData("{" + Head + ", \"trajectories\": [{\"path\": [[0, \"0\"]], \"latents\": [[1, 2]]}]}", "trajectory 1 path vertex 1 value 2 should be a number, not a string")]
    [InlineData("{" + Head + ", \"trajectories\": [{\"path\": [[0, 0]], \"latents\": [[1, 2e39]]}]}", "trajectory 1 latent frame 1 value 2 is 2e39, beyond the range of a 32-bit float")]
    [InlineData("{" + Head + ", \"trajectories\": [{\"path\": [[0, 0]], \"latents\": [[1, 2]], \"placement\": \"sideways\"}]}",
        "trajectory 1 \"placement\" is \"sideways\", expected \"along_path\" or \"per_frame\"")]
    [InlineData("{" + Head + ", \"points\": [{\"coordinate\": [0, 0, 0], \"latent\": [1, 2]}]}", "point 1 coordinate has 3 dimensions, expected 2")]
    [InlineData("{" + Head + ", \"points\": [{\"latent\": [1, 2]}]}", "point 1 has no \"coordinate\"")]
    public void Bad_content_is_named_with_the_file(string text, string problem)
    {
        string path = Write("bad.json", text);
        var error = Assert.Throws<DatasetException>(() => DatasetFile.Load(path));
        Assert.Equal($"{path}: {problem}", error.Message);
    }

    [Fact]
    public void Duplicate_keys_are_refused()
    {
        string path = Write("dup.json", "{" + Head + ", \"latent_size\": 3}");
        var error = Assert.Throws<DatasetException>(() => DatasetFile.Load(path));
        Assert.StartsWith($"{path}: malformed JSON", error.Message);
    }
}
