using System.Runtime.CompilerServices;
using LatentTerrain.Engine.Terrain;

namespace LatentTerrain.Engine.Maps;

/// <summary>
/// Draws a terrain as an image: a Width × Height grid over <see cref="Bounds"/>, each pixel the
/// terrain evaluated at the pixel's centre. One map belongs to one thread (the UI's, or the
/// <c>map</c> command's); it keeps its evaluator and buffers, so rendering again into the same
/// <see cref="MapImage"/> allocates nothing.
/// </summary>
/// <remarks>
/// Column i covers x from XMin + i·w to XMin + (i+1)·w, with w = (XMax − XMin) / Width; row 0 is
/// the top of the plane (y = YMax). A one-dimensional terrain reads only x, so every row is the
/// same; input dimensions beyond the second are held at 0, a flat slice through the space.
/// </remarks>
public sealed class TerrainMap
{
    /// <summary>Pixels evaluated per pass: enough to keep the matrix kernels busy, small enough to stay in cache.</summary>
    private const int Chunk = 256;

    private readonly TerrainEvaluator _evaluator;
    private readonly float[] _coordinates;
    private readonly float[] _latents;
    /// <summary>The drawn channels over the whole grid, channel-major; grows once if a colour style follows a grey one.</summary>
    private float[] _planes = [];
    private PlaneBounds _bounds = PlaneBounds.Default;

    public TerrainMap(TerrainConfig config, int width, int height)
    {
        if (width < 1 || height < 1) throw new ArgumentOutOfRangeException(nameof(width), $"a map needs at least one pixel, not {width} x {height}");
        _evaluator = new TerrainEvaluator(config, Chunk);
        Width = width;
        Height = height;
        _coordinates = new float[Chunk * config.InputDims];
        _latents = new float[Chunk * config.LatentSize];
    }

    /// <summary>The shape of the terrains this map can draw.</summary>
    public TerrainConfig Config => _evaluator.Config;
    public int Width { get; }
    public int Height { get; }

