using LatentTerrain.Controllers.Midi;

namespace LatentTerrain.Controllers.Devices;

/// <summary>
/// Which control changes a generic XY controller sends: <see cref="XController"/> and
/// <see cref="YController"/> (the MSBs), with their LSBs on controller + 32 when
/// <see cref="FourteenBit"/>; optionally a <see cref="GateController"/> whose value 64 or more
/// means a finger is down. Any channel.
/// </summary>
public sealed record XyAssignment
{
    public XyAssignment(int xController, int yController, bool fourteenBit = false, int? gateController = null)
    {
        Check(xController, "x");
        Check(yController, "y");
        if (xController == yController) throw new ArgumentException($"x and y cannot both be controller {xController}");
        if (fourteenBit && (xController >= 32 || yController >= 32)) throw new ArgumentException($"14-bit pairs need MSB controllers 0..31 (LSB on controller + 32), not {xController} and {yController}");
        if (gateController is int gate) Check(gate, "gate");
        (XController, YController, FourteenBit, GateController) = (xController, yController, fourteenBit, gateController);
    }

    public int XController { get; }
    public int YController { get; }
    public bool FourteenBit { get; }
    public int? GateController { get; }

    private static void Check(int controller, string what)
    {
        if ((uint)controller > SevenBitNumber.MaxValue) throw new ArgumentOutOfRangeException(what, $"{what} controller {controller} is outside 0..127");
    }
}
