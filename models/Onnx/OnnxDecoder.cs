namespace LatentTerrain.Models.Onnx;

/// <summary>
/// Streams latent frames through an ONNX decoder for one voice or a batch of voices, carrying the
/// state tensors itself: two sets of state tensors take turns, one read (<c>state_in_*</c>) while
/// ONNX Runtime writes the other (<c>state_out_*</c>), so nothing is copied or allocated per frame.
/// </summary>
internal sealed class OnnxDecoder : IStreamingDecoder, IBatchDecoder
{
    private readonly OnnxModel _model;
    private readonly OnnxRuntime.Tensor _latent, _audio;
    private readonly OnnxRuntime.Tensor[][] _states;  // [2][state]
    private readonly OnnxRuntime.Call[] _calls;       // _calls[i] reads _states[i], writes _states[1 - i]
    private int _turn;

    public OnnxDecoder(OnnxModel model, OnnxRuntime.Session session, int voices)
    {
        _model = model;
        Voices = voices;
        _latent = OnnxRuntime.Tensor.Create(model.Path, voices, model.LatentSize, 1);
        _audio = OnnxRuntime.Tensor.Create(model.Path, voices, model.Channels, model.Ratio);
        _states = [.. Enumerable.Range(0, 2).Select(_ => model.States.Select(s => OnnxRuntime.Tensor.Create(model.Path, [voices, .. s.Shape])).ToArray())];
        _calls = [.. Enumerable.Range(0, 2).Select(i => new OnnxRuntime.Call(session,
            [(OnnxModel.LatentInput, _latent), .. model.States.Select((s, k) => (OnnxModel.StateIn + s.Suffix, _states[i][k]))],
            [(OnnxModel.AudioOutput, _audio), .. model.States.Select((s, k) => (OnnxModel.StateOut + s.Suffix, _states[1 - i][k]))]))];
    }

    public int Voices { get; }

    /// <exception cref="ModelException">ONNX Runtime failed, or the model returned the wrong shape, NaN or infinity.</exception>
    public void Decode(ReadOnlySpan<float> latent, Span<float> audio)
    {
        int samples = _audio.Data.Length;
        if (latent.Length != _latent.Data.Length) throw new ArgumentException($"expected {Voices} x {_model.LatentSize} latents, got {latent.Length}", nameof(latent));
        if (audio.Length < samples) throw new ArgumentException($"expected room for {samples} samples, got {audio.Length}", nameof(audio));
        // [voices, latent] rows are the [voices, latent, 1] tensor already: one frame in time.
        latent.CopyTo(_latent.Data);
        _calls[_turn].Run();
        _turn = 1 - _turn;
        _audio.Data.CopyTo(audio);
        ModelException.ThrowIfNotFinite(_model.Path, _audio.Data, "decode");
    }

    public void Reset()
    {
        foreach (var set in _states)
            foreach (var state in set) state.Data.Clear();
        _turn = 0;
    }

    public void Dispose()
    {
        foreach (var call in _calls) call.Dispose();
        foreach (var set in _states)
            foreach (var state in set) state.Dispose();
        _latent.Dispose();
        _audio.Dispose();
    }
}
