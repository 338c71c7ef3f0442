using LatentTerrain.Controllers.Touches;

namespace LatentTerrain.Tests.Controllers;

/// <summary>Keeps every touch a controller emits, for the tests to read.</summary>
internal sealed class TouchLog : ITouchSink
{
    public List<Touch> Touches { get; } = [];

    public void Touch(in Touch touch) => Touches.Add(touch);

    public Touch Last => Touches[^1];

    public static byte[] Hex(string text) => Convert.FromHexString(text.Replace(" ", ""));
}
