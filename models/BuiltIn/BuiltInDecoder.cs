using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace LatentTerrain.Models.BuiltIn;

/// <summary>
/// One voice of the built-in codec: latent frame in, <c>Ratio</c> samples out. The harmonic waveform
/// (unit mean square) is summed per noise channel, and each channel's sum is multiplied by
/// <c>harmonic gain + noise gain · ν</c>, with ν that channel's pitch-synchronous noise; pitch, harmonic amplitudes and both gains glide from the previous frame's
/// values to this frame's within the frame, reaching them on its last sample (the one-frame ramp the
/// encoder's timing matches). After a reset the first frame fades in from silence.
/// </summary>
internal sealed class BuiltInDecoder : IStreamingDecoder
{
    private readonly int _frame;
    private readonly HarmonicOscillatorBank _harmonics;
    private readonly NoiseSource _noise;
    private readonly float[] _amplitudes = new float[HarmonicOscillatorBank.MaxHarmonics];
    private float _harmonicGain, _noiseGain;

    public BuiltInDecoder(int sampleRate, int frame, uint seed)
    {
        _frame = frame;
        _harmonics = new HarmonicOscillatorBank(sampleRate, frame);
        _noise = new NoiseSource(seed, frame);
        // One frame here compiles the code and builds the static tables before the audio thread first needs them.
        Decode(new float[CodecLatents.Count], new float[frame]);
        Reset();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Decode(ReadOnlySpan<float> latent, Span<float> audio)
    {
        if (latent.Length != CodecLatents.Count)
            throw new ArgumentException($"the built-in codec decodes frames of {CodecLatents.Count} latents, not {latent.Length}", nameof(latent));
        if (audio.Length != _frame)
            throw new ArgumentException($"the built-in codec decodes {_frame} samples per frame, not {audio.Length}", nameof(audio));
        var frame = SynthesisFrame.FromLatents(latent);
        UnitAmplitudes(frame, _harmonics, _amplitudes);
        _harmonics.Render(frame.F0, _amplitudes);
        float harmonicGain = MathF.Sqrt(frame.MeanSquare * (1f - frame.NoiseFraction));
        float noiseGain = MathF.Sqrt(frame.MeanSquare * frame.NoiseFraction);
        _noise.Mix(_harmonics.HalfPeriods, _harmonics.ChannelSums, _harmonics.Stride, _harmonics.UsedChannels,
            (_harmonicGain, harmonicGain), (_noiseGain, noiseGain), audio);
        _harmonicGain = harmonicGain;
        _noiseGain = noiseGain;
    }

    public void Reset()
    {
        _harmonics.Reset();
        _harmonicGain = _noiseGain = 0;
    }

    public void Dispose() { }

    /// <summary>Harmonic amplitudes of unit mean square after the band-limit gains at this pitch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void UnitAmplitudes(in SynthesisFrame frame, HarmonicOscillatorBank bank, Span<float> amplitudes)
    {
        HarmonicEnvelope.Amplitudes(frame, amplitudes);
        TensorPrimitives.Multiply(amplitudes, 1f / MathF.Sqrt(bank.MeanSquare(frame.F0, amplitudes)), amplitudes);
    }
}
