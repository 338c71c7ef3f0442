using LatentTerrain.Engine.Maps;
using LatentTerrain.Engine.Terrain;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Maps;

public class TerrainMapTests
{
    private static readonly TerrainConfig Wavy = new() { Sigma = 1f, Width = 32, FourierFeatures = 16, LatentSize = 8, Seed = 7 };

    /// <summary>A terrain whose latent 0 is y and latent 1 is x, anywhere within ±10.</summary>
    private static TerrainNetwork YAndX()
    {
        var config = new TerrainConfig { LatentSize = 2, Width = 2, Depth = 1, Sigma = 0f };
        // Hidden = (y + 10, x + 10), positive, so PReLU passes it unchanged; output = hidden − 10.
        var tensors = new NamedTensor[]
        {
            new(TerrainNetwork.WeightName(0), [2, 2], [0f, 1f, 1f, 0f]),
            new(TerrainNetwork.BiasName(0), [2], [10f, 10f]),
            new(TerrainNetwork.SlopeName(0), [1], [0.25f]),
            new(TerrainNetwork.WeightName(1), [2, 2], [1f, 0f, 0f, 1f]),
            new(TerrainNetwork.BiasName(1), [2], [-10f, -10f]),
        };
        return TerrainNetwork.FromTensors(config, tensors.ToDictionary(t => t.Name));
    }

    private static byte Level(double t) => (byte)(Math.Clamp(t, 0, 1) * 255 + 0.5);

    /// <summary>Channel values at the pixel centres, each point evaluated on its own.</summary>
    private static float[,,] Direct(TerrainNetwork network, PlaneBounds bounds, int width, int height)
    {
        var evaluator = new TerrainEvaluator(network.Config);
        var values = new float[height, width, network.Config.LatentSize];
        var latent = new float[network.Config.LatentSize];
        for (int row = 0; row < height; row++)
            for (int column = 0; column < width; column++)
            {
                float x = (float)(bounds.XMin + (column + 0.5) * (bounds.XMax - (double)bounds.XMin) / width);
                float y = (float)(bounds.YMax - (row + 0.5) * (bounds.YMax - (double)bounds.YMin) / height);
                evaluator.Evaluate(network, [x, y], latent);
                for (int c = 0; c < latent.Length; c++) values[row, column, c] = latent[c];
            }
        return values;
    }

    private static (float Min, float Max) RangeOf(float[,,] values, int channel)
    {
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        for (int row = 0; row < values.GetLength(0); row++)
            for (int column = 0; column < values.GetLength(1); column++)
            {
                min = Math.Min(min, values[row, column, channel]);
                max = Math.Max(max, values[row, column, channel]);
            }
        return (min, max);
    }

    private static void AssertClose(int expected, int actual, string where) =>
        Assert.True(Math.Abs(expected - actual) <= 1, $"{where}: expected {expected}, got {actual}");

    [Fact]
    public void Row_zero_is_the_top_of_the_plane_and_pixels_sample_their_centres()
    {
        var map = new TerrainMap(YAndX().Config, 8, 4) { Bounds = new PlaneBounds(-4f, 4f, -2f, 2f) };
        var rows = map.Render(YAndX(), new MapStyle { Channel = 0, Range = ChannelRange.Fixed(-2f, 2f) });
        var columns = map.Render(YAndX(), new MapStyle { Channel = 1, Range = ChannelRange.Fixed(-4f, 4f) });

        for (int row = 0; row < 4; row++)
            for (int column = 0; column < 8; column++)
            {
                double y = 1.5 - row, x = -3.5 + column;
                Assert.Equal(Level((y + 2) / 4), rows.Pixels[row * 8 + column]);
                Assert.Equal(Level((x + 4) / 8), columns.Pixels[row * 8 + column]);
            }
        Assert.Equal(1.5f, map.RowY(0));
        Assert.Equal(-1.5f, map.RowY(3));
        Assert.Equal(-3.5f, map.ColumnX(0));
        Assert.Equal(3.5f, map.ColumnX(7));
    }

