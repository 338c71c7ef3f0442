namespace LatentTerrain.Engine.Audio;

/// <summary>A PortAudio host API: a way to reach sound hardware (ALSA, OSS, JACK).</summary>
/// <param name="DefaultOutputDevice">The device index this host API plays on by default, or null.</param>
/// <param name="IsDefault">PortAudio's default host API: the one whose default output device is the default.</param>
public sealed record AudioHostApi(int Index, string Name, int DeviceCount, int? DefaultOutputDevice, bool IsDefault);

/// <summary>An audio device as PortAudio sees it. Latencies are in seconds.</summary>
/// <param name="Index">PortAudio's device index: valid until PortAudio looks for devices again.</param>
/// <param name="HostApi">The name of the host API it belongs to.</param>
/// <param name="IsDefault">PortAudio's default output device.</param>
public sealed record AudioDevice(int Index, string Name, string HostApi, int MaxOutputChannels, double DefaultSampleRate,
    double DefaultLowOutputLatency, double DefaultHighOutputLatency, bool IsDefault)
{
    /// <summary>Channels it records: JACK's physical capture ports for JACK's device.</summary>
    public int MaxInputChannels { get; init; }

    public double DefaultLowInputLatency { get; init; }

    /// <summary>How messages name it: 'system' (JACK Audio Connection Kit).</summary>
    public override string ToString() => $"'{Name}' ({HostApi})";
}

/// <summary>What <see cref="AudioDevices.List"/> found.</summary>
/// <param name="PortAudioVersion">PortAudio's version text, for bug reports.</param>
/// <param name="OutputDevices">Devices with at least one output channel, in PortAudio's order.</param>
public sealed record AudioDeviceList(string PortAudioVersion, IReadOnlyList<AudioHostApi> HostApis, IReadOnlyList<AudioDevice> OutputDevices)
{
    /// <summary>Where sound goes when no device is chosen; null when there is nowhere.</summary>
    public AudioDevice? DefaultOutput => OutputDevices.FirstOrDefault(device => device.IsDefault);

    /// <summary>Devices with at least one input channel, and JACK's (whose input ports any client may feed), numbered as the outputs.</summary>
    public IReadOnlyList<AudioDevice> InputDevices { get; init; } = [];

    /// <summary>What is recorded when no input is chosen: JACK's where its server runs, else PortAudio's default input; null when there is none.</summary>
    public AudioDevice? DefaultInput { get; init; }
}

/// <summary>The audio output devices there are, and choosing one by name or number.</summary>
public static class AudioDevices
{
    /// <summary>The one line for a machine with nothing to play on.</summary>
    public const string NoOutputMessage =
        "no audio output device: start a JACK server or connect a sound card, then choose a device by name or number";

    /// <summary>The one line for a machine with nothing to record from.</summary>
    public const string NoInputMessage =
        "no audio input device: start a JACK server or connect a sound card, then choose a device by name or number";

    /// <summary>
    /// The host APIs and output devices PortAudio finds now, and a running JACK server's device,
    /// 'system' (played by <see cref="JackOutput"/>, not PortAudio), which is then the default: JACK
    /// owns the sound card where its server runs.
    /// </summary>
    /// <exception cref="AudioDeviceException">PortAudio cannot start.</exception>
    public static AudioDeviceList List()
    {
        using var library = PortAudioLibrary.Open();
        return List(library);
    }

    // JACK's device is numbered after PortAudio's, so PortAudio's numbers stay as PortAudio gives them.
    internal static AudioDeviceList List(PortAudioLibrary library)
    {
        var hostApis = Enumerable.Range(0, library.HostApiCount).Select(library.HostApi).ToList();
        var devices = Enumerable.Range(0, library.DeviceCount).Select(library.Device).ToList();
        var outputs = devices.Where(device => device.MaxOutputChannels > 0).ToList();
        var inputs = devices.Where(device => device.MaxInputChannels > 0).ToList();
        var defaultInput = inputs.FirstOrDefault(device => device.Index == library.DefaultInputDevice);
        if (JackOutput.Probe(out int rate, out int period, out int playbackPorts, out int capturePorts) && playbackPorts > 0)
        {
            int index = library.DeviceCount;
            double latency = (double)period / rate;
            hostApis = [.. hostApis.Select(api => api with { IsDefault = false }),
                new AudioHostApi(library.HostApiCount, JackOutput.HostApiName, 1, index, IsDefault: true)];
            var jack = new AudioDevice(index, JackOutput.DeviceName, JackOutput.HostApiName, playbackPorts, rate, latency, latency, IsDefault: true)
            {
                MaxInputChannels = capturePorts,
                DefaultLowInputLatency = latency,
            };
            outputs = [.. outputs.Select(device => device with { IsDefault = false }), jack];
            inputs = [.. inputs.Select(device => device with { IsDefault = false }), jack];
            defaultInput = jack;
        }
        return new AudioDeviceList(library.VersionText, hostApis, outputs) { InputDevices = inputs, DefaultInput = defaultInput };
    }

