using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Instrument;

/// <summary><c>terrain play</c>'s options, through the command line, against a JACK server of the test's own.</summary>
[Collection(JackServer.Collection)]
public sealed class PlayCommandTests
{
    [Theory]
    [InlineData("--ahead", "0", "--ahead 0: must be 1..8 blocks")]
    [InlineData("--ahead", "9", "--ahead 9: must be 1..8 blocks")]
    [InlineData("--frames", "8", "--frames 8: must be 16..4096")]
    [InlineData("--lead", "200", "--lead 200: must be 0..100 ms")]
    [InlineData("--seconds", "0", "--seconds 0: must be more than 0 and at most 86400")]
    public void An_option_out_of_range_fails_in_one_line_before_any_sound(string option, string value, string message)
    {
        CommandResult.Run("play", option, value, "--midi", "none").AssertFailedWith(message);
    }

    /// <summary>One block queued instead of two: a period less of latency, by PortAudio's figures too (standard input, empty here, ends the play at once).</summary>
    [JackFact]
    public void One_block_ahead_plays_and_says_a_period_less_latency()
    {
        using var server = JackServer.Start();
        var two = CommandResult.Run("play", "--midi", "none", "--seconds", "0.5");
        var one = CommandResult.Run("play", "--ahead", "1", "--midi", "none", "--seconds", "0.5");

        Assert.True(two.ExitCode == 0 && one.ExitCode == 0, $"{two.Error}{one.Error}");
        Assert.True(one.Output.Contains("stopped after", StringComparison.Ordinal), one.Output);
        double Latency(CommandResult result) => double.Parse(
            System.Text.RegularExpressions.Regex.Match(result.Output, @"latency about ([0-9.]+) ms").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(128.0 / 48000 * 1000, Latency(two) - Latency(one), precision: 1);
    }
}
