using System.Collections.Concurrent;
using LatentTerrain.Engine.Terrain;
using Terminal.Gui.App;
using Terminal.Gui.Drawing;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;
using Attribute = Terminal.Gui.Drawing.Attribute;

namespace LatentTerrain.Tui;

/// <summary>
/// The whole screen: the map in its frame, the panels on the right (audio, training, fragments,
/// controllers), the events line (or the command line) and the help bar. Keys are handled here,
/// before any view's bindings, so Esc backs out of the command line, the help, or the map's draw and
/// point tools, and never quits. Every action goes to the performer as a line (docs/actions.md), in
/// order, off the UI thread. <see cref="Tick"/> reads the instrument once; the running interface calls
/// it 25 times a second, tests call it by hand.
/// </summary>
internal sealed class InstrumentScreen : Runnable, IDisposable
{
    public const int MinimumWidth = 80, MinimumHeight = 24;
    private const int PanelWidth = 34;

    /// <summary>Who has the keys: the map (in its tool), the command line, or the list of keys.</summary>
    private enum Mode { Map, Command, Help }
    private const double MomentStep = 0.1;

    private readonly IInstrumentView _instrument;
    private readonly IPerformer _performer;
    private readonly MapRenderer _renderer;
    private readonly Frame _mapFrame;
    private readonly FrameView _help;
    // The right column at 24 rows: audio 7, training 6, fragments the rest (6 at the least), controllers 3.
    private readonly AudioPanel _audio = new() { X = Pos.AnchorEnd(PanelWidth), Y = 0, Width = PanelWidth, Height = 7 };
    private readonly TrainingPanel _training = new() { X = Pos.AnchorEnd(PanelWidth), Y = 7, Width = PanelWidth, Height = 6 };
    private readonly FragmentsPanel _fragments = new() { X = Pos.AnchorEnd(PanelWidth), Y = 13, Width = PanelWidth, Height = Dim.Fill(5) };
    private readonly ControllersPanel _controllers = new() { X = Pos.AnchorEnd(PanelWidth), Y = Pos.AnchorEnd(5), Width = PanelWidth, Height = 3 };
    private readonly TextBlock _helpText = new(new Attribute(new Color(170, 170, 170), new Color(0, 0, 0))) { X = 0, Y = 0, Width = Dim.Fill(), Height = Dim.Fill() };
    private readonly Label _events = new() { X = 1, Y = Pos.AnchorEnd(2), Width = Dim.Fill(1), Text = "" };
    private readonly View _commandLine = new() { X = 0, Y = Pos.AnchorEnd(2), Width = Dim.Fill(), Height = 1, Visible = false, CanFocus = true };
    private readonly TextField _command = new() { X = 1, Y = 0, Width = Dim.Fill(1) };
    private readonly StatusBar _helpBar = new() { CanFocus = false };
    private readonly Label _tooSmall = new() { X = Pos.Center(), Y = Pos.Center(), Visible = false };
    private readonly View[] _layout;

    private Mode _mode = Mode.Map;
    private int _helpScroll;
    private IReadOnlyList<string>? _shownEvents;
    private string? _shownEvent;
    // Actions run one after another on a worker; their answers wait here for the next tick.
    private Task _performing = Task.CompletedTask;
    private readonly ConcurrentQueue<string> _answers = new();

    // Teaching: the selected fragment (by number), the highest number seen (a newer one is selected
    // as it arrives), point mode's source and moment, a pending `m`, the recalled position.
    private IReadOnlyList<FragmentRow>? _fragmentsSeen;
    private int? _selected;
    private int _newestFragment;
    private SourceKind _sourceKind;
    private double _moment;
    private PointSource _shownSource;
    private bool _storing;
    private int? _recalled;
    // The file picker while it is open, and its session (ended by the tick once it stops).
    private OpenDialog? _picker;
    private SessionToken? _pickerSession;