    /// <inheritdoc cref="Choose(PortAudioLibrary, string?)"/>
    public static AudioDevice Choose(string? choice)
    {
        using var library = PortAudioLibrary.Open();
        return Choose(library, choice);
    }

    /// <summary>
    /// The output device <paramref name="choice"/> names: null or empty for the default, a
    /// number for that device index, otherwise a name or part of one (any case). A whole name
    /// wins over names that only contain it.
    /// </summary>
    /// <exception cref="AudioDeviceException">
    /// No such device, or several match, or there is no output device at all; the message
    /// lists the output devices there are.
    /// </exception>
    internal static AudioDevice Choose(PortAudioLibrary library, string? choice)
    {
        var list = List(library);
        return Match(list.OutputDevices, list.DefaultOutput, choice, "output", NoOutputMessage);
    }

    /// <summary>The input device <paramref name="choice"/> names, as <see cref="Choose(PortAudioLibrary, string?)"/> chooses an output.</summary>
    /// <exception cref="AudioDeviceException">As for an output, said of inputs.</exception>
    internal static AudioDevice ChooseInput(PortAudioLibrary library, string? choice)
    {
        var list = List(library);
        return Match(list.InputDevices, list.DefaultInput, choice, "input", NoInputMessage);
    }

    /// <summary>The output device called what <paramref name="device"/> was called, on the same host API, now.</summary>
    internal static AudioDevice Find(PortAudioLibrary library, AudioDevice device) =>
        Find(List(library).OutputDevices, device, "output", NoOutputMessage);

    /// <summary>The input device called what <paramref name="device"/> was called, on the same host API, now.</summary>
    internal static AudioDevice FindInput(PortAudioLibrary library, AudioDevice device) =>
        Find(List(library).InputDevices, device, "input", NoInputMessage);

    private static AudioDevice Match(IReadOnlyList<AudioDevice> devices, AudioDevice? fallback, string? choice, string direction, string none)
    {
        if (devices.Count == 0)
        {
            throw new AudioDeviceException(none);
        }
        if (string.IsNullOrWhiteSpace(choice))
        {
            return fallback
                ?? throw new AudioDeviceException($"no default audio {direction} device: choose one of {Describe(devices)}");
        }
        if (int.TryParse(choice, out int index))
        {
            return devices.FirstOrDefault(device => device.Index == index)
                ?? throw new AudioDeviceException($"there is no audio {direction} device {index}: the {direction} devices are {Describe(devices)}");
        }
        var exact = devices.Where(device => device.Name.Equals(choice, StringComparison.OrdinalIgnoreCase)).ToArray();
        var matches = exact.Length > 0 ? exact
            : devices.Where(device => device.Name.Contains(choice, StringComparison.OrdinalIgnoreCase)).ToArray();
        return matches.Length switch
        {
            1 => matches[0],
            0 => throw new AudioDeviceException($"no audio {direction} device is called '{choice}': the {direction} devices are {Describe(devices)}"),
            _ => throw new AudioDeviceException($"'{choice}' names several audio {direction} devices, {Describe(matches)}: give its number or more of its name"),
        };
    }

    private static AudioDevice Find(IReadOnlyList<AudioDevice> devices, AudioDevice device, string direction, string none) =>
        devices.FirstOrDefault(now => now.Name == device.Name && now.HostApi == device.HostApi)
            ?? throw new AudioDeviceException(devices.Count == 0
                ? $"{device} is gone; {none}"
                : $"{device} is gone: the {direction} devices are {Describe(devices)}");

    private static string Describe(IEnumerable<AudioDevice> devices) =>
        string.Join(", ", devices.Select(device => $"{device.Index} {device}"));
}
