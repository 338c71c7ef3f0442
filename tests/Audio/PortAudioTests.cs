using LatentTerrain.Engine.Audio;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Audio;

/// <summary>The PortAudio binding and the device list, against JACK servers of the tests' own.</summary>
[Collection(JackServer.Collection)]
public sealed class PortAudioTests
{
    private const string Jack = "JACK Audio Connection Kit";

    [JackFact]
    public void With_a_JACK_server_the_default_output_is_JACKs_system_device()
    {
        using var server = JackServer.Start();

        var list = AudioDevices.List();

        Assert.StartsWith("PortAudio V19.6", list.PortAudioVersion);
        var jack = Assert.Single(list.HostApis, api => api.Name == Jack);
        Assert.Equal(1, jack.DeviceCount);
        var system = Assert.Single(list.OutputDevices, device => device.HostApi == Jack);
        Assert.Equal(("system", 2, 48000.0, true), (system.Name, system.MaxOutputChannels, system.DefaultSampleRate, system.IsDefault));
        Assert.Equal(system, list.DefaultOutput);
        Assert.Equal(system.Index, jack.DefaultOutputDevice);
        Assert.Single(list.HostApis, api => api.IsDefault);
        // A period until an output is connected and JACK reports its ports' latency (AudioOutputTests).
        Assert.Equal(128.0 / 48000, system.DefaultLowOutputLatency, 1e-9);
        // Its input: the dummy driver's two capture ports, recorded by the output's own client (JackInputTests).
        Assert.Equal(system, Assert.Single(list.InputDevices, device => device.HostApi == Jack));
        Assert.Equal((system, 2), (list.DefaultInput, system.MaxInputChannels));
    }

    [NoSoundCardFact]
    public void Without_JACK_or_a_sound_card_there_is_nothing_to_play_on_and_opening_says_so_in_one_line()
    {
        using var none = JackServer.SelectNone();

        var list = AudioDevices.List();
        Assert.Empty(list.OutputDevices);
        Assert.Null(list.DefaultOutput);
        Assert.DoesNotContain(list.HostApis, api => api.Name == Jack);
        Assert.Empty(list.InputDevices);
        Assert.Null(list.DefaultInput);
        using (var library = PortAudioLibrary.Open())
            Assert.Equal(AudioDevices.NoInputMessage, Assert.Throws<AudioDeviceException>(() => AudioDevices.ChooseInput(library, null)).Message);

        var error = Assert.Throws<AudioDeviceException>(() => AudioOutput.Open(new AudioRing(1024, 2), 48000));
        Assert.Equal(AudioDevices.NoOutputMessage, error.Message);
        Assert.StartsWith("no audio output device: start a JACK server or connect a sound card", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    /// <summary>
    /// PortAudio is kept off JACK (its JACK host API cannot let go of a server that went away), even
    /// with a server running, and the environment libjack reads is as it was after.
    /// </summary>
    [JackFact]
    public void PortAudio_never_sees_JACK_and_stays_initialised_while_anyone_holds_it()
    {
        Assert.False(PortAudioLibrary.IsInitialised);
        using var server = JackServer.Start();
        var first = PortAudioLibrary.Open();
        var second = PortAudioLibrary.Open();
        Assert.DoesNotContain(Enumerable.Range(0, first.HostApiCount).Select(first.HostApi), api => api.Name == Jack);
        Assert.Equal(server.Name, JackServer.NativeVariable());
        first.Dispose();
        first.Dispose();
        Assert.True(PortAudioLibrary.IsInitialised);
        second.Dispose();
        Assert.False(PortAudioLibrary.IsInitialised);
    }

    [JackFact]
    public void A_JACK_output_holds_no_PortAudio()
    {
        using var server = JackServer.Start();
        using var output = AudioOutput.Open(new AudioRing(1024, 2), 48000);

        Assert.True(output.IsOnJack);
        Assert.False(PortAudioLibrary.IsInitialised);
    }

    /// <summary>ALSA's sixty "cannot find card" lines and libjack's "cannot connect" lines are silenced (in a process of its own, whose stderr is read).</summary>
    [JackFact]
    public void Listing_and_playing_print_nothing_to_stderr()
    {
        var (exitCode, output, error) = TestProgram.Run(TimeSpan.FromMinutes(1), AudioScenarios.Command, AudioScenarios.Quiet);

        Assert.True(exitCode == 0, $"exit code {exitCode}: {output}{error}");
        var seen = AudioScenarios.Parse(output);
        Assert.Equal("1", seen["outputs-with-jack"]);
        Assert.True(long.Parse(seen["played"]) >= 4800);
        Assert.Equal("", error);
    }
}

/// <summary>A test that needs a machine without sound cards (as the build machines are): skipped, with the reason, where ALSA has one.</summary>
public sealed class NoSoundCardFactAttribute : FactAttribute
{
    public NoSoundCardFactAttribute()
    {
        const string cards = "/proc/asound/cards";
        if (File.Exists(cards) && !File.ReadAllText(cards).Contains("no soundcards"))
            Skip = "this machine has a sound card, so PortAudio finds an output without JACK";
    }
}