    public InstrumentScreen(IInstrumentView instrument, IPerformer performer, TerrainInterfaceOptions options, TerminalCells? terminal = null)
    {
        _instrument = instrument;
        _performer = performer;
        _renderer = new MapRenderer(instrument.Terrain, options.Only256Colours ?? Xterm256.TerminalIsLimited());
        Map = new MapView(instrument, performer, _renderer, options, terminal);
        _mapFrame = new Frame(Map) { X = 0, Y = 0, Width = Dim.Fill(PanelWidth), Height = Dim.Fill(2) };
        // The whole width, the panels hidden, and scrolled by arrows and page keys: the list is long for 80 x 24.
        _help = new FrameView { Title = "keys (Esc closes)", X = 0, Y = 0, Width = Dim.Fill(), Height = Dim.Fill(2), Visible = false, CanFocus = false };
        _help.Add(_helpText);
        _helpText.Lines = Keys.All;
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
        Map.ViewChanged += () => _mapFrame.Caption = Caption();
        _mapFrame.Caption = Caption();
        Map.Acted += Perform;
        Map.Said += ShowEvent;

        var dim = new Scheme(new Attribute(new Color(170, 170, 170), new Color(0, 0, 0)));
        SetScheme(dim);
        _events.SetScheme(dim);
        _tooSmall.SetScheme(new Scheme(new Attribute(new Color(255, 255, 255), new Color(0, 0, 0))));
        _layout = [_mapFrame, _audio, _training, _fragments, _controllers, _help, _events, _commandLine, _helpBar];
        Add(_layout);
        Add(_tooSmall);
        ShowKeys(Keys.Play);
        Map.Source = _shownSource = new PointSource(SourceKind.Cursor, IPerformer.KeyboardFinger);
        Width = Dim.Fill();
        Height = Dim.Fill();
        CanFocus = true;
    }

    public MapView Map { get; }
    internal MapRenderer Renderer => _renderer;
    /// <summary>Ctrl+Q was pressed (or `quit` performed): the running interface stops.</summary>
    public bool QuitRequested { get; private set; }
    /// <summary>The newest action's performing, done once every action sent so far is answered (tests wait for it).</summary>
    internal Task Performing => _performing;
    /// <summary>The open file picker, if any (tests type into it).</summary>
    internal OpenDialog? Picker => _picker;
    public event Action? Quit;

    /// <summary>Reads the instrument once: the map (picture, cursors, overlay), the panels, the events line.</summary>
    public void Tick()
    {
        if (_picker is { StopRequested: true }) ClosePicker(add: true);
        if (_tooSmall.Visible) return;
        var teaching = _instrument.Teaching;
        FollowFragments(teaching.Fragments);
        if (_mapFrame.Visible) Map.Tick();
        ShowSource(teaching);
        var status = _instrument.Status;
        _audio.Update(status);
        _controllers.Update(status);
        _training.Update(_instrument.Training, teaching);
        if (teaching.Session != _shownSession)
        {
            _shownSession = teaching.Session;
            _mapFrame.Caption = Caption();
        }
        _fragments.Update(teaching, _instrument.Taught, _selected);

        string? answer = null;
        while (_answers.TryDequeue(out var next)) answer = next;
        if (answer != null)
        {
            ShowEvent(answer);
            if (_performing.IsCompleted && _answers.IsEmpty) Map.Answered();
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
            _ => MapKey(key),
        };
    }

    /// <summary>Esc or ? closes the list; arrows, j k and the page keys scroll it; other keys wait until it closes.</summary>
    private bool HelpKey(Key key)
    {
        int page = Math.Max(1, _helpText.Viewport.Height - 1);
        if (key == Key.Esc || key.AsRune.Value == '?') SetMode(Mode.Map);
        else if (key == Key.CursorDown || key.AsRune.Value == 'j') ScrollHelp(1);
        else if (key == Key.CursorUp || key.AsRune.Value == 'k') ScrollHelp(-1);
        else if (key == Key.PageDown || key == Key.Space) ScrollHelp(page);
        else if (key == Key.PageUp) ScrollHelp(-page);
        return true;
    }

    private void ScrollHelp(int lines)
    {
        int total = Keys.All.Count(c => c == '\n') + 1;
        _helpScroll = Math.Clamp(_helpScroll + lines, 0, Math.Max(0, total - _helpText.Viewport.Height));
        int at = 0;
        for (int line = 0; line < _helpScroll; line++) at = Keys.All.IndexOf('\n', at) + 1;
        _helpText.Lines = Keys.All[at..];
    }

