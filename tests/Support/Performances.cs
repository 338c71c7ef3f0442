using LatentTerrain.Engine.Rendering;

namespace LatentTerrain.Tests.Support;

/// <summary>Gestures for the live tests and measurements.</summary>
public static class Performances
{
    /// <summary>Cursors circling the default plane at different speeds, each lifted and set down again now and then (unless not <paramref name="lifting"/>).</summary>
    public static Gesture Circling(int voices, double seconds, bool lifting = true)
    {
        var events = new List<GestureEvent>();
        for (int step = 0; step * 0.01 <= seconds; step++)
        {
            double t = step * 0.01;
            for (int v = 0; v < voices; v++)
            {
                bool lifted = lifting && (t + 0.37 * v) % 2.5 > 2.2;
                events.Add(lifted
                    ? new GestureEvent(t, v, 0f, 0f, 0f)
                    : new GestureEvent(t, v, (float)(12 * Math.Sin(0.7 * t + v)), (float)(3 * Math.Cos(0.45 * t + 0.7 * v)), 0.8f));
            }
        }
        return new Gesture(events);
    }
}
