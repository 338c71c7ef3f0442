namespace LatentTerrain.Tui;

/// <summary>Every key of the interface, by mode: the help bar shows the current mode's, <c>?</c> shows them all.</summary>
internal static class Keys
{
    public static readonly (string Key, string What)[] Play =
    [
        // The way out and the full list first: a narrow help bar cuts its right end.
        ("?", "keys"),
        ("^Q", "quit"),
        ("d", "draw"),
        ("p", "points"),
        ("o", "open"),
        ("r", "record"),
        ("t", "train"),
        ("Tab", "fragment"),
        ("u U", "undo redo"),
        ("drag", "play"),
        ("P", "loop path"),
        ("b", "hear"),
        ("1-9", "recall"),
        ("m", "store"),
        ("+ -", "zoom"),
        ("hjkl", "pan"),
        ("0", "reset view"),
        ("[ ]", "channel"),
        ("c", "colour"),
        ("a", "auto range"),
        ("space", "key finger"),
        (":", "command"),
    ];

    public static readonly (string Key, string What)[] Draw =
    [
        ("Esc", "play"),
        ("drag", "draw path"),
        ("Tab", "fragment"),
        ("x", "delete path"),
        ("P", "loop path"),
        ("b", "hear"),
        ("t", "train"),
        ("u U", "undo redo"),
        ("?", "keys"),
    ];

    /// <summary>Point mode's keys, with where the next point's latent comes from (and its moment, for a fragment).</summary>
    public static (string Key, string What)[] Point(PointSource source) =>
    [
        ("Esc", "play"),
        ("click", "point"),
        ("s", $"from {source.Words}"),
        .. source.Kind == SourceKind.Fragment ? [(", .", "moment")] : Array.Empty<(string, string)>(),
        ("drag", "move"),
        ("x", "delete"),
        ("↑↓", "nudge"),
        ("t", "train"),
        ("u U", "undo redo"),
        ("?", "keys"),
    ];

    public static readonly (string Key, string What)[] Command =
    [
        ("Enter", "perform"),
        ("Esc", "close"),
    ];

    public static readonly (string Key, string What)[] Help =
    [
        ("Esc", "close"),
        ("↑ ↓ PgUp PgDn", "scroll"),
        ("^Q", "quit"),
    ];

    /// <summary>The help overlay's text: every key, one a line.</summary>
    public const string All = """
        playing (the map's play mode)
          mouse drag on the map    play (finger 0); release lifts it
          mouse wheel              zoom around the pointer (every mode)
          space                    the keyboard finger (1) sounds / stops (or lifts a recalled position)
          arrows                   move the keyboard finger
          1 .. 9                   recall stored position N; the digit again or space lifts it
          m then 1 .. 9            store the keyboard finger's place as position N
        teaching (every mode)
          Tab / shift+Tab          select the next / previous fragment
          o                        add a sound file as a fragment (a file picker; Esc closes it)
          r                        record the audio input as a fragment / stop and encode it
          t                        train / stop training
          u  U  (Ctrl+Z  Ctrl+Y)   undo / redo the last edit
          P                        loop the selected fragment's path / stop it
          b  B                     hear the selected fragment's own audio / stop playing
        draw mode (d; Esc or d goes back to play)
          mouse drag               draw the selected fragment's path (grey until long enough;
                                   it stops at its fragment's length); a drag from an anchor moves it
          x or Delete              delete the selected fragment's path
        point mode (p; Esc or p goes back to play)
          click                    a point whose latent comes from the source the help bar shows
          s                        source: a cursor (the keyboard finger, else the newest), the
                                   input, or the selected fragment at a moment
          ,  .                     the fragment's moment, a tenth of a second earlier / later
          drag a point             move it
          x or Delete              delete the point under the pointer, else the newest
          up  down                 nudge that point's latent in the map's channel by 0.1 ([ ] pick it)
        view
          + or =  /  -             zoom in / out
          h j k l, shift+arrows    pan left / down / up / right
          0                        reset the view
          [  ]                     previous / next latent channel
          c                        four channels in colour / one in grey
          a                        automatic range / the fixed one
        the fragments panel
          ○ no path  ◐ path too short  ● path complete  ! a warning (shown under the selected one)
        other
          :                        command line (the actions of standard input); Enter performs, Esc closes
          ?                        this list; Esc closes it
          Ctrl+S                   save the session now (it autosaves too); :save DIR saves it as, :open DIR opens one
          Ctrl+Q                   quit (Esc never quits)
        """;
}
