using System.Diagnostics;
using LatentTerrain.Engine.Audio;

namespace LatentTerrain.Tests.Support;

/// <summary>
/// An audio device for tests whose clock the test moves: each call takes blocks from an
/// <see cref="AudioRing"/> through the C core every real device's callback calls
/// (<c>terrain_ring_pull</c>, engine/native/audio_ring.c), on the caller's thread, and keeps what it
/// took. So the live path (synth thread, ring, callback) runs for real while nothing depends on how
/// busy the machine is: simulated time passes by exactly one period a block, and faults (a stall,
/// callbacks that come early, a gap the host flags) happen when the test says.
/// </summary>
/// <remarks>
/// A <em>patient</em> device waits before each block until the ring holds it, so a slow or descheduled
/// synth thread never causes an underrun and what is played is exactly what was written; an impatient
/// one takes what is there, as a real device does. Simulated time starts at 1 s of CLOCK_MONOTONIC,
/// long past, so a synth thread comparing it with the wall clock finds every block already due and
/// renders as soon as a pull makes room, never sleeping on the wall clock. Pulling allocates nothing.
/// </remarks>
public sealed unsafe class SimulatedDevice
{
    private const long Origin = 1_000_000_000;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly AudioRing _ring;
    private readonly float[] _played;
    private long _frames;
    private bool _gap;

    /// <param name="seconds">How much the device keeps of what it plays (more is an error).</param>
    /// <param name="patient">Whether each block waits until the ring holds it (see the remarks).</param>
    public SimulatedDevice(AudioRing ring, int sampleRate, int periodFrames, double seconds, bool patient)
    {
        _ring = ring;
        SampleRate = sampleRate;
        PeriodFrames = periodFrames;
        Patient = patient;
        _played = new float[(int)Math.Ceiling(seconds * sampleRate / periodFrames) * periodFrames * ring.Channels];
        // The C core needs the rate to know half a period, below which a callback is early.
        ring.SetSampleRate(sampleRate);
    }

    public int SampleRate { get; }
    public int PeriodFrames { get; }
    public bool Patient { get; }

    /// <summary>Simulated CLOCK_MONOTONIC nanoseconds: when the next block is due.</summary>
    public long Now => Origin + _frames * 1_000_000_000 / SampleRate;

    /// <summary>Frames handed over so far, underruns' silence included.</summary>
    public int FramesPlayed { get; private set; }

    /// <summary>What the device played: interleaved frames, as a device's buffers would carry them.</summary>
    public ReadOnlySpan<float> Played => _played.AsSpan(0, FramesPlayed * _ring.Channels);

    /// <summary>One channel of what was played.</summary>
    public float[] PlayedChannel(int channel)
    {
        int channels = _ring.Channels;
        var samples = new float[FramesPlayed];
        for (int i = 0; i < samples.Length; i++) samples[i] = _played[i * channels + channel];
        return samples;
    }

    /// <summary>Plays <paramref name="blocks"/> blocks, each a period after the one before.</summary>
    public void Play(int blocks)
    {
        for (int i = 0; i < blocks; i++)
        {
            Pull(Patient);
            _frames += PeriodFrames;
        }
    }

    /// <summary>Lets <paramref name="periods"/> periods pass without a callback: a device or server that stalled.</summary>
    public void Stall(int periods) => _frames += (long)periods * PeriodFrames;

    /// <summary>
    /// Plays <paramref name="blocks"/> blocks back to back, all at the time the first is due (a
    /// device catching up after a stall): all but the first come less than half a period after the
    /// one before, which the core calls early. A device catching up takes what the ring holds, so
    /// these never wait, even on a patient device.
    /// </summary>
    public void CatchUp(int blocks)
    {
        for (int i = 0; i < blocks; i++) Pull(patient: false);
        _frames += PeriodFrames;
    }

    /// <summary>The next block comes with the host's word that it missed a period (a JACK xrun, PortAudio's underflow flag).</summary>
    public void FlagGap() => _gap = true;

    private void Pull(bool patient)
    {
        int channels = _ring.Channels;
        if ((FramesPlayed + PeriodFrames) * channels > _played.Length)
            throw new InvalidOperationException($"the simulated device keeps {_played.Length / channels} frames and has played them");
        if (patient) AwaitBlock();
        fixed (float* played = _played)
        {
            // Heard a period after its callback began, as through a device's double buffer.
            double heardAt = (Now + PeriodFrames * 1_000_000_000L / SampleRate) / 1e9;
            NativeAudio.terrain_ring_pull(_ring.Native, played + FramesPlayed * channels, PeriodFrames, Now, heardAt, _gap ? 1 : 0);
        }
        _gap = false;
        FramesPlayed += PeriodFrames;
    }

    /// <summary>Waits, yielding the processor, until the ring holds a block; a writer that never writes fails the test.</summary>
    private void AwaitBlock()
    {
        long since = Stopwatch.GetTimestamp();
        var spin = new SpinWait();
        while (_ring.Count < PeriodFrames)
        {
            if (Stopwatch.GetElapsedTime(since) > Patience)
                throw new TimeoutException($"the ring held {_ring.Count} of {PeriodFrames} frames for {Patience.TotalSeconds} s: is its writer running?");
            spin.SpinOnce(sleep1Threshold: -1);
        }
    }
}
