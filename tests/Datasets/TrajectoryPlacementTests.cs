using LatentTerrain.Engine.Datasets;

namespace LatentTerrain.Tests.Datasets;

public class TrajectoryPlacementTests
{
    private static float[][] Frames(int count, int size = 2) =>
        [.. Enumerable.Range(0, count).Select(f => Enumerable.Repeat((float)f, size).ToArray())];

    private static void AssertPoints(float[][] expected, float[][] actual, float tolerance = 1e-6f)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].Length, actual[i].Length);
            for (int d = 0; d < expected[i].Length; d++)
                Assert.True(Math.Abs(expected[i][d] - actual[i][d]) <= tolerance,
                    $"point {i} dimension {d}: expected {expected[i][d]}, got {actual[i][d]}");
        }
    }

    [Fact]
    public void Points_on_a_straight_path_are_density_apart_and_the_path_limits_the_count()
    {
        var trajectory = new Trajectory([[0f, 0f], [4f, 0f]], Frames(100));
        var points = trajectory.PlacePoints(0.4f);
        // 4 units at 0.4 apart: 0, 0.4, ..., 4.0; the other 89 frames have no place on the path.
        AssertPoints([.. Enumerable.Range(0, 11).Select(k => new[] { 0.4f * k, 0f })], points);
        for (int k = 1; k < points.Length; k++) Assert.Equal(0.4f, points[k][0] - points[k - 1][0], 1e-6f);
    }

    [Fact]
    public void The_usable_length_is_capped_at_density_times_frames_minus_one()
    {
        var points = new Trajectory([[0f, 0f], [10f, 0f]], Frames(5)).PlacePoints(0.4f);
        AssertPoints([[0f, 0f], [0.4f, 0f], [0.8f, 0f], [1.2f, 0f], [1.6f, 0f]], points);
    }

    [Fact]
    public void Spacing_is_measured_along_the_path_through_corners()
    {
        var points = new Trajectory([[0f, 0f], [1f, 0f], [1f, 1f]], Frames(10)).PlacePoints(0.4f);
        AssertPoints([[0f, 0f], [0.4f, 0f], [0.8f, 0f], [1f, 0.2f], [1f, 0.6f], [1f, 1f]], points);
    }

    [Fact]
    public void Zero_length_segments_add_nothing()
    {
        var points = new Trajectory([[0f, 0f], [0f, 0f], [1f, 0f], [1f, 0f], [1f, 1f]], Frames(10)).PlacePoints(0.4f);
        AssertPoints([[0f, 0f], [0.4f, 0f], [0.8f, 0f], [1f, 0.2f], [1f, 0.6f], [1f, 1f]], points);
    }

    [Fact]
    public void A_path_that_is_not_a_whole_number_of_spacings_stops_at_the_last_whole_one()
    {
        var points = new Trajectory([[0f, 0f], [1f, 0f]], Frames(10)).PlacePoints(0.4f);
        AssertPoints([[0f, 0f], [0.4f, 0f], [0.8f, 0f]], points);
    }

    [Fact]
    public void A_path_drawn_exactly_n_spacings_long_keeps_its_last_point_despite_float_rounding()
    {
        // 1.9f − 0.3f is not exactly 1.6 in float, nor is 0.4f exactly 0.4.
        var points = new Trajectory([[0.3f, 0f], [1.9f, 0f]], Frames(10)).PlacePoints(0.4f);
        Assert.Equal(5, points.Length);
        Assert.Equal(1.9f, points[^1][0], 1e-6f);
    }

    [Fact]
    public void Spacing_is_euclidean_in_more_than_two_dimensions()
    {
        var points = new Trajectory([[0f, 0f, 0f], [0f, 3f, 4f]], Frames(20, 3)).PlacePoints(1f);
        AssertPoints([.. Enumerable.Range(0, 6).Select(k => new[] { 0f, 0.6f * k, 0.8f * k })], points);
    }

    [Fact]
    public void A_single_vertex_gives_one_point_for_the_first_frame()
    {
        var points = new Trajectory([[2f, 3f]], Frames(5)).PlacePoints();
        AssertPoints([[2f, 3f]], points);
    }

    [Fact]
    public void Coinciding_vertices_give_one_point()
    {
        var points = new Trajectory([[2f, 3f], [2f, 3f], [2f, 3f]], Frames(5)).PlacePoints();
        AssertPoints([[2f, 3f]], points);
    }

    [Fact]
    public void One_frame_gives_one_point_at_the_start_of_the_path()
    {
        var points = new Trajectory([[1f, 1f], [5f, 1f]], Frames(1)).PlacePoints();
        AssertPoints([[1f, 1f]], points);
    }

    [Fact]
    public void No_frames_give_no_points()
    {
        Assert.Empty(new Trajectory([[1f, 1f], [5f, 1f]], []).PlacePoints());
    }

    [Fact]
    public void Per_frame_paths_pair_vertex_i_with_frame_i_and_truncate_either_side()
    {
        float[][] path = [[0f, 0f], [5f, 5f], [-1f, 2f]];
        AssertPoints(path[..2], new Trajectory(path, Frames(2), TrajectoryPlacement.PerFrame).PlacePoints(0.4f));
        AssertPoints(path, new Trajectory(path, Frames(7), TrajectoryPlacement.PerFrame).PlacePoints(0.4f));
    }

    [Fact]
    public void Placed_points_are_copies()
    {
        float[][] path = [[0f, 0f], [5f, 5f]];
        var points = new Trajectory(path, Frames(2), TrajectoryPlacement.PerFrame).PlacePoints();
        points[0][0] = 99f;
        Assert.Equal(0f, path[0][0]);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-0.4f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void Density_must_be_a_positive_number(float density)
    {
        var trajectory = new Trajectory([[0f, 0f], [1f, 0f]], Frames(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => trajectory.PlacePoints(density));
    }

    [Fact]
    public void Length_is_the_sum_of_the_segments()
    {
        Assert.Equal(2.0, new Trajectory([[0f, 0f], [1f, 0f], [1f, 1f]], []).Length(), 1e-12);
        Assert.Equal(0.0, new Trajectory([[3f, 3f]], []).Length());
    }
}