    private bool MapKey(Key key)
    {
        if (_storing)
        {
            // `m` waits for the digit of the position to store; any other key lets it go.
            _storing = false;
            if (Digit(key) is { } position) Perform(ActionLines.Store(position, Map.KeyboardPosition.X, Map.KeyboardPosition.Y));
            else ShowEvent("nothing stored");
            return true;
        }
        if (key == Key.Esc)
        {
            if (Map.Dragging) Map.CancelDrag();
            else SetTool(MapTool.Play);
            return true;
        }
        if (key == Key.CursorLeft.WithShift) Map.Pan(-1, 0);
        else if (key == Key.CursorRight.WithShift) Map.Pan(1, 0);
        else if (key == Key.CursorUp.WithShift) Map.Pan(0, 1);
        else if (key == Key.CursorDown.WithShift) Map.Pan(0, -1);
        else if (key == Key.CursorLeft) MoveKeyboardFinger(-1, 0);
        else if (key == Key.CursorRight) MoveKeyboardFinger(1, 0);
        else if (Map.Tool == MapTool.Point && (key == Key.CursorUp || key == Key.CursorDown)) Nudge(key == Key.CursorUp ? 1 : -1);
        else if (key == Key.CursorUp) MoveKeyboardFinger(0, 1);
        else if (key == Key.CursorDown) MoveKeyboardFinger(0, -1);
        else if (key == Key.Space)
        {
            if (_recalled is { } recalled) Recall(recalled);
            else ToggleKeyboardFinger();
        }
        else if (key == Key.Tab) SelectNext(1);
        else if (key == Key.Tab.WithShift) SelectNext(-1);
        else if (key == Key.Delete) return Delete();
        else if (key == Key.S.WithCtrl) Perform("save");
        else if (key == Key.Z.WithCtrl) Perform("undo");
        else if (key == Key.Y.WithCtrl) Perform("redo");
        else if (key.IsCtrl || key.IsAlt) return false;
        else if (Digit(key) is { } position) Recall(position);
        else return MapCharacter(key.AsRune.Value);
        return true;
    }

