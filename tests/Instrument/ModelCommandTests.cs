using LatentTerrain.Engine.Audio;
using LatentTerrain.Engine.Datasets;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Instrument;

/// <summary><c>terrain model</c>, and render / encode with <c>--model</c>, on the test models of tests/peer/nn_models.py.</summary>
public class ModelCommandTests
{
    private readonly string _folder = Paths.NewScratch();

    [PeerFact]
    public void ShowsATorchScriptModel()
    {
        var result = CommandResult.Run("model", TestModels.File("attributes.ts"), "--seconds", "0.5");
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("decode           8 / 256    ->     2 / 1", result.Output);
        Assert.Contains("gain = 1.", result.Output);
        Assert.Contains("table = tensor [1, 4096] Float, range -1 .. 1", result.Output);
        Assert.Contains("latent size 8, ratio 256 (187.5 frames/s), 48000 Hz, 2 channels", result.Output);
        Assert.Matches(@"decode: 0\.5\d s of audio in [\d.]+ ms .*x real time", result.Output);
    }

    [PeerFact]
    public void ShowsAModelWhoseEncoderTakesOtherChannelsThanItsDecoderReturns()
    {
        var result = CommandResult.Run("model", TestModels.File("mono_encoder_r44100.ts"), "--seconds", "0.5");
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("encode           1 / 1      ->     8 / 256", result.Output);
        Assert.Contains("decode           8 / 256    ->     2 / 1", result.Output);
        Assert.Contains("latent size 8, ratio 256 (172.3 frames/s), 44100 Hz, 2 channels", result.Output);
        Assert.Contains("encode takes 1 channel: sound is mixed down or spread to it", result.Output);
    }

    [PeerFact]
    public void ShowsAnOnnxModel()
    {
        var result = CommandResult.Run("model", TestModels.File("streaming.onnx"), "--seconds", "0.5");
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("metadata sample_rate = 44100", result.Output);
        Assert.Contains("latent size 8, ratio 256 (172.3 frames/s), 44100 Hz, 1 channel", result.Output);
    }

    [PeerTheory]
    [InlineData("forward_only.ts", "no decode method")]
    [InlineData("nan.ts", "decode produced NaN")]
    [InlineData("truncated.ts", "not a TorchScript archive")]
    [InlineData("unexpected_inputs.onnx", "unexpected input 'temperature'")]
    public void ABrokenModelIsOneLine(string file, string problem) =>
        CommandResult.Run("model", TestModels.File(file)).AssertFailedWith(TestModels.File(file), problem);

    [PeerFact]
    public void RendersAtTheModelsRateAndChannelsOrResampled()
    {
        string gesture = Path.Combine(_folder, "g.csv");
        File.WriteAllLines(gesture, ["time_s,cursor,x,y,pressure", "0,0,-8,0,0.9", "0.5,0,8,1,1", "0.8,0,8,1,0"]);
        string own = Path.Combine(_folder, "own.wav"), resampled = Path.Combine(_folder, "resampled.wav");

        var result = CommandResult.Run("render", "-g", gesture, "-o", own, "--model", TestModels.File("attributes.ts"), "--seconds", "1");
        Assert.True(result.ExitCode == 0, result.Error);
        var audio = AudioFile.Read(own);
        Assert.Equal((48000, 2, 48000), (audio.SampleRate, audio.Channels, audio.Frames));
        Assert.True(Spectrum.Rms(audio.Channel(1)) > 1e-3, "the render is silent");

        result = CommandResult.Run("render", "-g", gesture, "-o", resampled, "--model", TestModels.File("streaming.onnx"), "--seconds", "1", "--sample-rate", "48000");
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal((48000, 1, 48000), (AudioFile.Read(resampled).SampleRate, AudioFile.Read(resampled).Channels, AudioFile.Read(resampled).Frames));
    }

    /// <summary>--model-attribute sets an nn~ attribute before rendering (attributes.ts's gain scales its output).</summary>
    [PeerFact]
    public void A_model_attribute_set_on_the_command_line_is_heard()
    {
        string gesture = Path.Combine(_folder, "g.csv");
        File.WriteAllLines(gesture, ["time_s,cursor,x,y,pressure", "0,0,-8,0,0.9", "0.8,0,8,1,0"]);
        string full = Path.Combine(_folder, "full.wav"), quiet = Path.Combine(_folder, "quiet.wav");
        string model = TestModels.File("attributes.ts");

        Assert.Equal(0, CommandResult.Run("render", "-g", gesture, "-o", full, "--model", model, "--seconds", "1").ExitCode);
        var result = CommandResult.Run("render", "-g", gesture, "-o", quiet, "--model", model, "--model-attribute", "gain=0.25", "--seconds", "1");

        Assert.True(result.ExitCode == 0, result.Error);
        double ratio = Spectrum.Rms(AudioFile.Read(quiet).Samples) / Spectrum.Rms(AudioFile.Read(full).Samples);
        Assert.InRange(ratio, 0.24, 0.26);
    }

