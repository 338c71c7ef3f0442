using System.Text.Json;
using LatentTerrain.Controllers.Devices;
using LatentTerrain.Controllers.Mpe;

namespace LatentTerrain.Mappings;

/// <summary>Turns a profile's JSON into a <see cref="MappingProfile"/>, checking every field; errors name the source and the field's path.</summary>
internal sealed class ProfileReader(string source)
{
    private static readonly string[] ProfileFields = ["kind", "description", "x", "y", "gain", "smoothing", "glide", "mpeZones", "xy"];
    private static readonly string[] AxisFields = ["dimension", "from", "to", "curve"];
    private static readonly string[] GainFields = ["source", "to", "curve"];
    private static readonly string[] SmoothingFields = ["minCutoffHz", "beta", "derivativeCutoffHz"];
    private static readonly string[] ZoneFields = ["lower", "upper"];
    private static readonly string[] XyFields = ["x", "y", "fourteenBit", "gate"];

    public MappingProfile Profile(JsonElement root)
    {
        Fields(root, "", ProfileFields);
        var kind = Enumerated<ControllerKind>(Required(root, "kind", ""), "kind");
        string description = root.TryGetProperty("description", out var d) ? Text(d, "description") : "";
        var x = Axis(Required(root, "x", ""), "x");
        var y = Axis(Required(root, "y", ""), "y");
        var gain = Gain(Required(root, "gain", ""), "gain");
        var smoothing = Optional(root, "smoothing") is JsonElement s ? Smoothing(s, "smoothing") : null;
        int glide = Optional(root, "glide") is JsonElement g ? Whole(g, "glide", 0, 7) : 1;
        var zones = MpeZoneLayout.None;
        if (Optional(root, "mpeZones") is JsonElement z)
        {
            if (kind is not (ControllerKind.Keyboard or ControllerKind.MpeKeyboard or ControllerKind.Sensel)) throw Error("mpeZones", $"only keyboard, mpe-keyboard and sensel profiles have MPE zones, not {Names.Kind(kind)}");
            Fields(z, "mpeZones", ZoneFields);
            int lower = Optional(z, "lower") is JsonElement l ? Whole(l, "mpeZones.lower", 0, 15) : 0;
            int upper = Optional(z, "upper") is JsonElement u ? Whole(u, "mpeZones.upper", 0, 15) : 0;
            if (lower + upper > 14 && lower > 0 && upper > 0) throw Error("mpeZones", $"zones of {lower} and {upper} members need more than 16 channels (at most 14 members together)");
            zones = MpeZoneLayout.Lower(lower).WithUpper(upper);
        }
        XyAssignment? xy = null;
        if (Optional(root, "xy") is JsonElement a)
        {
            if (kind != ControllerKind.GenericXy) throw Error("xy", $"only generic-xy profiles name control changes, not {Names.Kind(kind)}");
            Fields(a, "xy", XyFields);
            int xController = Whole(Required(a, "x", "xy"), "xy.x", 0, 127), yController = Whole(Required(a, "y", "xy"), "xy.y", 0, 127);
            bool fourteenBit = Optional(a, "fourteenBit") is JsonElement f && Boolean(f, "xy.fourteenBit");
            int? gate = Optional(a, "gate") is JsonElement gateElement ? Whole(gateElement, "xy.gate", 0, 127) : null;
            try
            {
                xy = new XyAssignment(xController, yController, fourteenBit, gate);
            }
            catch (ArgumentException e)
            {
                throw Error("xy", e.Message.Split(" (Parameter")[0]);
            }
        }
        return new MappingProfile(kind, description, x, y, gain, smoothing, glide, zones, xy);
    }

    private AxisMapping Axis(JsonElement element, string path)
    {
        Fields(element, path, AxisFields);
        var dimension = Enumerated<TouchDimension>(Required(element, "dimension", path), $"{path}.dimension");
        var from = Pair(Required(element, "from", path), $"{path}.from");
        if (from.Start == from.End) throw Error($"{path}.from", $"the range {from.Start}..{from.End} is empty");
        var to = Optional(element, "to") is JsonElement t ? Pair(t, $"{path}.to") : ValueRange.Unit;
        float curve = Optional(element, "curve") is JsonElement c ? Curve(c, $"{path}.curve") : 1f;
        return new AxisMapping(dimension, from, to, curve);
    }

