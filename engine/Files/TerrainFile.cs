using System.Globalization;
using LatentTerrain.Engine.Terrain;

namespace LatentTerrain.Engine.Files;

/// <summary>
/// Terrain files: a safetensors file holding the tensors of <see cref="TerrainNetwork.ToTensors"/>
/// and, in its metadata, the format's name and version and the whole <see cref="TerrainConfig"/>,
/// so that Python opens it with the safetensors library and this program rebuilds the terrain
/// from the file alone. <see cref="Load"/> also imports the reference system's checkpoints.
/// </summary>
public static class TerrainFile
{
    public const string FormatName = "latent-terrain";
    /// <summary>The version this build writes and the newest it reads; raise it when old readers would misread a new file.</summary>
    public const int FormatVersion = 1;

    private const string FormatKey = "format", VersionKey = "version";
    private const string InputDimsKey = "input_dims", LatentSizeKey = "latent_size", WidthKey = "width", DepthKey = "depth",
        FourierFeaturesKey = "fourier_features", SigmaKey = "sigma", ActivationKey = "activation", SeedKey = "seed";

    /// <summary>
    /// Saves atomically: a save that fails leaves any file already at <paramref name="path"/> as it was.
    /// A terrain with NaN or infinite weights (a training run that diverged) is refused rather than
    /// written over a good file as one that <see cref="Load"/> would reject.
    /// </summary>
    public static void Save(TerrainNetwork network, string path)
    {
        var tensors = network.ToTensors();
        Write(path, tensors, "saved", stream => SafeTensors.Write(stream, tensors, Metadata(network.Config)));
    }

    /// <summary>
    /// Refuses <paramref name="tensors"/> holding NaN or infinity ("not <paramref name="done"/>: …"), then
    /// runs <paramref name="write"/> through <see cref="AtomicFile"/>; every failure is a <see cref="TerrainFileException"/>.
    /// </summary>
    internal static void Write(string path, IEnumerable<NamedTensor> tensors, string done, Action<Stream> write)
    {
        CheckFinite(path, tensors, done);
        try
        {
            AtomicFile.Write(path, write);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new TerrainFileException(path, "cannot write: the folder does not exist", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TerrainFileException(path, $"cannot write: {e.Message}", e);
        }
    }

    /// <summary>Writes the terrain's safetensors to <paramref name="stream"/> (a session's version being written); refuses NaN or infinite weights as <see cref="Save"/> does.</summary>
    public static void Write(TerrainNetwork network, Stream stream, string path = "terrain")
    {
        var tensors = network.ToTensors();
        CheckFinite(path, tensors, "saved");
        SafeTensors.Write(stream, tensors, Metadata(network.Config));
    }

    private static void CheckFinite(string path, IEnumerable<NamedTensor> tensors, string done)
    {
        foreach (var tensor in tensors)
            if (!tensor.Data.All(float.IsFinite))
                throw new TerrainFileException(path, $"not {done}: tensor '{tensor.Name}' contains NaN or infinity (did training diverge?)");
    }

    /// <summary>
    /// Loads a terrain file, or a reference nn.terrain checkpoint (told apart by content, not by name).
    /// Throws <see cref="TerrainFileException"/> naming the file and the problem.
    /// </summary>
    public static TerrainNetwork Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new TerrainFileException(path, "file not found", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TerrainFileException(path, $"cannot read: {e.Message}", e);
        }
        return Load(bytes, path);
    }

    /// <summary>Loads a terrain from the bytes of a file (for example one embedded in the program); <paramref name="path"/> names it in errors.</summary>
    public static TerrainNetwork Load(byte[] bytes, string path)
    {
        if (ReferenceCheckpoint.IsArchive(bytes)) return ReferenceCheckpoint.Read(bytes, path);

        var content = SafeTensors.Read(bytes, path);
        var config = ReadConfig(content.Metadata, path);
        TerrainNetwork network;
        try
        {
            network = TerrainNetwork.FromTensors(config, content.Tensors);
        }
        catch (ArgumentException e)
        {
            throw new TerrainFileException(path, e.Message, e);
        }
        // A tensor the configuration has no place for means the metadata and the weights disagree.
        var expected = network.ToTensors().Select(t => t.Name).ToHashSet();
        foreach (string name in content.Tensors.Keys.Order(StringComparer.Ordinal))
            if (!expected.Contains(name)) throw new TerrainFileException(path, $"tensor '{name}' has no place in a terrain of this configuration");
        return network;
    }

