using LatentTerrain.Controllers.Devices;
using LatentTerrain.Controllers.Touches;

namespace LatentTerrain.Tests.Controllers;

public class ComputerInputTests
{
    private readonly TouchLog _log = new();

    [Fact]
    public void KeysAreATenByFourGridFromTheBottomLeft()
    {
        var keys = new ComputerKeyboard(_log, glideDistance: 0);
        Assert.True(keys.KeyDown('z', 0));
        Assert.True(keys.KeyDown('0', 0));
        Assert.False(keys.KeyDown('#', 0));
        Assert.True(keys.KeyUp('Z', 1));
        Assert.Equal([(TouchPhase.Start, 0.5f, 0.5f), (TouchPhase.Start, 9.5f, 3.5f), (TouchPhase.End, 0.5f, 0.5f)], _log.Touches.Select(t => (t.Phase, t.X, t.Y)));
    }

    [Fact]
    public void NeighbouringKeysGlide()
    {
        var keys = new ComputerKeyboard(_log);
        keys.KeyDown('f', 0);
        keys.KeyDown('g', 0.1);
        Assert.Equal([TouchPhase.Start, TouchPhase.Move], _log.Touches.Select(t => t.Phase));
    }

    [Fact]
    public void TheMousePlaysWhilePressed()
    {
        var mouse = new Mouse(_log);
        mouse.Move(0.2f, 0.2f, 0);
        mouse.Down(0.25f, 0.5f, 0.1);
        mouse.Move(2f, -1f, 0.2);
        mouse.Up(0.3);
        Assert.Equal([(TouchPhase.Start, 0.25f, 0.5f), (TouchPhase.Move, 1f, 0f), (TouchPhase.End, 1f, 0f)], _log.Touches.Select(t => (t.Phase, t.X, t.Y)));
    }
}