    [PeerTheory]
    [InlineData("attributes.ts", "gain", "--model-attribute gain: expected NAME=VALUE")]
    [InlineData("attributes.ts", "volume=1", "no method set_volume")]
    [InlineData("attributes.ts", "gain=loud", "'loud' is not a number")]
    [InlineData("streaming.onnx", "gain=1", "--model-attribute: only nn~ TorchScript models (.ts) have attributes")]
    public void A_model_attribute_the_model_does_not_take_is_one_line(string file, string setting, string problem)
    {
        string gesture = Path.Combine(_folder, "g.csv"), output = Path.Combine(_folder, "a.wav");
        File.WriteAllLines(gesture, ["time_s,cursor,x,y,pressure", "0,0,0,0,1"]);
        CommandResult.Run("render", "-g", gesture, "-o", output, "--model", TestModels.File(file), "--model-attribute", setting).AssertFailedWith(problem);
        Assert.False(File.Exists(output));
    }

    [PeerFact]
    public void EncodesWithAModel()
    {
        string sound = Path.Combine(_folder, "a.wav"), dataset = Path.Combine(_folder, "a.json");
        var tone = new AudioBuffer(22050, 1, Enumerable.Range(0, 22050).Select(i => 0.3f * MathF.Sin(i * 0.05f)).ToArray());
        AudioFile.Write(sound, tone);
        var result = CommandResult.Run("encode", "-a", sound, "-o", dataset, "--model", TestModels.File("streaming_r44100.ts"));
        Assert.True(result.ExitCode == 0, result.Error);
        var loaded = DatasetFile.Load(dataset);
        Assert.Equal(8, loaded.LatentSize);
        Assert.Equal(44100 / 256, loaded.Trajectories[0].Latents.Count);
    }

    /// <summary>A mono encoder before a stereo decoder: renders are stereo, and stereo and mono files both encode.</summary>
    [PeerFact]
    public void AModelWithAMonoEncoderAndAStereoDecoderRendersStereoAndEncodesStereoAndMonoFiles()
    {
        string model = TestModels.File("mono_encoder_r44100.ts"), gesture = Path.Combine(_folder, "g.csv"), render = Path.Combine(_folder, "r.wav");
        File.WriteAllLines(gesture, ["time_s,cursor,x,y,pressure", "0,0,-8,0,0.9", "0.5,0,8,1,0"]);
        var result = CommandResult.Run("render", "-g", gesture, "-o", render, "--model", model, "--seconds", "0.5");
        Assert.True(result.ExitCode == 0, result.Error);
        var audio = AudioFile.Read(render);
        Assert.Equal((44100, 2), (audio.SampleRate, audio.Channels));
        Assert.True(Spectrum.Rms(audio.Channel(1)) > 1e-3, "the second channel is silent");

        foreach (int channels in new[] { 2, 1 })
        {
            string sound = Path.Combine(_folder, $"{channels}.wav"), dataset = Path.Combine(_folder, $"{channels}.json");
            var tone = Enumerable.Range(0, channels * 44100).Select(i => 0.3f * MathF.Sin(i % 44100 * 0.05f)).ToArray();
            AudioFile.Write(sound, new AudioBuffer(44100, channels, tone));
            result = CommandResult.Run("encode", "-a", sound, "-o", dataset, "--model", model);
            Assert.True(result.ExitCode == 0, result.Error);
            Assert.Equal(44100 / 256, DatasetFile.Load(dataset).Trajectories[0].Latents.Count);
        }
    }

    [PeerFact]
    public void ABrokenModelLeavesTheOutputAlone()
    {
        string gesture = Path.Combine(_folder, "g.csv"), output = Path.Combine(_folder, "a.wav");
        File.WriteAllLines(gesture, ["time_s,cursor,x,y,pressure", "0,0,0,0,1"]);
        File.WriteAllText(output, "precious");
        CommandResult.Run("render", "-g", gesture, "-o", output, "--model", TestModels.File("not_an_archive.ts"))
            .AssertFailedWith("not_an_archive.ts", "not a TorchScript archive");
        Assert.Equal("precious", File.ReadAllText(output));
    }
}
