using LatentTerrain.Controllers.Devices;
using LatentTerrain.Mappings;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Mappings;

public class MappingProfileTests
{
    private readonly string _folder = Paths.NewScratch();

    [Fact]
    public void EveryKindHasAShippedDefault()
    {
        foreach (var kind in Enum.GetValues<ControllerKind>())
            Assert.Equal(kind, MappingProfile.Default(kind).Kind);
        Assert.Equal(15, MappingProfile.Default(ControllerKind.MpeKeyboard).MpeZones.LowerMembers);
        Assert.False(MappingProfile.Default(ControllerKind.Keyboard).MpeZones.IsMpe);
        Assert.NotNull(MappingProfile.Default(ControllerKind.Sensel).Smoothing);
    }

    [Fact]
    public void AProfileFileIsRead()
    {
        string path = Write("""
            { "kind": "generic-xy", "x": { "dimension": "y", "from": [1, 0], "to": [0.25, 0.75], "curve": 2 },
              "y": { "dimension": "pressure", "from": [0, 1] }, "gain": { "source": "velocity" },
              "smoothing": { "minCutoffHz": 1, "beta": 0.5 }, "xy": { "x": 1, "y": 2, "fourteenBit": true, "gate": 64 } }
            """);
        var profile = MappingProfile.Load(path);
        Assert.Equal(new AxisMapping(TouchDimension.Y, new ValueRange(1, 0), new ValueRange(0.25f, 0.75f), 2), profile.X);
        Assert.Equal(new XyAssignment(1, 2, true, 64), profile.Xy);
        Assert.Equal(new Smoothing(1, 0.5f, 1), profile.Smoothing);
    }

    [Theory]
    [InlineData("""{ "kind": "piano" }""", "field 'kind': 'piano' is not one of keyboard, mpe-keyboard")]
    [InlineData("""{ "kind": "mouse", "y": {}, "gain": {} }""", "field 'x': missing")]
    [InlineData("""{ "kind": "mouse", "x": { "dimension": "x", "from": [0] }, "y": {}, "gain": {} }""", "field 'x.from': expected two numbers")]
    [InlineData("""{ "kind": "mouse", "x": { "dimension": "x", "from": [0, 1], "curve": -1 }, "y": {}, "gain": {} }""", "field 'x.curve': a response curve's exponent")]
    [InlineData("""{ "kind": "mouse", "x": { "dimension": "z", "from": [0, 1] } }""", "field 'x.dimension': 'z' is not one of x, y, pressure, velocity")]
    [InlineData("""{ "kind": "mouse", "colour": 1 }""", "field 'colour': unknown field")]
    [InlineData("""{ "kind": "mouse", "x": { "dimension": "x", "from": [0, 1] }, "y": { "dimension": "x", "from": [0, 1] }, "gain": { "source": "constant", "to": [0, 2] } }""", "field 'gain.to': gains are 0..1")]
    [InlineData("""{ "kind": "launchpad", "x": { "dimension": "x", "from": [0, 1] }, "y": { "dimension": "x", "from": [0, 1] }, "gain": { "source": "constant" }, "mpeZones": { "lower": 3 } }""", "field 'mpeZones': only keyboard")]
    [InlineData("{ \"kind\": \"mouse\",\n  \"x\": [1, }", "line 2: not valid JSON")]
    public void AMalformedProfileIsOneLineNamingTheFileAndTheField(string json, string message)
    {
        string path = Write(json);
        var e = Assert.Throws<MappingProfileException>(() => MappingProfile.Load(path));
        Assert.StartsWith($"{path}: ", e.Message);
        Assert.Contains(message, e.Message);
        Assert.DoesNotContain('\n', e.Message);

        var fallback = MappingProfile.LoadOrDefault(path, ControllerKind.Launchpad, out string? problem);
        Assert.Equal(MappingProfile.Default(ControllerKind.Launchpad), fallback);
        Assert.Contains(message, problem);
        Assert.EndsWith("using the default launchpad profile", problem);
    }

    [Fact]
    public void AMissingFileIsNamed()
    {
        var e = Assert.Throws<MappingProfileException>(() => MappingProfile.Load(Path.Combine(_folder, "none.json")));
        Assert.EndsWith("none.json: no such file", e.Message);
    }

    private string Write(string json)
    {
        string path = Path.Combine(_folder, "profile.json");
        File.WriteAllText(path, json);
        return path;
    }
}
