namespace LatentTerrain.Controllers.Touches;

/// <summary>Receives a controller's touches, on the thread that feeds the controller (a mapping, or a test's list).</summary>
public interface ITouchSink
{
    void Touch(in Touch touch);
}
