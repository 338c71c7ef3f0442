using LatentTerrain.Engine.Files;

namespace LatentTerrain.Engine.Audio;

/// <summary>
/// Writes what the instrument plays to a sound file from a thread of its own: the synth thread
/// only copies each block into <see cref="Ring"/>, and this thread drains it to disk, so a slow
/// disk can never stall the sound. The file appears (atomically) when the recording stops.
/// </summary>
public sealed class Recorder : IDisposable
{
    private readonly Thread _thread;
    private readonly string _path;
    private readonly int _sampleRate, _channels;
    private volatile bool _stopping;
    private Exception? _failure;

    /// <summary>Room for two seconds: the writer thread may fall that far behind before frames are lost.</summary>
    public Recorder(string path, int sampleRate, int channels)
    {
        _path = path;
        _sampleRate = sampleRate;
        _channels = channels;
        Ring = new AudioRing(2 * sampleRate, channels);
        _thread = new Thread(Run) { IsBackground = true, Name = "recorder", Priority = ThreadPriority.BelowNormal };
        _thread.Start();
    }

    /// <summary>Where the synth thread puts each block it renders.</summary>
    public AudioRing Ring { get; }

    private void Run()
    {
        Synthesis.Scheduling.TryMakeBackground();
        try
        {
            AtomicFile.Write(_path, stream =>
            {
                using var file = SoundFile.Create(((FileStream)stream).SafeFileHandle, _path, AudioFileFormats.FromPath(_path), _sampleRate, _channels);
                var chunk = new float[4096 * _channels];
                while (true)
                {
                    bool stopping = _stopping;
                    int frames = Ring.Read(chunk);
                    if (frames > 0) file.WriteFrames(chunk.AsSpan(0, frames * _channels));
                    else if (stopping) break;
                    else Thread.Sleep(10);
                }
            });
        }
        catch (Exception e)
        {
            _failure = e;
        }
    }

    /// <summary>Stops after writing everything already queued and completes the file; rethrows a write failure.</summary>
    public void Stop()
    {
        _stopping = true;
        _thread.Join();
        if (_failure != null) throw _failure;
    }

    /// <summary>Stops without rethrowing and frees the ring; the synth thread must no longer write to it.</summary>
    public void Dispose()
    {
        _stopping = true;
        if (_thread.IsAlive) _thread.Join();
        Ring.Dispose();
    }
}
