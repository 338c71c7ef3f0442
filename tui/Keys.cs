namespace LatentTerrain.Tui;

/// <summary>Every key of the interface, by mode: the help bar shows the current mode's, <c>?</c> shows them all.</summary>
internal static class Keys
{
    public static readonly (string Key, string What)[] Play =
    [
        // The way out and the full list first: a narrow help bar cuts its right end.
        ("?", "keys"),
        ("^Q", "quit"),
        ("drag", "play"),
        ("+ -", "zoom"),
        ("hjkl", "pan"),
        ("0", "reset view"),
        ("[ ]", "channel"),
        ("c", "colour"),
        ("a", "auto range"),
        ("space", "key finger"),
        (":", "command"),
    ];

    public static readonly (string Key, string What)[] Command =
    [
        ("Enter", "perform"),
        ("Esc", "close"),
    ];

    public static readonly (string Key, string What)[] Help =
    [
        ("Esc", "close"),
        ("^Q", "quit"),
    ];

    /// <summary>The help overlay's text: every key, one a line.</summary>
    public const string All = """
        playing
          mouse drag on the map    play (finger 0); release lifts it
          mouse wheel              zoom around the pointer
          space                    the keyboard finger (1) sounds / stops
          arrows                   move the keyboard finger
        view
          + or =  /  -             zoom in / out
          h j k l, shift+arrows    pan left / down / up / right
          0                        reset the view
          [  ]                     previous / next latent channel
          c                        four channels in colour / one in grey
          a                        automatic range / the fixed one
        other
          :                        command line (the actions of standard input); Enter performs, Esc closes
          ?                        this list; Esc closes it
          Ctrl+Q                   quit (Esc never quits)
        """;
}
