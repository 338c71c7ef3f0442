using LatentTerrain.Engine.Synthesis;
using Terminal.Gui.App;
using Terminal.Gui.Drawing;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;
using Attribute = Terminal.Gui.Drawing.Attribute;

namespace LatentTerrain.Tui;

/// <summary>
/// The whole screen: the map in its frame, the panels on the right, the events line (or the command
/// line) and the help bar. Keys are handled here, before any view's bindings, so Esc backs out of
/// the command line or the help and never quits. <see cref="Tick"/> reads the instrument once; the
/// running interface calls it 25 times a second, tests call it by hand.
/// </summary>
internal sealed class InstrumentScreen : Runnable, IDisposable
{
    public const int MinimumWidth = 80, MinimumHeight = 24;
    private const int PanelWidth = 34;

    private enum Mode { Play, Command, Help }

    private readonly IInstrumentView _instrument;
    private readonly IPerformer _performer;
    private readonly MapRenderer _renderer;
    private readonly Frame _mapFrame;
    private readonly FrameView _help;
    private readonly AudioPanel _audio = new() { X = Pos.AnchorEnd(PanelWidth), Y = 0, Width = PanelWidth, Height = 7 };
    private readonly ModelPanel _model = new() { X = Pos.AnchorEnd(PanelWidth), Y = 7, Width = PanelWidth, Height = 5 };
    private readonly TrainingPanel _training = new() { X = Pos.AnchorEnd(PanelWidth), Y = 12, Width = PanelWidth, Height = 7 };
    private readonly ControllersPanel _controllers = new() { X = Pos.AnchorEnd(PanelWidth), Y = 19, Width = PanelWidth, Height = Dim.Fill(2) };
    private readonly Label _events = new() { X = 1, Y = Pos.AnchorEnd(2), Width = Dim.Fill(1), Text = "" };
    private readonly View _commandLine = new() { X = 0, Y = Pos.AnchorEnd(2), Width = Dim.Fill(), Height = 1, Visible = false, CanFocus = true };
    private readonly TextField _command = new() { X = 1, Y = 0, Width = Dim.Fill(1) };
    private readonly StatusBar _helpBar = new() { CanFocus = false };
    private readonly Label _tooSmall = new() { X = Pos.Center(), Y = Pos.Center(), Visible = false };
    private readonly View[] _layout;

    private Mode _mode = Mode.Play;
    private IReadOnlyList<string>? _shownEvents;
    private string? _shownEvent;
    private Task<string>? _performing;

    public InstrumentScreen(IInstrumentView instrument, IPerformer performer, TerrainInterfaceOptions options, TerminalCells? terminal = null)
    {
        _instrument = instrument;
        _performer = performer;
        _renderer = new MapRenderer(instrument.Terrain, options.Only256Colours ?? Xterm256.TerminalIsLimited());
        Map = new MapView(instrument, performer, _renderer, options, terminal);
        _mapFrame = new Frame(Map) { X = 0, Y = 0, Width = Dim.Fill(PanelWidth), Height = Dim.Fill(2) };
        _help = new FrameView { Title = "keys (Esc closes)", X = 0, Y = 0, Width = Dim.Fill(PanelWidth), Height = Dim.Fill(2), Visible = false, Text = Keys.All, CanFocus = false };
        _commandLine.Add(new Label { X = 0, Y = 0, Text = ":" }, _command);
        _command.Accepting += (_, args) =>
        {
            args.Handled = true;
            string line = _command.Text.Trim();
            CloseCommandLine();
            if (line.Length > 0) Perform(line);
        };
        _command.KeyDown += (_, key) =>
        {
            if (key != Key.Esc) return;
            key.Handled = true;
            CloseCommandLine();
        };
        Map.ViewChanged += () => _mapFrame.Caption = Map.Caption();
        _mapFrame.Caption = Map.Caption();

        var dim = new Scheme(new Attribute(new Color(170, 170, 170), new Color(0, 0, 0)));
        SetScheme(dim);
        _events.SetScheme(dim);
        _tooSmall.SetScheme(new Scheme(new Attribute(new Color(255, 255, 255), new Color(0, 0, 0))));
        _layout = [_mapFrame, _help, _audio, _model, _training, _controllers, _events, _commandLine, _helpBar];
        Add(_layout);
        Add(_tooSmall);
        ShowKeys(Keys.Play);
        Width = Dim.Fill();
        Height = Dim.Fill();
        CanFocus = true;
    }

    public MapView Map { get; }
    internal MapRenderer Renderer => _renderer;
    /// <summary>Ctrl+Q was pressed (or `quit` performed): the running interface stops.</summary>
    public bool QuitRequested { get; private set; }
    /// <summary>The command line's action in flight, if any (tests wait for it).</summary>
    internal Task<string>? Performing => _performing;
    public event Action? Quit;

    /// <summary>Reads the instrument once: the map (picture, cursors, overlay), the panels, the events line.</summary>
    public void Tick()
    {
        if (_tooSmall.Visible) return;
        if (_mapFrame.Visible) Map.Tick();
        var status = _instrument.Status;
        _audio.Update(status);
        _model.Update(status);
        _controllers.Update(status);
        _training.Update(_instrument.Training, _instrument.Taught);

        if (_performing is { IsCompleted: true } done)
        {
            _performing = null;
            string answer = done.IsCompletedSuccessfully ? done.Result : $"failed: {done.Exception?.GetBaseException().Message}";
            ShowEvent(answer);
        }
        var events = _instrument.Events;
        if (!ReferenceEquals(events, _shownEvents))
        {
            _shownEvents = events;
            if (events.Count > 0 && events[^1] != _shownEvent) ShowEvent(events[^1]);
        }
    }

