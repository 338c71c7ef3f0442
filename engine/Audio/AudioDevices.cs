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
}

/// <summary>The audio output devices there are, and choosing one by name or number.</summary>
public static class AudioDevices
{
    /// <summary>The one line for a machine with nothing to play on.</summary>
    public const string NoOutputMessage =
        "no audio output device: start a JACK server or connect a sound card, then choose a device by name or number";

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
        var outputs = Enumerable.Range(0, library.DeviceCount).Select(library.Device).Where(device => device.MaxOutputChannels > 0).ToList();
        if (JackOutput.Probe(out int rate, out int period, out int playbackPorts) && playbackPorts > 0)
        {
            int index = library.DeviceCount;
            double latency = (double)period / rate;
            hostApis = [.. hostApis.Select(api => api with { IsDefault = false }),
                new AudioHostApi(library.HostApiCount, JackOutput.HostApiName, 1, index, IsDefault: true)];
            outputs = [.. outputs.Select(device => device with { IsDefault = false }),
                new AudioDevice(index, JackOutput.DeviceName, JackOutput.HostApiName, playbackPorts, rate, latency, latency, IsDefault: true)];
        }
        return new AudioDeviceList(library.VersionText, hostApis, outputs);
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
        if (list.OutputDevices.Count == 0)
        {
            throw new AudioDeviceException(NoOutputMessage);
        }
        if (string.IsNullOrWhiteSpace(choice))
        {
            return list.DefaultOutput
                ?? throw new AudioDeviceException($"no default audio output device: choose one of {Describe(list.OutputDevices)}");
        }
        if (int.TryParse(choice, out int index))
        {
            return list.OutputDevices.FirstOrDefault(device => device.Index == index)
                ?? throw new AudioDeviceException($"there is no audio output device {index}: the output devices are {Describe(list.OutputDevices)}");
        }
        var exact = list.OutputDevices.Where(device => device.Name.Equals(choice, StringComparison.OrdinalIgnoreCase)).ToArray();
        var matches = exact.Length > 0 ? exact
            : list.OutputDevices.Where(device => device.Name.Contains(choice, StringComparison.OrdinalIgnoreCase)).ToArray();
        return matches.Length switch
        {
            1 => matches[0],
            0 => throw new AudioDeviceException($"no audio output device is called '{choice}': the output devices are {Describe(list.OutputDevices)}"),
            _ => throw new AudioDeviceException($"'{choice}' names several audio output devices, {Describe(matches)}: give its number or more of its name"),
        };
    }

    /// <summary>The device called what <paramref name="device"/> was called, on the same host API, now.</summary>
    internal static AudioDevice Find(PortAudioLibrary library, AudioDevice device)
    {
        var list = List(library);
        return list.OutputDevices.FirstOrDefault(now => now.Name == device.Name && now.HostApi == device.HostApi)
            ?? throw new AudioDeviceException(list.OutputDevices.Count == 0
                ? $"{device} is gone; {NoOutputMessage}"
                : $"{device} is gone: the output devices are {Describe(list.OutputDevices)}");
    }

    private static string Describe(IEnumerable<AudioDevice> devices) =>
        string.Join(", ", devices.Select(device => $"{device.Index} {device}"));
}
