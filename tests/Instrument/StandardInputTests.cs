using LatentTerrain.Engine.Synthesis;
using LatentTerrain.Instrument.Actions;
using LatentTerrain.Instrument.CommandLine;
using LatentTerrain.Mappings;

namespace LatentTerrain.Tests.Instrument;

/// <summary><c>terrain play</c>'s typed cursors: <c>FINGER X Y PRESSURE</c> lines, beside the MIDI controllers.</summary>
public sealed class StandardInputTests
{
    private readonly CursorBoard _board = new();
    private readonly CursorAllocator _allocator = new();
    private readonly StringWriter _errors = new();

    private Cursor[] Active => Enumerable.Range(0, CursorBoard.Capacity).Select(_board.Read).Where(cursor => cursor.Active).ToArray();

    [Fact]
    public void A_line_moves_a_finger_and_pressure_zero_lifts_it()
    {
        var input = new StandardInput(new PlayActions(_board, _allocator), _errors);

        input.Apply("0 -8 1 0.9");
        input.Apply("3, 2.5, -1, 0.5");
        Assert.Equal([new Cursor(-8f, 1f, 0.9f, true), new Cursor(2.5f, -1f, 0.5f, true)], Active);
        input.Apply("0 -7 1 0.9");
        input.Apply("3 0 0 0");

        Assert.Equal([new Cursor(-7f, 1f, 0.9f, true)], Active);
        Assert.Equal("", _errors.ToString());
    }

    /// <summary>A controller's touch holds slot 0: a typed finger takes another and lifting it leaves the touch sounding.</summary>
    [Fact]
    public void A_typed_finger_never_takes_a_controllers_cursor()
    {
        int touch = _allocator.Claim(1L << 32);
        _board.Move(touch, 5f, 0f, 1f);
        var input = new StandardInput(new PlayActions(_board, _allocator), _errors);

        input.Apply("0 -8 1 0.9");
        Assert.Equal(2, Active.Length);
        input.Apply("0 -8 1 0");

        Assert.Equal([new Cursor(5f, 0f, 1f, true)], Active);
        Assert.True(_allocator.Owns(touch, 1L << 32));
    }

    [Theory]
    [InlineData("16 0 0 1")]
    [InlineData("0 0 0 1.5")]
    [InlineData("0 NaN 0 1")]
    [InlineData("zero 0 0 1")]
    [InlineData("0 0 1")]
    public void A_malformed_line_is_reported_in_one_line_and_skipped(string line)
    {
        var input = new StandardInput(new PlayActions(_board, _allocator), _errors);

        input.Apply(line);

        Assert.Empty(Active);
        Assert.Equal($"terrain play: ignored '{line}': expected FINGER X Y PRESSURE (finger 0..15, pressure 0..1), help or quit (docs/actions.md)\n", _errors.ToString().Replace("\r\n", "\n"));
    }

    [Fact]
    public void Model_hands_the_rest_of_the_line_to_the_switch()
    {
        var asked = new List<string>();
        var input = new StandardInput(new PlayActions(_board, _allocator, name => { asked.Add(name); return $"now playing {name}"; }), _errors);

        input.Apply("model builtin");
        input.Apply("  model   my models/rave v2.ts ");

        Assert.Equal(["builtin", "my models/rave v2.ts"], asked);
        Assert.Equal("", _errors.ToString());
    }

    [Fact]
    public void A_model_that_fails_is_one_line_and_the_cursors_play_on()
    {
        var input = new StandardInput(new PlayActions(_board, _allocator, name => throw new ArgumentException($"{name} has 16 latents but the terrain gives 8")), _errors);

        input.Apply("0 -8 1 0.9");
        input.Apply("model big.ts");
        input.Apply("0 -7 1 0.9");

        Assert.Equal("terrain play: model big.ts: big.ts has 16 latents but the terrain gives 8\n", _errors.ToString().Replace("\r\n", "\n"));
        Assert.Equal([new Cursor(-7f, 1f, 0.9f, true)], Active);
    }

    [Fact]
    public void Reading_stops_at_quit()
    {
        var input = StandardInput.Start(new StringReader("0 1 1 1\nquit\n1 2 2 1\n"), new PlayActions(_board, _allocator), _errors);

        SpinWait.SpinUntil(() => input.Ended, TimeSpan.FromSeconds(5));
        Assert.True(input.Quit);
        Assert.Equal([new Cursor(1f, 1f, 1f, true)], Active);
    }

    /// <summary>The interface's mouse and keyboard cursors are fingers of their own: they never take a typed finger's cursor.</summary>
    [Fact]
    public void The_interfaces_fingers_are_apart_from_typed_ones()
    {
        var actions = new PlayActions(_board, _allocator);
        LatentTerrain.Tui.IPerformer performer = actions;

        actions.Apply("0 -8 1 0.9");
        performer.Touch(LatentTerrain.Tui.IPerformer.MouseFinger, 3f, 0f, 1f);
        Assert.Equal(2, Active.Length);
        performer.Lift(LatentTerrain.Tui.IPerformer.MouseFinger);

        Assert.Equal([new Cursor(-8f, 1f, 0.9f, true)], Active);
        Assert.Equal("finger 0 lifted", performer.Perform("0 0 0 0"));
        Assert.Empty(Active);
        Assert.StartsWith("ignored 'jump': expected FINGER X Y PRESSURE", performer.Perform("jump"));
    }
}