    [Fact]
    public void Greyscale_matches_the_terrain_evaluated_at_each_pixel_centre()
    {
        var network = TerrainNetwork.Create(Wavy);
        var bounds = new PlaneBounds(-3f, 5f, -2f, 1f);
        // 23 x 17 = 391 pixels: more than one evaluation chunk, and rows that straddle chunks.
        var map = new TerrainMap(Wavy, 23, 17) { Bounds = bounds };
        var image = map.Render(network, new MapStyle { Channel = 1, Range = ChannelRange.Automatic });

        var direct = Direct(network, bounds, 23, 17);
        var (min, max) = RangeOf(direct, 1);
        Assert.True(max - min > 0.02f, $"the terrain should vary over the map, or this test proves little ({min}..{max})");
        for (int row = 0; row < 17; row++)
            for (int column = 0; column < 23; column++)
                AssertClose(Level((direct[row, column, 1] - min) / (max - min)), image.Pixels[row * 23 + column], $"pixel ({column}, {row})");
    }

    [Fact]
    public void Automatic_range_spans_black_to_white()
    {
        var map = new TerrainMap(Wavy, 31, 9);
        var image = map.Render(TerrainNetwork.Create(Wavy), new MapStyle { Channel = 4, Range = ChannelRange.Automatic });
        Assert.Equal(0, image.Pixels.Min());
        Assert.Equal(255, image.Pixels.Max());
    }

    [Fact]
    public void A_fixed_range_clamps_what_lies_outside_it()
    {
        var network = TerrainNetwork.Create(Wavy);
        var bounds = new PlaneBounds(-3f, 5f, -2f, 1f);
        var direct = Direct(network, bounds, 20, 10);
        var (min, max) = RangeOf(direct, 2);
        float low = min + 0.25f * (max - min), high = min + 0.75f * (max - min);
        var map = new TerrainMap(Wavy, 20, 10) { Bounds = bounds };
        var image = map.Render(network, new MapStyle { Channel = 2, Range = ChannelRange.Fixed(low, high) });

        for (int row = 0; row < 10; row++)
            for (int column = 0; column < 20; column++)
                AssertClose(Level((direct[row, column, 2] - low) / (high - low)), image.Pixels[row * 20 + column], $"pixel ({column}, {row})");
        Assert.Contains((byte)0, image.Pixels);
        Assert.Contains((byte)255, image.Pixels);
    }

    [Fact]
    public void The_reference_clamp_is_the_default()
    {
        Assert.Equal(ChannelRange.Fixed(-1f, 4f), new MapStyle().Range);
        var map = new TerrainMap(YAndX().Config, 8, 4) { Bounds = new PlaneBounds(-4f, 4f, -2f, 2f) };
        var image = map.Render(YAndX(), new MapStyle());
        Assert.Equal(Level((1.5 + 1) / 5), image.Pixels[0]);
        Assert.Equal(0, image.Pixels[^1]);   // y = −1.5 lies below −1
    }

    [Fact]
    public void Colour_uses_channel_c_as_brightness_and_the_next_three_as_red_green_blue()
    {
        var network = TerrainNetwork.Create(Wavy);
        var bounds = new PlaneBounds(-3f, 5f, -2f, 1f);
        var map = new TerrainMap(Wavy, 19, 13) { Bounds = bounds };
        var image = map.Render(network, new MapStyle { Channel = 3, Format = PixelFormat.Rgb8, Range = ChannelRange.Automatic });
        Assert.Equal(19 * 13 * 3, image.Pixels.Length);

        var direct = Direct(network, bounds, 19, 13);
        var ranges = Enumerable.Range(3, 4).Select(c => RangeOf(direct, c)).ToArray();
        double Level01(int row, int column, int c) => (direct[row, column, 3 + c] - ranges[c].Min) / (ranges[c].Max - ranges[c].Min);
        for (int row = 0; row < 13; row++)
            for (int column = 0; column < 19; column++)
            {
                double brightness = Level01(row, column, 0);
                for (int rgb = 0; rgb < 3; rgb++)
                    AssertClose(Level(Level01(row, column, 1 + rgb) * brightness), image.Pixels[(row * 19 + column) * 3 + rgb],
                        $"pixel ({column}, {row}) colour {rgb}");
            }
    }

    [Fact]
    public void A_flat_channel_with_automatic_range_draws_at_half_intensity()
    {
        var config = new TerrainConfig { LatentSize = 1, Width = 16, Depth = 1, Sigma = 0f };
        var tensors = new NamedTensor[]
        {
            new(TerrainNetwork.WeightName(0), [16, 2], new float[32]),
            new(TerrainNetwork.BiasName(0), [16], new float[16]),
            new(TerrainNetwork.SlopeName(0), [1], [0.25f]),
            new(TerrainNetwork.WeightName(1), [1, 16], new float[16]),
            new(TerrainNetwork.BiasName(1), [1], [0.7f]),
        };
        var flat = TerrainNetwork.FromTensors(config, tensors.ToDictionary(t => t.Name));
        var image = new TerrainMap(config, 5, 5).Render(flat, new MapStyle { Range = ChannelRange.Automatic });
        Assert.All(image.Pixels, p => Assert.Equal(128, p));
    }

