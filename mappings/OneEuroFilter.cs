namespace LatentTerrain.Mappings;

/// <summary>
/// The one-euro filter (Casiez et al. 2012): a low-pass whose cutoff rises with speed, so a still
/// finger does not jitter and a fast one does not lag. A value type, one per cursor axis,
/// allocation-free. The first value after <see cref="Reset"/> passes unchanged.
/// </summary>
public struct OneEuroFilter(Smoothing settings)
{
    /// <summary>Values closer in time than this are filtered as if this far apart (one packet can carry several messages).</summary>
    private const double MinimumStep = 1e-3;

    private bool _started;
    private double _lastTime;
    private float _value, _speed;

    public void Reset() => _started = false;

    public float Filter(float value, double time)
    {
        if (!_started)
        {
            (_started, _value, _speed, _lastTime) = (true, value, 0f, time);
            return value;
        }
        double step = Math.Max(time - _lastTime, MinimumStep);
        _lastTime = Math.Max(time, _lastTime);
        float speed = (float)((value - _value) / step);
        _speed += Alpha(settings.DerivativeCutoffHz, step) * (speed - _speed);
        float cutoff = settings.MinCutoffHz + settings.Beta * MathF.Abs(_speed);
        _value += Alpha(cutoff, step) * (value - _value);
        return _value;
    }

    private static float Alpha(float cutoffHz, double step) => (float)(1.0 / (1.0 + 1.0 / (2 * Math.PI * cutoffHz * step)));
}
