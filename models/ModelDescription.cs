namespace LatentTerrain.Models;

/// <summary>
/// What a model file says about itself, whether or not it is an autoencoder the instrument can play:
/// its methods and its attributes (name and value as text), for <c>terrain model</c>.
/// </summary>
public sealed record ModelDescription(IReadOnlyList<ModelMethod> Methods, IReadOnlyList<KeyValuePair<string, string>> Attributes);
