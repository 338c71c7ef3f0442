using LatentTerrain.Engine.Rendering;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Synthesis;

public class GestureFileTests
{
    private static FormatException Fails(params string[] lines) => Assert.Throws<FormatException>(() => GestureFile.Parse(lines, "g.csv"));

    [Fact]
    public void ReadsEventsAndSkipsBlankAndCommentLines()
    {
        var gesture = GestureFile.Parse(["# a sweep", "time_s,cursor,x,y,pressure", "0,0,-1.5,0.25,1", "", "0.5,0,1.5,0.25,0"], "g.csv");
        Assert.Equal([new(0, 0, -1.5f, 0.25f, 1f), new(0.5, 0, 1.5f, 0.25f, 0f)], gesture.Events);
        Assert.Equal(0.5, gesture.Duration);
    }

    [Fact]
    public void SaveThenLoadGivesTheSameGesture()
    {
        var gesture = new Gesture([new(0, 2, 0.1f, -0.2f, 0.3f), new(1.25, 2, 3f, 4f, 0f)]);
        string path = Path.Combine(Paths.NewScratch(), "g.csv");
        GestureFile.Save(gesture, path);
        Assert.Equal(gesture.Events, GestureFile.Load(path).Events);
    }

    [Theory]
    [InlineData("g.csv: the file is empty")]
    public void AnEmptyFileSaysSo(string message) => Assert.StartsWith(message, Fails().Message);

    [Fact]
    public void EveryBadLineIsNamed()
    {
        Assert.Equal("g.csv: line 1: expected the header time_s,cursor,x,y,pressure, found 't,c,x,y,p'", Fails("t,c,x,y,p").Message);
        Assert.Equal("g.csv: event 1: cursor 16 does not exist (cursors are 0..15)", Fails("time_s,cursor,x,y,pressure", "0,16,0,0,1").Message);
        Assert.Equal("g.csv: line 2: x 'NaN' is not a finite number", Fails("time_s,cursor,x,y,pressure", "0,0,NaN,0,1").Message);
        Assert.Equal("g.csv: line 2: cursor 'one' is not a whole number", Fails("time_s,cursor,x,y,pressure", "0,one,0,0,1").Message);
        Assert.Equal("g.csv: line 2: expected 5 fields (time_s,cursor,x,y,pressure), found 4", Fails("time_s,cursor,x,y,pressure", "0,0,0,1").Message);
        Assert.Equal("g.csv: event 2: time 0.5 s comes before the previous event's 1 s", Fails("time_s,cursor,x,y,pressure", "1,0,0,0,1", "0.5,0,0,0,1").Message);
        Assert.Equal("g.csv: event 1: pressure 2 is outside 0..1", Fails("time_s,cursor,x,y,pressure", "0,0,0,0,2").Message);
    }

    [Fact]
    public void AMissingFileSaysSo()
    {
        var error = Assert.Throws<FormatException>(() => GestureFile.Load("/nonexistent/g.csv"));
        Assert.Equal("/nonexistent/g.csv: no such file", error.Message);
    }
}
