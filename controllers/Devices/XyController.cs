using LatentTerrain.Controllers.Midi;
using LatentTerrain.Controllers.Touches;

namespace LatentTerrain.Controllers.Devices;

/// <summary>
/// A generic XY controller (an XY pad, two knobs, a joystick) as one touch, id 0, with X and Y 0..1
/// from two control changes (7-bit, or 14-bit pairs whose MSB moves at once and whose LSB refines
/// it). Without a gate controller the touch starts at the first move and lasts until
/// <see cref="MidiController.ReleaseAll"/>; with one, it starts and ends with the gate. Pressure and
/// velocity are 1.
/// </summary>
/// <remarks>
/// MIDI learn: after <see cref="Learn"/>, the first controller moved becomes x and the next other
/// one y (an LSB, controller + 32, of either counts toward 14 bits instead); then
/// <see cref="Assignment"/> holds the pair and the controller plays.
/// </remarks>
public sealed class XyController(XyAssignment? assignment, ITouchSink touches) : MidiController(touches)
{
    private int _xMsb, _yMsb, _learnedX = -1;
    private bool _learnedFourteenBit;
    private float _x = 0.5f, _y = 0.5f;
    private bool _touching;

    /// <summary>The controllers played; null until learned.</summary>
    public XyAssignment? Assignment { get; private set; } = assignment;

    public bool IsLearning { get; private set; } = assignment is null;

    /// <summary>Forgets the assignment and learns a new one from the next controllers moved.</summary>
    public void Learn()
    {
        EndAllTouches();
        (IsLearning, _learnedX, _learnedFourteenBit) = (true, -1, false);
    }

    public override void Receive(in MidiMessage message)
    {
        if (message.Kind != MidiMessageKind.ControlChange) return;
        int controller = message.Data1, value = message.Data2;
        if (IsLearning)
        {
            LearnFrom(controller);
            return;
        }
        var a = Assignment!;
        if (controller == a.GateController)
        {
            if (value >= 64 && !_touching) Emit(TouchPhase.Start);
            else if (value < 64 && _touching) Emit(TouchPhase.End);
            _touching = value >= 64;
            return;
        }
        if (controller == a.XController) (_xMsb, _x) = (value, a.FourteenBit ? (value << 7) / 16383f : value / 127f);
        else if (controller == a.YController) (_yMsb, _y) = (value, a.FourteenBit ? (value << 7) / 16383f : value / 127f);
        else if (a.FourteenBit && controller == a.XController + 32) _x = (_xMsb << 7 | value) / 16383f;
        else if (a.FourteenBit && controller == a.YController + 32) _y = (_yMsb << 7 | value) / 16383f;
        else return;
        if (_touching) Emit(TouchPhase.Move);
        else if (a.GateController is null)
        {
            _touching = true;
            Emit(TouchPhase.Start);
        }
    }

    private void LearnFrom(int controller)
    {
        if (_learnedX < 0)
        {
            _learnedX = controller;
            return;
        }
        if (controller == _learnedX) return;
        if (_learnedX < 32 && controller == _learnedX + 32)
        {
            _learnedFourteenBit = true;
            return;
        }
        if (controller >= 32 && controller - 32 != _learnedX && _learnedFourteenBit) return; // wait for an MSB controller
        Assignment = new XyAssignment(_learnedX, controller, _learnedFourteenBit && controller < 32);
        IsLearning = false;
    }

    protected override void EndAllTouches()
    {
        if (_touching) Emit(TouchPhase.End);
        _touching = false;
    }

    private void Emit(TouchPhase phase) => Touches.Touch(new Touch(0, phase, _x, _y, 1f, 1f, Now));
}
