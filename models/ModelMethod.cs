namespace LatentTerrain.Models;

/// <summary>
/// One method of a model as nn~ describes it (its <c>&lt;method&gt;_params</c> buffer): it takes
/// [batch, <see cref="InChannels"/>, time / <see cref="InRatio"/>] and returns
/// [batch, <see cref="OutChannels"/>, time / <see cref="OutRatio"/>]. A ratio is a time divisor:
/// 1 is audio rate, 2048 one frame per 2048 samples.
/// </summary>
public readonly record struct ModelMethod(string Name, int InChannels, int InRatio, int OutChannels, int OutRatio)
{
    public override string ToString() => $"{Name}: {InChannels} channels / {InRatio} -> {OutChannels} channels / {OutRatio}";
}