    [Fact]
    public void A_one_dimensional_terrain_draws_the_same_row_everywhere()
    {
        var config = Wavy with { InputDims = 1 };
        var image = new TerrainMap(config, 12, 4).Render(TerrainNetwork.Create(config), new MapStyle { Range = ChannelRange.Automatic });
        for (int row = 1; row < 4; row++) Assert.Equal(image.Pixels[..12], image.Pixels[(row * 12)..(row * 12 + 12)]);
        Assert.NotEqual(image.Pixels[0], image.Pixels[11]);
    }

    [Theory]
    [InlineData(3, PixelFormat.Rgb8, 0, "a colour map needs 4 latent channels (brightness, red, green, blue), this terrain has 3: draw it in grey")]
    [InlineData(8, PixelFormat.Rgb8, 6, "a colour map from channel 6 reads channels 6..9, this terrain has 0..7: start at 4 or below")]
    [InlineData(8, PixelFormat.Grey8, 8, "latent channel 8 does not exist: this terrain has channels 0..7")]
    [InlineData(8, PixelFormat.Grey8, -1, "latent channel -1 does not exist: this terrain has channels 0..7")]
    public void Channels_the_terrain_lacks_are_refused_clearly(int latentSize, PixelFormat format, int channel, string message)
    {
        var config = Wavy with { LatentSize = latentSize };
        var map = new TerrainMap(config, 4, 4);
        var error = Assert.Throws<ArgumentException>(() => map.Render(TerrainNetwork.Create(config), new MapStyle { Channel = channel, Format = format }));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void An_image_of_another_size_or_format_is_refused()
    {
        var map = new TerrainMap(Wavy, 4, 4);
        var network = TerrainNetwork.Create(Wavy);
        Assert.Throws<ArgumentException>(() => map.Render(network, new MapStyle(), new MapImage(4, 5, PixelFormat.Grey8)));
        Assert.Throws<ArgumentException>(() => map.Render(network, new MapStyle(), new MapImage(4, 4, PixelFormat.Rgb8)));
    }

    [Fact]
    public void Rendering_again_into_the_same_image_allocates_nothing()
    {
        var network = TerrainNetwork.Create(Wavy);
        var map = new TerrainMap(Wavy, 64, 48);
        var grey = new MapImage(64, 48, PixelFormat.Grey8);
        var colour = new MapImage(64, 48, PixelFormat.Rgb8);
        var greyStyle = new MapStyle { Channel = 2, Range = ChannelRange.Automatic };
        var colourStyle = new MapStyle { Channel = 1, Format = PixelFormat.Rgb8 };
        var panned = new PlaneBounds(-8f, 8f, -2f, 2f);
        for (int warmUp = 0; warmUp < 3; warmUp++)
        {
            map.Render(network, greyStyle, grey);
            map.Render(network, colourStyle, colour);
        }

        Assert.Equal(0, Allocations.Of(() =>
        {
            map.Bounds = panned;
            map.Render(network, greyStyle, grey);
            map.Render(network, colourStyle, colour);
        }));
    }

    [Fact]
    public void A_rendered_map_written_as_png_reads_back_the_same()
    {
        var map = new TerrainMap(Wavy, 40, 10);
        var image = map.Render(TerrainNetwork.Create(Wavy), new MapStyle { Format = PixelFormat.Rgb8, Range = ChannelRange.Automatic });
        string path = Path.Combine(Paths.NewScratch(), "terrain.png");
        PngWriter.Write(image, path);
        var decoded = PngReader.Read(path);
        Assert.Equal((40, 10), (decoded.Width, decoded.Height));
        Assert.Equal(image.Pixels, decoded.Pixels);
    }

    [Fact]
    public void The_default_view_is_the_reference_guis()
    {
        var map = new TerrainMap(Wavy, 4, 4);
        Assert.Equal(new PlaneBounds(-16f, 16f, -4f, 4f), map.Bounds);
    }
}
