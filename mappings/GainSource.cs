namespace LatentTerrain.Mappings;

/// <summary>What sets a cursor's gain.</summary>
public enum GainSource
{
    Pressure,
    Velocity,
    /// <summary>The strike velocity until the touch reports a pressure above 0, then the pressure: keys that start before their aftertouch does still sound.</summary>
    VelocityThenPressure,
    /// <summary>Always the top of the gain range (XY controllers, the mouse).</summary>
    Constant,
}