    /// <summary>The rectangle of the plane drawn; <see cref="PlaneBounds.Default"/> until changed (panning and zooming cost nothing).</summary>
    public PlaneBounds Bounds
    {
        get => _bounds;
        set => _bounds = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>The x of the centre of pixel column <paramref name="column"/>.</summary>
    public float ColumnX(int column) => (float)(_bounds.XMin + (column + 0.5) * ((double)_bounds.XMax - _bounds.XMin) / Width);

    /// <summary>The y of the centre of pixel row <paramref name="row"/> (row 0 at the top).</summary>
    public float RowY(int row) => (float)(_bounds.YMax - (row + 0.5) * ((double)_bounds.YMax - _bounds.YMin) / Height);

    /// <summary>Renders into a new image of the style's format.</summary>
    public MapImage Render(TerrainNetwork network, MapStyle style)
    {
        var image = new MapImage(Width, Height, style.Format);
        Render(network, style, image);
        return image;
    }

    /// <summary>
    /// Evaluates <paramref name="network"/> over the grid and draws it into <paramref name="image"/>,
    /// which must have this map's size and the style's format. Throws <see cref="ArgumentException"/>
    /// when the terrain has another shape or lacks the channels the style reads.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Render(TerrainNetwork network, MapStyle style, MapImage image)
    {
        CheckChannels(style);
        if (image.Width != Width || image.Height != Height || image.Format != style.Format)
            throw new ArgumentException($"the image is {image.Width} x {image.Height} {image.Format}, the map draws {Width} x {Height} {style.Format}");
        int pixels = Width * Height;
        if (_planes.Length < pixels * style.ChannelCount) _planes = new float[pixels * style.ChannelCount];
        Evaluate(network, style);

        if (style.Format == PixelFormat.Grey8) DrawGrey(style.Range, image.Pixels, pixels);
        else DrawColour(style.Range, image.Pixels, pixels);
    }

    private void DrawGrey(ChannelRange range, byte[] grey, int pixels)
    {
        var values = Plane(0, pixels);
        var level = Normaliser.For(values, range);
        for (int p = 0; p < pixels; p++) grey[p] = Byte(level.Apply(values[p]));
    }

    private void DrawColour(ChannelRange range, byte[] rgb, int pixels)
    {
        ReadOnlySpan<float> brightness = Plane(0, pixels), red = Plane(1, pixels), green = Plane(2, pixels), blue = Plane(3, pixels);
        var (l, r, g, b) = (Normaliser.For(brightness, range), Normaliser.For(red, range), Normaliser.For(green, range), Normaliser.For(blue, range));
        for (int p = 0; p < pixels; p++)
        {
            float level = l.Apply(brightness[p]);
            rgb[3 * p] = Byte(r.Apply(red[p]) * level);
            rgb[3 * p + 1] = Byte(g.Apply(green[p]) * level);
            rgb[3 * p + 2] = Byte(b.Apply(blue[p]) * level);
        }
    }

    private void CheckChannels(MapStyle style)
    {
        int size = Config.LatentSize, first = style.Channel, last = first + style.ChannelCount - 1;
        if (style.Format == PixelFormat.Rgb8 && size < style.ChannelCount)
            throw new ArgumentException($"a colour map needs {style.ChannelCount} latent channels (brightness, red, green, blue), this terrain has {size}: draw it in grey");
        if (first >= 0 && last < size) return;
        throw new ArgumentException(style.ChannelCount == 1
            ? $"latent channel {first} does not exist: this terrain has channels 0..{size - 1}"
            : $"a colour map from channel {first} reads channels {first}..{last}, this terrain has 0..{size - 1}: start at {size - style.ChannelCount} or below");
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Evaluate(TerrainNetwork network, MapStyle style)
    {
        int dims = Config.InputDims, size = Config.LatentSize, pixels = Width * Height;
        for (int start = 0; start < pixels; start += Chunk)
        {
            int count = Math.Min(Chunk, pixels - start);
            for (int i = 0; i < count; i++)
            {
                int pixel = start + i;
                _coordinates[i * dims] = ColumnX(pixel % Width);
                if (dims > 1) _coordinates[i * dims + 1] = RowY(pixel / Width);
            }
            _evaluator.Evaluate(network, _coordinates.AsSpan(0, count * dims), _latents);
            for (int c = 0; c < style.ChannelCount; c++)
            {
                var plane = _planes.AsSpan(c * pixels + start, count);
                for (int i = 0; i < count; i++) plane[i] = _latents[i * size + style.Channel + c];
            }
        }
    }

    private ReadOnlySpan<float> Plane(int channel, int pixels) => _planes.AsSpan(channel * pixels, pixels);

    private static byte Byte(float level) => (byte)(level * 255f + 0.5f);

    /// <summary>Maps latent values of one channel to levels in [0, 1].</summary>
    private readonly struct Normaliser
    {
        private readonly float _min, _scale;
        private readonly bool _flat;

        private Normaliser(float min, float max, bool flat) => (_min, _scale, _flat) = (min, flat ? 0f : 1f / (max - min), flat);

        public static Normaliser For(ReadOnlySpan<float> values, ChannelRange range)
        {
            if (!range.IsAutomatic) return new Normaliser(range.Min, range.Max, flat: false);
            float min = float.PositiveInfinity, max = float.NegativeInfinity;
            foreach (float v in values)
            {
                // NaN fails both comparisons, so a broken pixel does not spoil the range of the rest.
                if (v < min) min = v;
                if (v > max) max = v;
            }
            // A range too narrow for float to divide by is as good as flat.
            return new Normaliser(min, max, flat: !(max > min && float.IsFinite(1f / (max - min))));
        }

        public float Apply(float value)
        {
            if (float.IsNaN(value)) return 0f;
            if (_flat) return 0.5f;
            return Math.Clamp((value - _min) * _scale, 0f, 1f);
        }
    }
}
