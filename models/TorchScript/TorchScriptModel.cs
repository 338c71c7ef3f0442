using System.Text;

namespace LatentTerrain.Models.TorchScript;

/// <summary>
/// An nn~ model (a TorchScript <c>.ts</c> file, as RAVE, Music2Latent or Stable Audio codec exports
/// are) as an autoencoder: latent size and ratio from <c>decode_params</c> (<c>encode_params</c> must
/// agree on them, its channels may differ), channels from the decoder's output, sample rate from the model
/// (<c>get_sample_rate</c> or a <c>sample_rate</c>/<c>sampling_rate</c>/<c>sr</c> attribute) or else
/// <see cref="ModelOptions"/>. Opening runs one frame of silence through the decoder (and one
/// frame through the encoder) so that a model that returns the wrong shape or NaN fails here, not
/// while playing.
/// </summary>
/// <remarks>
/// nn~ models keep the state of their cached convolutions inside the module, so each decoder loads
/// a module of its own (one per voice), or one module decodes a batch of voices.
/// </remarks>
public sealed class TorchScriptModel : IAutoencoder, IBatchDecoding
{
    internal static readonly byte[] DecodeMethod = Encoding.UTF8.GetBytes("decode\0");
    private static readonly byte[] EncodeMethod = Encoding.UTF8.GetBytes("encode\0");
    private static readonly string[] SampleRateAttributes = ["sample_rate", "sampling_rate", "sr"];

    private readonly TorchModule _module;  // encodes, answers questions; never decodes a voice
    private readonly ModelMethod? _encode;
    private readonly List<KeyValuePair<string, string>> _settings = [];  // attributes set, for every new decoder's module

    private TorchScriptModel(TorchModule module, ModelMethod decode, ModelMethod? encode)
    {
        _module = module;
        _encode = encode;
        Decode = decode;
    }

    /// <summary>Loads and checks an nn~ model.</summary>
    /// <exception cref="ModelException">The file cannot be loaded, has no usable decode method, or misbehaves.</exception>
    public static TorchScriptModel Open(string path, ModelOptions? options = null)
    {
        options ??= new ModelOptions();
        TorchModule.Threads = options.Threads;
        var module = TorchModule.Load(path);
        try
        {
            var methods = module.Methods();
            if (!methods.Contains("decode"))
                throw new ModelException(path, $"no decode method, so it cannot be played (its methods: {(methods.Count == 0 ? "none" : string.Join(", ", methods))})");
            var decode = module.Method("decode");
            if (decode.OutRatio != 1)
                throw new ModelException(path, $"decode_params say decode returns audio at ratio {decode.OutRatio}; an autoencoder's decoder returns audio (ratio 1)");
            var encode = methods.Contains("encode") ? module.Method("encode") : (ModelMethod?)null;
            // As nn~ does, each method is taken on its own: the encoder may take other channels than the
            // decoder returns (a mono encoder, a stereo decoder), but its latents must be the decoder's.
            if (encode is { } e && (e.InRatio != 1 || e.OutChannels != decode.InChannels || e.OutRatio != decode.InRatio))
                throw new ModelException(path, $"encode_params [{e.InChannels}, {e.InRatio}, {e.OutChannels}, {e.OutRatio}] do not match decode_params [{decode.InChannels}, {decode.InRatio}, {decode.OutChannels}, {decode.OutRatio}]: " +
                    "encode must take audio (ratio 1) to the latent size and ratio that decode takes");
            var model = new TorchScriptModel(module, decode, encode);
            model.Probe();
            model.SampleRate = options.ResolveSampleRate(path, DeclaredSampleRate(module));
            return model;
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }

    /// <summary>What any TorchScript file says about itself: methods with their params, attributes with their values.</summary>
    /// <exception cref="ModelException">The file cannot be loaded, or a method's params are malformed.</exception>
    public static ModelDescription Describe(string path)
    {
        using var module = TorchModule.Load(path);
        var methods = module.Methods().Select(module.Method).ToArray();
        var attributes = module.Attributes().Select(name => KeyValuePair.Create(name, module.Attribute(name) ?? "(unreadable)")).ToArray();
        return new ModelDescription(methods, attributes);
    }

    public string Name => System.IO.Path.GetFileName(Path);
    public string Path => _module.Path;
    /// <summary>The decode method's params: latent size in, ratio, channels out.</summary>
    public ModelMethod Decode { get; }
    public int LatentSize => Decode.InChannels;
    public int Ratio => Decode.InRatio;
    public int SampleRate { get; private set; }
    public int Channels => Decode.OutChannels;
    /// <summary>The channels encode takes (encode_params), which may differ from <see cref="Channels"/>; null without an encoder.</summary>
    public int? EncoderChannels => _encode?.InChannels;
    public bool CanEncode => _encode is not null;

    /// <summary>
    /// Encodes in one call, from a fresh state. The audio (<see cref="Channels"/> channels) is cut to
    /// whole frames, then mixed down or spread to the encoder's channels: encoder channel e averages
    /// the channels c with c % encoderChannels == e, or copies channel e % channels.
    /// </summary>
    /// <exception cref="ModelException">The model has no encode method, or it failed.</exception>
    public float[] Encode(ReadOnlySpan<float> audio)
    {
        if (_encode is not { InChannels: int encoderChannels }) throw new ModelException(Path, "no encode method, so it cannot encode sound");
        if (audio.Length % Channels != 0) throw new ArgumentException($"{audio.Length} samples are not a whole number of {Channels}-channel frames", nameof(audio));
        int samples = audio.Length / Channels, frames = samples / Ratio, length = frames * Ratio;
        if (frames == 0) return [];
        var input = new float[encoderChannels * length];
        for (int c = 0; c < Math.Max(Channels, encoderChannels); c++)
        {
            int from = c % Channels, to = c % encoderChannels;
            float weight = Channels > encoderChannels ? 1f / ((Channels - to + encoderChannels - 1) / encoderChannels) : 1f;
            var source = audio.Slice(from * samples, length);
            var target = input.AsSpan(to * length, length);
            for (int t = 0; t < length; t++) target[t] += weight * source[t];
        }
        var planar = new float[LatentSize * frames];
        _module.Reset();
        _module.Run(EncodeMethod, input, 1, encoderChannels, length, planar, LatentSize, frames);
        _module.Reset();
        ModelException.ThrowIfNotFinite(Path, planar, "encode");
        var rows = new float[frames * LatentSize];
        for (int d = 0; d < LatentSize; d++)
            for (int f = 0; f < frames; f++) rows[f * LatentSize + d] = planar[d * frames + f];
        return rows;
    }

    /// <summary>A decoder with a module of its own (the weights shared, the state its own), for one voice, ready to play (see <see cref="WarmedUp"/>).</summary>
    /// <exception cref="ModelException">The module fails on silence.</exception>
    public IStreamingDecoder CreateDecoder() => WarmedUp(new TorchScriptDecoder(this, NewModule(), voices: 1), "cannot decode");

    /// <summary>One module decoding <paramref name="voices"/> voices per call, each in its own batch row.</summary>
    /// <exception cref="ModelException">The module cannot decode that many voices in one call.</exception>
    public IBatchDecoder CreateBatchDecoder(int voices)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(voices);
        return WarmedUp(new TorchScriptDecoder(this, NewModule(), voices), $"cannot decode {voices} voices in one call");
    }

