namespace LatentTerrain.Engine.Maps;

/// <summary>A rectangle of the control plane, in control units.</summary>
public sealed record PlaneBounds
{
    public PlaneBounds(float xMin, float xMax, float yMin, float yMax)
    {
        if (!(float.IsFinite(xMin) && float.IsFinite(xMax) && xMin < xMax))
            throw new ArgumentException($"x must run from a smaller to a larger finite number, not {xMin}..{xMax}");
        if (!(float.IsFinite(yMin) && float.IsFinite(yMax) && yMin < yMax))
            throw new ArgumentException($"y must run from a smaller to a larger finite number, not {yMin}..{yMax}");
        (XMin, XMax, YMin, YMax) = (xMin, xMax, yMin, yMax);
    }

    /// <summary>
    /// The reference GUI's view, x −16..16 and y −4..4. The instrument keeps the reference's
    /// control units (its terrains, its dictionaries, the 0.4 latent density and the 0.1 Fourier
    /// scale are all sized for them), so the same view shows the same terrain. At those sizes a
    /// 4-second fragment (86 RAVE frames) spans 34 units of path and the default terrain's
    /// features are several units wide: a plane of ±1 would show a nearly flat patch.
    /// </summary>
    public static PlaneBounds Default { get; } = new(-16f, 16f, -4f, 4f);

    public float XMin { get; }
    public float XMax { get; }
    public float YMin { get; }
    public float YMax { get; }
    public float Width => XMax - XMin;
    public float Height => YMax - YMin;
}
