using System.Globalization;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace LatentTerrain.Models.Onnx;

/// <summary>
/// An ONNX decoder (<c>M.onnx</c>) as an autoencoder, with its encoder in <c>M.encoder.onnx</c> when
/// that file is there. The conventions (models/README.md has them in full):
/// <list type="bullet">
/// <item>the decoder takes <c>latent</c> [batch, latent_size, frames] and returns <c>audio</c>
/// [batch, channels, frames * ratio];</item>
/// <item>streaming state is explicit: every input <c>state_in_X</c> has an output <c>state_out_X</c>
/// of the same shape ([batch, ...], the rest fixed), fed back as the next call's input, zeros at first;</item>
/// <item>latent_size, ratio, sample_rate and channels come from the model's metadata properties of
/// those names, or from a sidecar <c>M.json</c> object with the same keys; latent size and channels
/// may instead be fixed dimensions of <c>latent</c> and <c>audio</c>; a sample rate found nowhere
/// comes from <see cref="ModelOptions"/>;</item>
/// <item>the encoder takes <c>audio</c> [batch, channels, samples] and returns <c>latent</c>
/// [batch, latent_size, samples / ratio].</item>
/// </list>
/// Any other input is refused when the model opens. Opening decodes one frame of silence, so a model
/// that returns the wrong shape or NaN fails at once.
/// </summary>
public sealed class OnnxModel : IAutoencoder, IBatchDecoding
{
    public const string LatentInput = "latent", AudioOutput = "audio", StateIn = "state_in_", StateOut = "state_out_";
    public const string EncoderSuffix = ".encoder.onnx";

    private readonly OnnxRuntime.Session _decoder;
    private readonly OnnxRuntime.Session? _encoder;

    private OnnxModel(string path, OnnxRuntime.Session decoder, OnnxRuntime.Session? encoder)
    {
        Path = path;
        _decoder = decoder;
        _encoder = encoder;
    }

    /// <exception cref="ModelException">The file cannot be loaded, breaks the conventions, or misbehaves.</exception>
    public static OnnxModel Open(string path, ModelOptions? options = null)
    {
        options ??= new ModelOptions();
        var decoder = OnnxRuntime.Session.Open(path, options.Threads);
        OnnxRuntime.Session? encoder = null;
        try
        {
            string encoderPath = EncoderPath(path);
            if (File.Exists(encoderPath)) encoder = OnnxRuntime.Session.Open(encoderPath, options.Threads);
            var model = new OnnxModel(path, decoder, encoder);
            model.ReadShapes(options);
            using (var probe = new OnnxDecoder(model, decoder, 1))
                probe.Decode(new float[model.LatentSize], new float[model.Channels * model.Ratio]);
            return model;
        }
        catch
        {
            decoder.Dispose();
            encoder?.Dispose();
            throw;
        }
    }

    /// <summary>What an ONNX file says about itself: its graph as one method, its metadata as attributes.</summary>
    public static ModelDescription Describe(string path)
    {
        using var session = OnnxRuntime.Session.Open(path, threads: 1);
        var attributes = session.Inputs.Select(i => KeyValuePair.Create($"input {i.Name}", i.ShapeText))
            .Concat(session.Outputs.Select(o => KeyValuePair.Create($"output {o.Name}", o.ShapeText)))
            .Concat(session.Metadata.Select(m => KeyValuePair.Create($"metadata {m.Key}", m.Value)))
            .ToArray();
        return new ModelDescription([], attributes);
    }

    public string Name => System.IO.Path.GetFileName(Path);
    public string Path { get; }
    public int LatentSize { get; private set; }
    public int Ratio { get; private set; }
    public int SampleRate { get; private set; }
    public int Channels { get; private set; }
    public bool CanEncode => _encoder is not null;
    /// <summary>The state tensors' shapes without their batch dimension, by name suffix (state_in_X -> X).</summary>
    internal IReadOnlyList<(string Suffix, long[] Shape)> States { get; private set; } = [];

    public static string EncoderPath(string path) =>
        System.IO.Path.Combine(System.IO.Path.GetDirectoryName(path) ?? "", System.IO.Path.GetFileNameWithoutExtension(path) + EncoderSuffix);

    /// <exception cref="ModelException">There is no encoder file, or it failed.</exception>
    public float[] Encode(ReadOnlySpan<float> audio)
    {
        if (_encoder is null) throw new ModelException(Path, $"no encoder ({System.IO.Path.GetFileName(EncoderPath(Path))} is not next to it), so it cannot encode sound");
        if (audio.Length % Channels != 0) throw new ArgumentException($"{audio.Length} samples are not a whole number of {Channels}-channel frames", nameof(audio));
        int samples = audio.Length / Channels, frames = samples / Ratio;
        if (frames == 0) return [];
        using var input = OnnxRuntime.Tensor.Create(_encoder.Path, 1, Channels, frames * Ratio);
        using var output = OnnxRuntime.Tensor.Create(_encoder.Path, 1, LatentSize, frames);
        for (int c = 0; c < Channels; c++) audio.Slice(c * samples, frames * Ratio).CopyTo(input.Data[(c * frames * Ratio)..]);
        using (var call = new OnnxRuntime.Call(_encoder, [(AudioOutput, input)], [(LatentInput, output)])) call.Run();
        ModelException.ThrowIfNotFinite(_encoder.Path, output.Data, "the encoder");
        var planar = output.Data;
        var rows = new float[frames * LatentSize];
        for (int d = 0; d < LatentSize; d++)
            for (int f = 0; f < frames; f++) rows[f * LatentSize + d] = planar[d * frames + f];
        return rows;
    }