    private void ShowEvent(string line)
    {
        _shownEvent = line;
        _events.Text = line;
    }

    // Keys.

    protected override bool OnKeyDown(Key key)
    {
        if (key == Key.Q.WithCtrl)
        {
            RequestQuit();
            return true;
        }
        if (_tooSmall.Visible) return key == Key.Esc;
        return _mode switch
        {
            Mode.Help => HelpKey(key),
            Mode.Command => key == Key.Esc && CloseCommandLine(),
            _ => PlayKey(key),
        };
    }

    private bool HelpKey(Key key)
    {
        if (key == Key.Esc || key.AsRune.Value == '?') SetMode(Mode.Play);
        // The help covers the map: other keys wait until it closes.
        return true;
    }

    private bool PlayKey(Key key)
    {
        if (key == Key.Esc) return true;
        if (key == Key.CursorLeft.WithShift) Map.Pan(-1, 0);
        else if (key == Key.CursorRight.WithShift) Map.Pan(1, 0);
        else if (key == Key.CursorUp.WithShift) Map.Pan(0, 1);
        else if (key == Key.CursorDown.WithShift) Map.Pan(0, -1);
        else if (key == Key.CursorLeft) MoveKeyboardFinger(-1, 0);
        else if (key == Key.CursorRight) MoveKeyboardFinger(1, 0);
        else if (key == Key.CursorUp) MoveKeyboardFinger(0, 1);
        else if (key == Key.CursorDown) MoveKeyboardFinger(0, -1);
        else if (key == Key.Space) ToggleKeyboardFinger();
        else if (key.IsCtrl || key.IsAlt) return false;
        else
        {
            switch (key.AsRune.Value)
            {
                case '+' or '=': Map.Zoom(closer: true); break;
                case '-': Map.Zoom(closer: false); break;
                case 'h': Map.Pan(-1, 0); break;
                case 'l': Map.Pan(1, 0); break;
                case 'k': Map.Pan(0, 1); break;
                case 'j': Map.Pan(0, -1); break;
                case '0': Map.Reset(); break;
                case '[': Map.NextChannel(-1); break;
                case ']': Map.NextChannel(1); break;
                case 'c': Map.ToggleColour(); break;
                case 'a': Map.ToggleAutomaticRange(); break;
                case ':': SetMode(Mode.Command); break;
                case '?': SetMode(Mode.Help); break;
                default: return false;
            }
        }
        return true;
    }

    private void MoveKeyboardFinger(int right, int up)
    {
        Map.MoveKeyboardFinger(right, up);
        if (Map.KeyboardSounding) _performer.Touch(IPerformer.KeyboardFinger, Map.KeyboardPosition.X, Map.KeyboardPosition.Y, 1f);
        Map.Tick();
    }

    private void ToggleKeyboardFinger()
    {
        Map.KeyboardSounding = !Map.KeyboardSounding;
        if (Map.KeyboardSounding) _performer.Touch(IPerformer.KeyboardFinger, Map.KeyboardPosition.X, Map.KeyboardPosition.Y, 1f);
        else _performer.Lift(IPerformer.KeyboardFinger);
    }

    /// <summary>Performs off the UI thread (loading a model takes seconds); the answer shows at the tick after it comes.</summary>
    private void Perform(string line)
    {
        if (_performing != null)
        {
            ShowEvent($"busy with the last command; '{line}' not performed");
            return;
        }
        ShowEvent($"{line} …");
        _performing = Task.Run(() => _performer.Perform(line));
        if (line == "quit") RequestQuit();
    }

    private bool CloseCommandLine()
    {
        _command.Text = "";
        SetMode(Mode.Play);
        return true;
    }

    private void RequestQuit()
    {
        QuitRequested = true;
        Quit?.Invoke();
    }

    private void SetMode(Mode mode)
    {
        _mode = mode;
        _help.Visible = mode == Mode.Help;
        _mapFrame.Visible = mode != Mode.Help;
        _commandLine.Visible = mode == Mode.Command;
        _events.Visible = mode != Mode.Command;
        ShowKeys(mode switch { Mode.Command => Keys.Command, Mode.Help => Keys.Help, _ => Keys.Play });
        if (mode == Mode.Command) _command.SetFocus();
        if (mode == Mode.Play)
        {
            _mapFrame.Redraw();
            Map.DrawWholeMap();
        }
    }

    private void ShowKeys((string Key, string What)[] keys)
    {
        foreach (var shortcut in _helpBar.SubViews.ToArray())
        {
            _helpBar.Remove(shortcut);
            shortcut.Dispose();
        }
        // Shown for reading: the keys themselves are handled by OnKeyDown before any shortcut sees them.
        foreach (var (key, what) in keys) _helpBar.Add(new Shortcut { Title = what, Text = key, CanFocus = false });
    }

    // Size.

    protected override void OnFrameChanged(in System.Drawing.Rectangle frame)
    {
        base.OnFrameChanged(frame);
        bool tooSmall = frame.Width < MinimumWidth || frame.Height < MinimumHeight;
        _tooSmall.Text = $"the terminal is {frame.Width} x {frame.Height}: make it at least {MinimumWidth} x {MinimumHeight}";
        if (tooSmall == _tooSmall.Visible) return;
        _tooSmall.Visible = tooSmall;
        foreach (var view in _layout) view.Visible = !tooSmall;
        if (!tooSmall) SetMode(_mode);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _renderer.Dispose();
        base.Dispose(disposing);
    }
}
