using LatentTerrain.Controllers.Midi;
using LatentTerrain.Controllers.Touches;

namespace LatentTerrain.Controllers.Devices;

/// <summary>
/// A Launchpad X, Mini MK3 or Pro MK3 in programmer mode as a touch surface: the 8x8 pads (notes
/// 10 x row + column, 11 at the bottom-left, 88 at the top-right) are a <see cref="PadGrid"/>, so a
/// touch sits at a pad's centre, X and Y 0.5..7.5 in pads from the bottom-left, and glides to
/// neighbouring pads. Pressure comes from polyphonic aftertouch (Pro MK3, X when set so) or channel
/// pressure (X's default), else stays at the strike velocity (Mini MK3, which sends neither).
/// Side and top buttons (control changes) are not touches; the right-hand side buttons are numbered
/// 1..8 from the top (<see cref="IsSideButton"/>) for whoever gives them a meaning (the live
/// instrument's stored positions).
/// </summary>
/// <remarks>
/// The caller sends <see cref="LaunchpadProtocol.ProgrammerMode"/> on before playing and off on exit,
/// and the frames of <see cref="LaunchpadLights"/>; this class only reads.
/// </remarks>
public sealed class Launchpad(LaunchpadModel model, ITouchSink touches, int glideDistance = 1) : MidiController(touches)
{
    /// <summary>The right-hand column of buttons.</summary>
    public const int SideButtons = 8;

    public LaunchpadModel Model { get; } = model;

    public PadGrid Grid { get; } = new(8, 8, glideDistance, touches);

    public override void Receive(in MidiMessage message)
    {
        switch (message.Kind)
        {
            case MidiMessageKind.NoteOn or MidiMessageKind.NoteOff when IsPad(message.Data1, out int column, out int row):
                if (message.IsNoteRelease) Grid.Release(column, row, Now);
                else Grid.Press(column, row, message.Data2 / 127f, Now);
                break;
            case MidiMessageKind.PolyAftertouch when IsPad(message.Data1, out int column, out int row):
                Grid.Pressure(column, row, message.Data2 / 127f, Now);
                break;
            case MidiMessageKind.ChannelPressure:
                Grid.PressureAll(message.Data1 / 127f, Now);
                break;
        }
    }

    protected override void EndAllTouches() => Grid.ReleaseAll(Now);

    /// <summary>
    /// Whether a control change is one of the right-hand side buttons (CC 89 at the top down to 19,
    /// the same on X, Mini MK3 and Pro MK3), and which: 1 at the top .. 8 at the bottom.
    /// </summary>
    public static bool IsSideButton(int controller, out int button)
    {
        button = SideButtons - controller / 10 + 1;
        return controller % 10 == 9 && button is >= 1 and <= SideButtons;
    }

    /// <summary>The control change of side button 1..8 (1 at the top): what it sends, and what lights it.</summary>
    public static int SideButtonController(int button) =>
        button is >= 1 and <= SideButtons ? (SideButtons - button + 1) * 10 + 9
            : throw new ArgumentOutOfRangeException(nameof(button), $"a Launchpad's side buttons are 1..{SideButtons}, not {button}");

    /// <summary>Whether a note is one of the 8x8 pads, and which (column and row 0..7 from the bottom-left).</summary>
    public static bool IsPad(int note, out int column, out int row)
    {
        (row, column) = (note / 10 - 1, note % 10 - 1);
        return row is >= 0 and < 8 && column is >= 0 and < 8;
    }
}