    /// <summary>A decoder with state of its own; decoders share the model's one session.</summary>
    public IStreamingDecoder CreateDecoder() => new OnnxDecoder(this, _decoder, 1);

    public IBatchDecoder CreateBatchDecoder(int voices)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(voices);
        return new OnnxDecoder(this, _decoder, voices);
    }

    public void Dispose()
    {
        _decoder.Dispose();
        _encoder?.Dispose();
    }

    private void ReadShapes(ModelOptions options)
    {
        string Problem(string what) => throw new ModelException(Path, what);
        var latent = _decoder.Inputs.FirstOrDefault(i => i.Name == LatentInput) ?? throw new ModelException(Path, $"no input '{LatentInput}' (its inputs: {List(_decoder.Inputs)})");
        var audio = _decoder.Outputs.FirstOrDefault(o => o.Name == AudioOutput) ?? throw new ModelException(Path, $"no output '{AudioOutput}' (its outputs: {List(_decoder.Outputs)})");
        foreach (var input in _decoder.Inputs)
            if (input.Name != LatentInput && !input.Name.StartsWith(StateIn, StringComparison.Ordinal))
                Problem($"unexpected input '{input.Name}' (a decoder takes '{LatentInput}' and {StateIn}* state tensors only)");
        foreach (var tensor in _decoder.Inputs.Concat(_decoder.Outputs))
            if (tensor.ElementType != TensorElementType.Float) Problem($"'{tensor.Name}' is not a float tensor");
        if (latent.Shape.Length != 3 || audio.Shape.Length != 3)
            Problem($"'{LatentInput}' and '{AudioOutput}' must be [batch, channels, time]; they are {latent} and {audio}");

        var states = new List<(string, long[])>();
        foreach (var input in _decoder.Inputs.Where(i => i.Name.StartsWith(StateIn, StringComparison.Ordinal)))
        {
            string suffix = input.Name[StateIn.Length..];
            var output = _decoder.Outputs.FirstOrDefault(o => o.Name == StateOut + suffix) ?? throw new ModelException(Path, $"input '{input.Name}' has no output '{StateOut}{suffix}' to feed it");
            // Exporters often leave the output's sizes symbolic: only sizes fixed on both sides must agree.
            if (input.Shape.Length == 0 || input.Shape.Skip(1).Any(d => d <= 0) || output.Shape.Length != input.Shape.Length
                || input.Shape.Zip(output.Shape).Skip(1).Any(p => p.Second > 0 && p.Second != p.First))
                Problem($"state '{input.Name}' must be [batch, fixed sizes...] like '{output.Name}'; they are {input} and {output}");
            states.Add((suffix, input.Shape[1..]));
        }
        foreach (var output in _decoder.Outputs)
            if (output.Name != AudioOutput && !(output.Name.StartsWith(StateOut, StringComparison.Ordinal) && states.Any(s => StateOut + s.Item1 == output.Name)))
                Problem($"unexpected output '{output.Name}' (a decoder returns '{AudioOutput}' and {StateOut}* for each {StateIn}*)");
        States = states;

        var said = Properties();
        LatentSize = Agree("latent_size", said, latent.Shape[1]);
        Channels = Agree("channels", said, audio.Shape[1]);
        long? fixedRatio = latent.Shape[2] > 0 && audio.Shape[2] > 0 && audio.Shape[2] % latent.Shape[2] == 0 ? audio.Shape[2] / latent.Shape[2] : null;
        Ratio = Agree("ratio", said, fixedRatio ?? -1);
        SampleRate = options.ResolveSampleRate(Path, said.TryGetValue("sample_rate", out int rate) ? rate : null);
        if (LatentSize > 4096 || Channels > 32 || Ratio > 1 << 20) Problem($"latent size {LatentSize}, {Channels} channels, ratio {Ratio}: beyond what the instrument plays");
    }

    /// <summary>The metadata properties, or else the sidecar JSON, as integers.</summary>
    private Dictionary<string, int> Properties()
    {
        string[] keys = ["latent_size", "ratio", "sample_rate", "channels"];
        var found = new Dictionary<string, int>();
        if (keys.Any(_decoder.Metadata.ContainsKey))
        {
            foreach (string key in keys)
                if (_decoder.Metadata.TryGetValue(key, out string? text))
                    found[key] = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value > 0
                        ? value : throw new ModelException(Path, $"metadata {key} is '{text}', not a positive integer");
            return found;
        }
        string sidecar = System.IO.Path.ChangeExtension(Path, ".json");
        if (!File.Exists(sidecar)) return found;
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(sidecar));
            foreach (string key in keys)
                if (json.RootElement.TryGetProperty(key, out var value))
                    found[key] = value.TryGetInt32(out int number) && number > 0 ? number : throw new ModelException(sidecar, $"{key} is {value}, not a positive integer");
        }
        catch (JsonException e)
        {
            throw new ModelException(sidecar, $"not JSON ({e.Message})");
        }
        return found;
    }

    private int Agree(string key, Dictionary<string, int> said, long fromShape)
    {
        if (said.TryGetValue(key, out int value))
        {
            if (fromShape > 0 && fromShape != value) throw new ModelException(Path, $"its {key} is {value} by its metadata but {fromShape} by its tensors' shapes");
            return value;
        }
        return fromShape > 0 ? (int)fromShape : throw new ModelException(Path, $"{key} is unknown: give it in the model's metadata properties or in {System.IO.Path.GetFileName(System.IO.Path.ChangeExtension(Path, ".json"))}");
    }

    private static string List(IReadOnlyList<OnnxRuntime.TensorInfo> tensors) => tensors.Count == 0 ? "none" : string.Join(", ", tensors);
}