    /// <summary>
    /// Decodes two frames of silence with a new module and resets it: TorchScript profiles a
    /// module's first call and optimises on its second, each many frames' worth of time, which
    /// must happen here, where the module is made, and not on the synth thread at a note's start.
    /// </summary>
    private TorchScriptDecoder WarmedUp(TorchScriptDecoder decoder, string failure)
    {
        try
        {
            var latent = new float[decoder.Voices * LatentSize];
            var audio = new float[decoder.Voices * Channels * Ratio];
            for (int i = 0; i < 2; i++) decoder.Decode(latent, audio);
            decoder.Reset();
            return decoder;
        }
        catch (ModelException e)
        {
            decoder.Dispose();
            throw new ModelException(Path, $"{failure}: {e.Problem}");
        }
    }

    /// <summary>An attribute's value as text, or null when the model has no such attribute.</summary>
    public string? Attribute(string name) => _module.Attribute(name);

    /// <summary>
    /// Calls the model's <c>set_&lt;name&gt;</c> (nn~'s attributes) with the text parsed as the
    /// attribute's type; decoders created from now on get it too, existing ones keep theirs.
    /// </summary>
    /// <exception cref="ModelException">No such attribute, a value of the wrong type, or the model refused it.</exception>
    public void SetAttribute(string name, string value)
    {
        _module.SetAttribute(name, value);
        _settings.RemoveAll(setting => setting.Key == name);
        _settings.Add(KeyValuePair.Create(name, value));
    }

    public void Dispose() => _module.Dispose();

    private TorchModule NewModule()
    {
        var module = _module.Copy();
        try
        {
            // The copy starts from the buffers at load: a setter that wrote one is applied again.
            foreach (var (name, value) in _settings) module.SetAttribute(name, value);
            return module;
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }

    /// <summary>One frame of silence through decode (and encode): shape and NaN problems show at once.</summary>
    private void Probe()
    {
        var latent = new float[LatentSize];
        var audio = new float[Channels * Ratio];
        _module.Run(DecodeMethod, latent, 1, LatentSize, 1, audio, Channels, Ratio);
        ModelException.ThrowIfNotFinite(Path, audio, "decode");
        if (_encode is not null) Encode(audio);
        _module.Reset();
    }

    private static int? DeclaredSampleRate(TorchModule module)
    {
        foreach (string name in SampleRateAttributes)
            if (module.Attribute(name) is string text)
                return double.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out double rate) && rate is >= 1 and <= int.MaxValue
                    ? (int)rate
                    : throw new ModelException(module.Path, $"its {name} is '{text}', not a number of hertz");
        return null;
    }
}
