namespace LatentTerrain.Controllers.Touches;

/// <summary>
/// One finger (a note, a pad, a contact, a mouse button) as a controller reports it. Every
/// controller speaks in touches; mappings turn them into cursors on the terrain.
/// </summary>
/// <param name="Id">Tells a controller's simultaneous touches apart; reused only after the touch with it ended.</param>
/// <param name="Phase">Start, move or end.</param>
/// <param name="X">Horizontal position in the controller's own unit (semitones for a keyboard, pads for a grid, 0..1 for XY controllers and the mouse).</param>
/// <param name="Y">Vertical position in the controller's own unit, upward.</param>
/// <param name="Pressure">0..1.</param>
/// <param name="Velocity">0..1: how hard the touch started (stays the same while it moves).</param>
/// <param name="Time">Seconds on the clock of whoever fed the controller (arrival time live, file time offline).</param>
public readonly record struct Touch(int Id, TouchPhase Phase, float X, float Y, float Pressure, float Velocity, double Time);
