using LatentTerrain.Engine.Audio;

namespace LatentTerrain.Tests.Support;

/// <summary>
/// A JACK client of a test's own that plays a sound into the ports it is given (the instrument's
/// input): the engine's own JACK client under another name, so no managed code runs in JACK's
/// thread. It plays silence until <see cref="Play"/> queues a sound, so the sound is not cut by the
/// connections being made.
/// </summary>
public sealed class JackPlayer : IDisposable
{
    public const string ClientName = "lt-player";

    private readonly AudioRing _ring;
    private readonly JackOutput _client;

    /// <param name="seconds">The longest sound it plays.</param>
    /// <param name="destinations">The port each of its channels feeds, in order.</param>
    public JackPlayer(JackServer server, double seconds, params string[] destinations)
    {
        _ring = new AudioRing((int)(seconds * server.SampleRate), destinations.Length);
        _ring.SetSampleRate(server.SampleRate);
        _client = JackOutput.Open(_ring, "opening the test's player", ClientName);
        _client.Start();
        for (int c = 0; c < destinations.Length; c++) server.Connect($"{ClientName}:out_{c}", destinations[c]);
    }

    /// <summary>Plays <paramref name="interleaved"/> from the server's next cycle on, then silence again.</summary>
    public void Play(float[] interleaved)
    {
        if (_ring.Write(interleaved) * _ring.Channels != interleaved.Length)
            throw new ArgumentException($"the player holds {_ring.Free} frames, not {interleaved.Length / _ring.Channels}", nameof(interleaved));
    }

    public void Dispose()
    {
        _client.Stop();
        _client.Dispose();
        _ring.Dispose();
    }
}
