using LatentTerrain.Instrument.Actions;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Instrument;

/// <summary>
/// MIDI learn with a fake performer that keeps the lines: what a bound control performs, what it
/// consumes and what it lets pass. Disposing it performs everything queued, so the tests read the
/// lines after it without waiting.
/// </summary>
public sealed class MidiLearnTests : IDisposable
{
    private const string Nano = "nano:nanoKONTROL2 MIDI 1";
    private readonly List<string> _performed = [];
    private readonly StringWriter _answers = new();
    private readonly MidiLearn _learn;

    public MidiLearnTests() => _learn = new MidiLearn(line =>
    {
        lock (_performed) _performed.Add(line);
        return "done";
    }, _answers);

    public void Dispose() => _learn.Dispose();

    [Fact]
    public void A_CC_learnt_for_train_starts_and_stops_training_on_each_press()
    {
        Assert.Equal(ActionAnswer.Done("move a control to bind it to 'train'"), _learn.Learn("  train "));
        Assert.Equal("train", _learn.Learning);

        Assert.True(Offer("B0 14 7F"));        // binds CC 20; performs nothing
        Assert.Null(_learn.Learning);
        Assert.True(Offer("B0 14 00"));        // the learning press's release
        Assert.True(Offer("B0 14 7F"));        // press: train
        Assert.True(Offer("B0 14 50"));        // still pressed
        Assert.True(Offer("B0 14 3F"));        // release
        Assert.True(Offer("B0 14 40"));        // press, at 64: stop
        Assert.True(Offer("B0 14 00", "B0 14 7F"));
        _learn.Dispose();

        Assert.Equal(["train", "stop", "train"], _performed);
        Assert.Equal([
            $"CC 20 ch 1 on '{Nano}' -> train",
            "CC 20 -> train: done",
            "CC 20 -> stop: done",
            "CC 20 -> train: done",
        ], Lines());
    }

    [Fact]
    public void A_note_learnt_for_recall_is_a_drum_pad_played_with_its_velocity()
    {
        _learn.Learn("recall 3");
        Assert.True(Offer("99 24 64", "89 24 00"));   // note 36 on channel 10 binds; its release performs nothing
        Assert.True(Offer("99 24 64", "99 24 00", "99 24 7F", "89 24 40"));
        _learn.Dispose();

        Assert.Equal(["recall 3 0.79", "recall 3 0", "recall 3 1", "recall 3 0"], _performed);
        Assert.Equal($"note 36 ch 10 on '{Nano}' -> recall 3", Assert.Single(_learn.Bindings).ToString());
    }

    /// <summary>A pad learnt for `draw N` draws while it is held: its press starts the pen, its release ends it.</summary>
    [Fact]
    public void A_pad_learnt_for_draw_draws_while_held()
    {
        _learn.Import([new MidiBinding(Nano, 1, MidiControlKind.Note, 40, "draw 2")]);
        Assert.True(Offer("90 28 50", "80 28 00", "90 28 7F", "90 28 00"));
        _learn.Dispose();

        Assert.Equal(["draw 2", "draw stop", "draw 2", "draw stop"], _performed);
    }

    [Fact]
    public void A_recall_learnt_with_a_pressure_plays_that_pressure_and_a_CC_pad_its_value()
    {
        _learn.Import([
            new MidiBinding(Nano, 1, MidiControlKind.Note, 60, "recall 1 0.5"),
            new MidiBinding(Nano, 1, MidiControlKind.ControlChange, 30, "recall 2"),
        ]);
        Assert.True(Offer("90 3C 10", "80 3C 00", "B0 1E 60", "B0 1E 70", "B0 1E 00"));
        _learn.Dispose();

        Assert.Equal(["recall 1 0.5", "recall 1 0", "recall 2 0.76", "recall 2 0"], _performed);
    }

    [Theory]
    [InlineData("fragment record", "fragment stop")]
    [InlineData("play path 2 loop", "play stop")]
    [InlineData("play fragment 1", "play stop")]
    [InlineData("stop", "train")]
    [InlineData("train 50", "stop")]
    public void Toggles_perform_the_action_and_its_opposite_in_turn(string action, string opposite)
    {
        _learn.Import([new MidiBinding(Nano, 1, MidiControlKind.Note, 40, action)]);
        Assert.True(Offer("90 28 7F", "80 28 00", "90 28 7F", "80 28 00", "90 28 7F"));
        _learn.Dispose();

        Assert.Equal([action, opposite, action], _performed);
    }

    [Fact]
    public void Other_actions_are_performed_on_each_press_only()
    {
        _learn.Import([new MidiBinding(Nano, 1, MidiControlKind.ControlChange, 7, "undo")]);
        Assert.True(Offer("B0 07 7F", "B0 07 00", "B0 07 7F", "B0 07 7F", "B0 07 10"));
        _learn.Dispose();

        Assert.Equal(["undo", "undo"], _performed);
    }