    private GainMapping Gain(JsonElement element, string path)
    {
        Fields(element, path, GainFields);
        var gainSource = Enumerated<GainSource>(Required(element, "source", path), $"{path}.source");
        var to = Optional(element, "to") is JsonElement t ? Pair(t, $"{path}.to") : ValueRange.Unit;
        if (to.Start is < 0 or > 1 || to.End is < 0 or > 1) throw Error($"{path}.to", $"gains are 0..1, not {to.Start}..{to.End}");
        float curve = Optional(element, "curve") is JsonElement c ? Curve(c, $"{path}.curve") : 1f;
        return new GainMapping(gainSource, to, curve);
    }

    private Smoothing Smoothing(JsonElement element, string path)
    {
        Fields(element, path, SmoothingFields);
        float minCutoff = Number(Required(element, "minCutoffHz", path), $"{path}.minCutoffHz");
        float beta = Number(Required(element, "beta", path), $"{path}.beta");
        float derivative = Optional(element, "derivativeCutoffHz") is JsonElement dc ? Number(dc, $"{path}.derivativeCutoffHz") : 1f;
        if (!(minCutoff > 0)) throw Error($"{path}.minCutoffHz", $"must be above 0 Hz, not {minCutoff}");
        if (!(beta >= 0)) throw Error($"{path}.beta", $"must be 0 or more, not {beta}");
        if (!(derivative > 0)) throw Error($"{path}.derivativeCutoffHz", $"must be above 0 Hz, not {derivative}");
        return new Smoothing(minCutoff, beta, derivative);
    }

    private void Fields(JsonElement element, string path, string[] known)
    {
        if (element.ValueKind != JsonValueKind.Object) throw Error(path == "" ? "(top level)" : path, $"expected an object, found {Kind(element)}");
        foreach (var property in element.EnumerateObject())
            if (!known.Contains(property.Name))
                throw Error(Join(path, property.Name), $"unknown field (known: {string.Join(", ", known)})");
    }

    private JsonElement Required(JsonElement element, string name, string path) =>
        element.TryGetProperty(name, out var value) ? value : throw Error(Join(path, name), "missing");

    private static JsonElement? Optional(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private T Enumerated<T>(JsonElement element, string path) where T : struct, Enum
    {
        string text = Text(element, path);
        return Names.Parse<T>(text, out string all) ?? throw Error(path, $"'{text}' is not one of {all}");
    }

    private ValueRange Pair(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() != 2) throw Error(path, $"expected two numbers [start, end], found {Kind(element)}");
        return new ValueRange(Number(element[0], $"{path}[0]"), Number(element[1], $"{path}[1]"));
    }

    private float Curve(JsonElement element, string path)
    {
        float curve = Number(element, path);
        return curve is > 0 and <= 10 ? curve : throw Error(path, $"a response curve's exponent is above 0 and at most 10, not {curve}");
    }

    private float Number(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetSingle(out float value) && float.IsFinite(value)) return value;
        throw Error(path, $"expected a finite number, found {Kind(element)}");
    }

    private int Whole(JsonElement element, string path, int min, int max)
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out int value) && value >= min && value <= max) return value;
        throw Error(path, $"expected a whole number {min}..{max}, found {Kind(element)}");
    }

    private bool Boolean(JsonElement element, string path) => element.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw Error(path, $"expected true or false, found {Kind(element)}"),
    };

    private string Text(JsonElement element, string path) =>
        element.ValueKind == JsonValueKind.String ? element.GetString()! : throw Error(path, $"expected a string, found {Kind(element)}");

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Number or JsonValueKind.String or JsonValueKind.True or JsonValueKind.False => element.GetRawText(),
        JsonValueKind.Array => $"an array of {element.GetArrayLength()}",
        JsonValueKind.Object => "an object",
        _ => "null",
    };

    private static string Join(string path, string name) => path == "" ? name : $"{path}.{name}";

    private MappingProfileException Error(string field, string what) => new($"{source}: field '{field}': {what}");
}