    private bool MapCharacter(int character)
    {
        switch (character)
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
            case 'd': SetTool(Map.Tool == MapTool.Draw ? MapTool.Play : MapTool.Draw); break;
            case 'p': SetTool(Map.Tool == MapTool.Point ? MapTool.Play : MapTool.Point); break;
            case 'x': return Delete();
            case 's' when Map.Tool == MapTool.Point: NextSource(); break;
            case ',' when Map.Tool == MapTool.Point && _sourceKind == SourceKind.Fragment: _moment = Math.Max(0, _moment - MomentStep); break;
            case '.' when Map.Tool == MapTool.Point && _sourceKind == SourceKind.Fragment: _moment += MomentStep; break;
            case 'o': OpenPicker(); break;
            case 'r': Perform(_instrument.Teaching.RecordingSeconds != null ? "fragment stop" : "fragment record"); break;
            case 't': Perform(_instrument.Training is { State: TrainingState.Training } ? "stop" : "train"); break;
            case 'u': Perform("undo"); break;
            case 'U': Perform("redo"); break;
            case 'P': WithSelected(n => _instrument.Teaching.PlayingPath == n ? "play stop" : $"play path {n} loop"); break;
            case 'b': WithSelected(n => $"play fragment {n}"); break;
            case 'B': Perform("play stop"); break;
            case 'm':
                _storing = true;
                ShowEvent("store the keyboard finger's place as: 1 .. 9");
                break;
            default: return false;
        }
        if (character is ',' or '.' or 's') ShowSource(_instrument.Teaching);
        return true;
    }

    /// <summary>1 .. 9, a stored position's number (0 resets the view).</summary>
    private static int? Digit(Key key) => !key.IsCtrl && !key.IsAlt && key.AsRune.Value is >= '1' and <= '9' and var c ? c - '0' : null;

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

    /// <summary>
    /// Performs off the UI thread (loading a model takes seconds), after every line sent before it, so
    /// keys pressed quickly (undo, undo; recall 1, recall 2) arrive in order; the newest answer shows
    /// at the tick after it comes.
    /// </summary>
    private void Perform(string line)
    {
        ShowEvent($"{line} …");
        _performing = _performing.ContinueWith(_ => _answers.Enqueue(Answer(line)), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        if (line == "quit") RequestQuit();
    }

    private string Answer(string line)
    {
        try
        {
            return _performer.Perform(line);
        }
        catch (Exception e)
        {
            return $"failed: {e.GetBaseException().Message}";
        }
    }

    private bool CloseCommandLine()
    {
        _command.Text = "";
        SetMode(Mode.Map);
        return true;
    }

    /// <summary>Ctrl+Q, `quit` or the running interface's cancellation: the picker closes first, so the stop reaches the screen.</summary>
    internal void RequestQuit()
    {
        if (_picker != null) ClosePicker(add: false);
        QuitRequested = true;
        Quit?.Invoke();
    }

    private void SetMode(Mode mode)
    {
        _mode = mode;
        _help.Visible = mode == Mode.Help;
        foreach (var view in (ReadOnlySpan<View>)[_mapFrame, _audio, _training, _fragments, _controllers]) view.Visible = mode != Mode.Help;
        _commandLine.Visible = mode == Mode.Command;
        _events.Visible = mode != Mode.Command;
        ShowKeys(mode switch { Mode.Command => Keys.Command, Mode.Help => Keys.Help, _ => ToolKeys() });
        if (mode == Mode.Command) _command.SetFocus();
        if (mode == Mode.Map) RedrawAll();
    }

    /// <summary>Everything drawn afresh: the map's frame and cells and the panels (after the help or a dialog covered them).</summary>
    private void RedrawAll()
    {
        SetNeedsDraw();
        _mapFrame.Redraw();
        Map.DrawWholeMap();
    }

    private (string Key, string What)[] ToolKeys() => Map.Tool switch
    {
        MapTool.Draw => Keys.Draw,
        MapTool.Point => Keys.Point(_shownSource),
        _ => Keys.Play,
    };

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

    // Teaching.

    private string? _shownSession;

    /// <summary>The map frame's caption: the session and when it was saved, then the tool and the view.</summary>
    private string Caption() => _shownSession is { } session ? $"{session} · {Map.Caption()}" : Map.Caption();

    private void SetTool(MapTool tool)
    {
        if (tool == Map.Tool) return;
        Map.Tool = tool;
        ShowKeys(ToolKeys());
        if (tool == MapTool.Draw && _selected == null) ShowEvent("no fragment to draw for: o adds a sound file, r records one");
    }

    /// <summary>
    /// Keeps the selection on a fragment that exists: a fragment newer than any seen is selected as it
    /// arrives (the one just added or recorded is the one to draw for), unless the mouse is drawing.
    /// </summary>
    private void FollowFragments(IReadOnlyList<FragmentRow> fragments)
    {
        if (ReferenceEquals(fragments, _fragmentsSeen)) return;
        _fragmentsSeen = fragments;
        int? selected = null;
        int newest = 0;
        foreach (var fragment in fragments)
        {
            newest = Math.Max(newest, fragment.Number);
            // The selected one if it is still there, else the one before it, else the first.
            if (fragment.Number <= (_selected ?? 0) || selected == null) selected = fragment.Number;
        }
        if (newest > _newestFragment && !Map.Dragging) selected = newest;
        _newestFragment = Math.Max(_newestFragment, newest);
        Select(selected);
    }

    private void SelectNext(int step)
    {
        var fragments = _instrument.Teaching.Fragments;
        if (fragments.Count == 0)
        {
            ShowEvent("no fragments yet: o adds a sound file, r records one");
            return;
        }
        int at = -1;
        for (int i = 0; i < fragments.Count; i++)
            if (fragments[i].Number == _selected) at = i;
        at = at < 0 ? (step > 0 ? 0 : fragments.Count - 1) : (at + step + fragments.Count) % fragments.Count;
        Select(fragments[at].Number);
    }

    private void Select(int? fragment)
    {
        if (fragment == _selected) return;
        _selected = fragment;
        _moment = 0;
        Map.SelectedFragment = fragment;
        if (Map.Tool == MapTool.Draw) _mapFrame.Caption = Caption();
    }

    /// <summary>Sends the line <paramref name="line"/> makes of the selected fragment's number, or says there is none.</summary>
    private void WithSelected(Func<int, string> line)
    {
        if (_selected is { } fragment) Perform(line(fragment));
        else ShowEvent("no fragment selected: o adds a sound file, r records one");
    }

    /// <summary>x or Delete: the selected path (draw tool), the point under the pointer or the newest (point tool).</summary>
    private bool Delete()
    {
        switch (Map.Tool)
        {
            case MapTool.Draw: WithSelected(n => $"delete path {n}"); return true;
            case MapTool.Point:
                if (Map.PointToDelete() is { } point) Perform($"delete point {point}");
                else ShowEvent("no points to delete");
                return true;
            default: return false;
        }
    }

    /// <summary>
    /// Point mode's arrows: the point under the pointer (else the newest) has the latent dimension the
    /// map shows raised or lowered by a tenth, so retraining moves the sound there by ear and eye.
    /// </summary>
    private void Nudge(int direction)
    {
        if (Map.PointToDelete() is { } point) Perform(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"nudge point {point} {Map.Style.Channel} {0.1 * direction}"));
        else ShowEvent("no points to nudge: click to place one");
    }

    /// <summary>A digit recalls its stored position, lifting the one recalled before; the same digit (or space) lifts it.</summary>
    private void Recall(int position)
    {
        if (_recalled == position)
        {
            Perform($"recall {position} 0");
            _recalled = null;
            return;
        }
        bool stored = false;
        foreach (var candidate in _instrument.Teaching.Positions) stored |= candidate.Number == position;
        if (!stored)
        {
            ShowEvent($"no position {position}: m then {position} stores the keyboard finger's place");
            return;
        }
        if (_recalled is { } before) Perform($"recall {before} 0");
        Perform($"recall {position}");
        _recalled = position;
    }

    private void NextSource()
    {
        var teaching = _instrument.Teaching;
        _sourceKind = _sourceKind switch
        {
            SourceKind.Cursor when teaching.Input != null => SourceKind.Input,
            SourceKind.Cursor or SourceKind.Input when SelectedRow(teaching) is { Encoding: false } => SourceKind.Fragment,
            _ => SourceKind.Cursor,
        };
    }

    /// <summary>
    /// Where point mode's next point takes its latent from: the chosen kind where it can (the input
    /// while one is open, the selected fragment once encoded), else the keyboard finger while it
    /// sounds or the newest other cursor. Shown on the help bar when it changes.
    /// </summary>
    private void ShowSource(TeachingStatus teaching)
    {
        var source = _sourceKind switch
        {
            SourceKind.Input when teaching.Input != null => new PointSource(SourceKind.Input),
            SourceKind.Fragment when SelectedRow(teaching) is { Encoding: false } fragment => MomentOf(fragment),
            _ => new PointSource(SourceKind.Cursor, Map.KeyboardCursor() is >= 0 and var keyboard ? keyboard : Math.Max(0, Map.NewestCursor)),
        };
        if (source == _shownSource) return;
        Map.Source = _shownSource = source;
        if (_mode == Mode.Map && Map.Tool == MapTool.Point) ShowKeys(ToolKeys());
    }

    /// <summary>The selected fragment at the moment , and . set, kept within it (to the tenth below its end).</summary>
    private PointSource MomentOf(FragmentRow fragment)
    {
        _moment = Math.Min(_moment, Math.Floor(fragment.Seconds * 10) / 10);
        return new PointSource(SourceKind.Fragment, Fragment: fragment.Number, Seconds: _moment);
    }

    private FragmentRow? SelectedRow(TeachingStatus teaching)
    {
        foreach (var fragment in teaching.Fragments)
            if (fragment.Number == _selected) return fragment;
        return null;
    }

    /// <summary>
    /// Terminal.Gui's file picker over the screen, not run modally (that would hold this thread in a
    /// loop of its own): the tick ends its session once it stops. The map meanwhile draws only where the
    /// picker leaves it room.
    /// </summary>
    private void OpenPicker()
    {
        if (App is not { } app || _picker != null) return;
        _picker = new OpenDialog { Title = "add a fragment: a sound file (Esc closes)", OpenMode = OpenMode.File, MustExist = true };
        Map.Covered = true;
        _pickerSession = app.Begin(_picker);
    }

    /// <summary>Ends the picker's session; <paramref name="add"/>: the file chosen, if any, becomes a fragment.</summary>
    private void ClosePicker(bool add)
    {
        var picker = _picker!;
        if (_pickerSession != null) App?.End(_pickerSession);
        string? path = add && !picker.Canceled ? picker.Path : null;
        picker.Dispose();
        (_picker, _pickerSession) = (null, null);
        Map.Covered = false;
        SetMode(_mode);
        if (!string.IsNullOrWhiteSpace(path)) Perform($"fragment add {path}");
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
        if (disposing)
        {
            _renderer.Dispose();
            _picker?.Dispose();
        }
        base.Dispose(disposing);
    }
}