    [Fact]
    public void Only_the_bound_control_is_consumed_and_everything_else_goes_on_to_the_mappings()
    {
        _learn.Import([new MidiBinding(Nano, 1, MidiControlKind.ControlChange, 20, "train")]);

        Assert.True(Offer("B0 14 7F"));
        Assert.False(_learn.Offer("other:port", Bytes("B0 14 7F")));
        Assert.False(Offer("B1 14 7F"));        // channel 2
        Assert.False(Offer("B0 15 7F"));        // CC 21
        Assert.False(Offer("90 14 7F"));        // note 20
        Assert.False(Offer("80 14 00"));
        Assert.False(Offer("E0 00 40"));        // pitch bend
        Assert.False(Offer("D0 40"));           // channel pressure
        Assert.False(Offer("F0 7E 7F 06 01 F7"));
        _learn.Dispose();

        Assert.Equal(["train"], _performed);
    }

    [Fact]
    public void While_learning_a_note_off_or_pitch_bend_binds_nothing_and_plays_on()
    {
        _learn.Learn("undo");
        Assert.False(Offer("80 3C 00"));
        Assert.False(Offer("90 3C 00"));        // a note-on of velocity 0 is a note-off
        Assert.False(Offer("E0 00 40"));
        Assert.Equal("undo", _learn.Learning);
        Assert.True(Offer("90 3C 01"));
        Assert.Equal("note 60", Assert.Single(_learn.Bindings).Control);
    }

    [Fact]
    public void A_control_learnt_again_is_bound_to_the_new_action()
    {
        _learn.Learn("train");
        Offer("B0 14 7F");
        _learn.Learn("undo");
        Offer("B0 14 00");                       // any control change binds, a button's release too

        Assert.Equal($"CC 20 ch 1 on '{Nano}' -> undo", Assert.Single(_learn.Bindings).ToString());
    }

    [Fact]
    public void Forget_unbinds_and_the_control_plays_again()
    {
        _learn.Import([
            new MidiBinding(Nano, 1, MidiControlKind.ControlChange, 20, "train"),
            new MidiBinding(Nano, 2, MidiControlKind.Note, 36, "train"),
            new MidiBinding(Nano, 1, MidiControlKind.ControlChange, 21, "undo"),
        ]);

        Assert.Equal(ActionAnswer.Done($"forgot CC 20 ch 1 on '{Nano}' -> train; note 36 ch 2 on '{Nano}' -> train"), _learn.Forget("train"));
        Assert.False(Offer("B0 14 7F"));
        Assert.Equal(ActionAnswer.Refused("forget train: no control is bound to it"), _learn.Forget("train"));
        Assert.Equal(ActionAnswer.Done($"CC 21 ch 1 on '{Nano}' -> undo"), _learn.Describe());

        _learn.Learn("redo");
        Assert.Equal(ActionAnswer.Done($"CC 21 ch 1 on '{Nano}' -> undo (learning 'redo')"), _learn.Describe());
        Assert.Equal(ActionAnswer.Done("stopped learning 'redo'"), _learn.Forget("redo"));
        Assert.False(Offer("B0 16 7F"));
        Assert.True(_learn.Forget("undo") is { Failed: false });
        Assert.Equal(ActionAnswer.Done("no control is bound: `learn ACTION` binds one"), _learn.Describe());
    }

    [Fact]
    public void An_action_that_is_missing_is_refused_in_one_line()
    {
        Assert.Equal(ActionAnswer.Refused("learn: name the action a control is to perform, as in `learn train`"), _learn.Learn(" "));
        Assert.Equal(ActionAnswer.Refused("forget: name the action to unbind, as in `forget train`"), _learn.Forget(""));
        Assert.Null(_learn.Learning);
    }

    [Fact]
    public void Bindings_export_and_import_as_plain_records()
    {
        _learn.Learn("recall 2");
        Offer("99 24 64");
        _learn.Learn("fragment   record");
        Offer("B0 15 7F");
        var exported = _learn.Bindings;

        using var again = new MidiLearn(_ => "", TextWriter.Null);
        again.Import(exported);

        Assert.Equal([
            new MidiBinding(Nano, 10, MidiControlKind.Note, 36, "recall 2"),
            new MidiBinding(Nano, 1, MidiControlKind.ControlChange, 21, "fragment record"),
        ], again.Bindings);
    }

    [Theory]
    [InlineData("", 1, MidiControlKind.Note, 1, "train", "MIDI binding 2 (note 1 ch 1 on '' -> train): it names no port")]
    [InlineData(Nano, 17, MidiControlKind.Note, 1, "train", $"MIDI binding 2 (note 1 ch 17 on '{Nano}' -> train): channel 17 is outside 1..16")]
    [InlineData(Nano, 1, MidiControlKind.ControlChange, 128, "train", $"MIDI binding 2 (CC 128 ch 1 on '{Nano}' -> train): number 128 is outside 0..127")]
    [InlineData(Nano, 1, (MidiControlKind)5, 1, "train", $"MIDI binding 2 (CC 1 ch 1 on '{Nano}' -> train): kind 5 is neither a note nor a control change")]
    [InlineData(Nano, 1, MidiControlKind.Note, 1, " ", $"MIDI binding 2 (note 1 ch 1 on '{Nano}' ->  ): it names no action")]
    [InlineData(Nano, 1, MidiControlKind.ControlChange, 20, "undo", $"MIDI binding 2 (CC 20 ch 1 on '{Nano}' -> undo): binding 1 has the same control")]
    public void A_bad_binding_is_refused_whole_in_one_line_naming_it(string port, int channel, MidiControlKind kind, int number, string action, string message)
    {
        _learn.Import([new MidiBinding(Nano, 1, MidiControlKind.ControlChange, 7, "redo")]);

        var refused = Assert.Throws<ArgumentException>(() => _learn.Import([
            new MidiBinding(Nano, 1, MidiControlKind.ControlChange, 20, "train"),
            new MidiBinding(port, channel, kind, number, action),
        ]));

        Assert.Equal(message, refused.Message);
        Assert.Equal("redo", Assert.Single(_learn.Bindings).Action);
    }