    private static Dictionary<string, string> Metadata(TerrainConfig config) => new()
    {
        [FormatKey] = FormatName,
        [VersionKey] = FormatVersion.ToString(CultureInfo.InvariantCulture),
        [InputDimsKey] = config.InputDims.ToString(CultureInfo.InvariantCulture),
        [LatentSizeKey] = config.LatentSize.ToString(CultureInfo.InvariantCulture),
        [WidthKey] = config.Width.ToString(CultureInfo.InvariantCulture),
        [DepthKey] = config.Depth.ToString(CultureInfo.InvariantCulture),
        [FourierFeaturesKey] = config.FourierFeatures.ToString(CultureInfo.InvariantCulture),
        // The shortest text that parses back to the same float.
        [SigmaKey] = config.Sigma.ToString("R", CultureInfo.InvariantCulture),
        [ActivationKey] = config.Activation.ToString().ToLowerInvariant(),
        [SeedKey] = config.Seed.ToString(CultureInfo.InvariantCulture),
    };

    private static TerrainConfig ReadConfig(IReadOnlyDictionary<string, string> metadata, string path)
    {
        string Text(string key) =>
            metadata.TryGetValue(key, out string? value) ? value : throw new TerrainFileException(path, $"metadata '{key}' is missing");
        int Integer(string key) =>
            int.TryParse(Text(key), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value)
                ? value
                : throw new TerrainFileException(path, $"metadata '{key}' is '{Text(key)}', expected a whole number");

        if (!metadata.TryGetValue(FormatKey, out string? format))
            throw new TerrainFileException(path, $"not a terrain file (a safetensors file without '{FormatKey}' in its metadata)");
        if (format != FormatName)
            throw new TerrainFileException(path, $"not a terrain file (its metadata says format '{format}', expected '{FormatName}')");
        int version = Integer(VersionKey);
        if (version > FormatVersion)
            throw new TerrainFileException(path, $"written in terrain format version {version}, newer than this program reads ({FormatVersion}); update Latent Terrain");
        if (version < 1) throw new TerrainFileException(path, $"metadata '{VersionKey}' is {version}, which no terrain file ever had");

        string sigmaText = Text(SigmaKey);
        if (!float.TryParse(sigmaText, NumberStyles.Float, CultureInfo.InvariantCulture, out float sigma))
            throw new TerrainFileException(path, $"metadata '{SigmaKey}' is '{sigmaText}', expected a number");
        string activationText = Text(ActivationKey);
        // Enum.TryParse would also take "7"; only a name is a valid activation.
        string activationName = Enum.GetNames<Activation>().FirstOrDefault(n => string.Equals(n, activationText, StringComparison.OrdinalIgnoreCase))
            ?? throw new TerrainFileException(path, $"metadata '{ActivationKey}' is '{activationText}', expected one of {string.Join(", ", Enum.GetNames<Activation>().Select(n => n.ToLowerInvariant()))}");

        var config = new TerrainConfig
        {
            InputDims = Integer(InputDimsKey),
            LatentSize = Integer(LatentSizeKey),
            Width = Integer(WidthKey),
            Depth = Integer(DepthKey),
            FourierFeatures = Integer(FourierFeaturesKey),
            Sigma = sigma,
            Activation = Enum.Parse<Activation>(activationName),
            Seed = Integer(SeedKey),
        };
        try
        {
            config.Validate();
        }
        catch (ArgumentException e)
        {
            throw new TerrainFileException(path, $"invalid configuration in the metadata: {e.Message}", e);
        }
        return config;
    }
}