    [Fact]
    public void An_action_that_throws_is_answered_and_later_ones_still_performed()
    {
        int calls = 0;
        var answers = new StringWriter();
        var learn = new MidiLearn(line => ++calls == 1 ? throw new InvalidOperationException("no fragment 4") : "playing", answers);
        learn.Import([new MidiBinding(Nano, 1, MidiControlKind.Note, 1, "play fragment 4")]);
        learn.Offer(Nano, Bytes("90 01 7F"));
        learn.Offer(Nano, Bytes("90 01 7F"));
        learn.Dispose();

        Assert.Equal(["note 1 -> play fragment 4: failed: no fragment 4", "note 1 -> play stop: playing"], answers.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.TrimEnd()));
    }

    [Fact]
    public void A_device_gone_lifts_its_drum_pads_held()
    {
        _learn.Import([
            new MidiBinding(Nano, 1, MidiControlKind.Note, 36, "recall 1"),
            new MidiBinding(Nano, 1, MidiControlKind.Note, 37, "recall 2"),
            new MidiBinding("other", 1, MidiControlKind.Note, 36, "recall 3"),
        ]);
        Offer("90 24 7F", "90 25 7F", "80 25 00");
        _learn.Offer("other", Bytes("90 24 7F"));
        _learn.ReleaseAll(Nano);
        Offer("80 24 00");                       // its note-off after the return lifts nothing more
        _learn.Dispose();

        Assert.Equal(["recall 1 1", "recall 2 1", "recall 2 0", "recall 3 1", "recall 1 0"], _performed);
    }

    [Fact]
    public void Lines_queued_from_elsewhere_are_performed_in_order_with_their_source()
    {
        _learn.Perform("side button 2", "recall 2 1");
        _learn.Perform("side button 2", "recall 2 0");
        _learn.Dispose();
        _learn.Perform("side button 2", "recall 2 1");

        Assert.Equal(["side button 2 -> recall 2 1: done", "side button 2 -> recall 2 0: done"], Lines());
    }

    [Fact]
    public void Any_byte_stream_is_taken_without_failing()
    {
        _learn.Import([
            new MidiBinding(Nano, 1, MidiControlKind.ControlChange, 20, "train"),
            new MidiBinding(Nano, 1, MidiControlKind.Note, 60, "recall 1"),
        ]);
        var random = new Random(20);
        for (int i = 0; i < 20_000; i++)
        {
            if (i % 5000 == 0) _learn.Learn("undo");
            var message = new byte[random.Next(0, 5)];
            random.NextBytes(message);
            _learn.Offer(random.Next(2) == 0 ? Nano : "other", message);
        }
        _learn.Dispose();

        Assert.All(_learn.Bindings, binding => Assert.InRange(binding.Number, 0, 127));
        Assert.All(_performed, line => Assert.Matches(@"^(train|stop|undo|recall 1 (0|1|0\.\d\d?))$", line));
    }

    [Fact]
    public void Messages_that_pass_allocate_nothing()
    {
        _learn.Import([new MidiBinding(Nano, 1, MidiControlKind.ControlChange, 20, "train"), new MidiBinding(Nano, 1, MidiControlKind.Note, 60, "recall 1")]);
        byte[][] passing = [Bytes("90 3D 7F"), Bytes("80 3D 00"), Bytes("B0 15 7F"), Bytes("B1 14 7F"), Bytes("E0 00 40"), Bytes("D0 40"), Bytes("F0 7E 7F 06 01 F7")];
        foreach (byte[] message in passing) _learn.Offer("other", message);

        Assert.Equal(0, Allocations.Of(() =>
        {
            for (int i = 0; i < 1000; i++)
                foreach (byte[] message in passing)
                {
                    _learn.Offer(Nano, message);
                    _learn.Offer("other", message);
                }
        }));
    }

    private bool Offer(params string[] messages)
    {
        bool consumed = true;
        foreach (string message in messages) consumed &= _learn.Offer(Nano, Bytes(message));
        return consumed;
    }

    private static byte[] Bytes(string hex) => Convert.FromHexString(hex.Replace(" ", ""));

    private string[] Lines() => _answers.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.TrimEnd()).ToArray();
}
