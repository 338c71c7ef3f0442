using System.Text.Json;
using System.Text.Json.Serialization;
using LatentTerrain.Engine.Datasets;
using LatentTerrain.Engine.Terrain;
using LatentTerrain.Instrument.Actions;
using LatentTerrain.Tui;

namespace LatentTerrain.Instrument.Sessions;

/// <summary>
/// session.json: what a session holds besides its large files (the terrain's weights, the
/// optimiser's moments, the fragments' audio and latents), which it names with their SHA-256 so a
/// file that does not belong (half written, changed by hand) is found on opening.
/// </summary>
public sealed record SessionDocument
{
    public const string FormatName = "latent-terrain session";
    public const int CurrentVersion = 1;

    public required string Format { get; init; }
    public required int Version { get; init; }
    public DateTimeOffset Saved { get; init; }
    public required ModelEntry Model { get; init; }
    public required TerrainEntry Terrain { get; init; }
    public TrainingEntry? Training { get; init; }
    public required LessonEntry Lesson { get; init; }
    public required SessionSettings Settings { get; init; }

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <summary>Reads session.json; what is wrong is one line naming the file, the line and the field.</summary>
    /// <exception cref="SessionException">Not JSON, a field missing or of the wrong kind, another format, a version this program does not read.</exception>
    public static SessionDocument Read(byte[] bytes, string path)
    {
        SessionDocument document;
        try
        {
            document = JsonSerializer.Deserialize<SessionDocument>(bytes, Json) ?? throw new SessionException($"{path}: holds null, not a session");
        }
        catch (JsonException e)
        {
            string where = e.LineNumber is long line ? $"line {line + 1}" : "";
            string field = e.Path is { Length: > 1 } p ? $"field '{p.TrimStart('$', '.')}'" : "";
            // The serializer's own words end with where it was; that is said once, before them.
            string what = e.Message.Split(" Path: ")[0].Split(". LineNumber")[0].TrimEnd('.');
            throw new SessionException($"{path}: {string.Join(", ", new[] { where, field }.Where(s => s.Length > 0))}: {what}");
        }
        if (document.Format != FormatName) throw new SessionException($"{path}: field 'format' says \"{document.Format}\", not \"{FormatName}\"");
        if (document.Version != CurrentVersion)
            throw new SessionException($"{path}: session version {document.Version}; this program reads version {CurrentVersion}{(document.Version > CurrentVersion ? " (a newer program saved it)" : "")}");
        return document;
    }
}

/// <summary>The autoencoder the session was made with: its file (null for the built-in codec) and that file's SHA-256.</summary>
public sealed record ModelEntry(string Name, string? Path, string? Sha256, IReadOnlyList<string> Attributes);

public sealed record TerrainEntry(string File, string Sha256, TerrainConfig Config);

/// <summary>The trainer's state beside its moments (which are in <paramref name="File"/>).</summary>
public sealed record TrainingEntry(string File, string Sha256, int AdamStep, int Step, int Epoch, float LearningRate, int Seed, long Draws, int[] Order);

public sealed record LessonEntry(float Density, int NextFragment, float LearningRate,
    IReadOnlyList<FragmentEntry> Fragments, IReadOnlyList<PathEntry> Paths, IReadOnlyList<PointEntry> Points);

/// <param name="Audio">fragments/…flac, or null for a fragment that has latents only.</param>
/// <param name="Latents">fragments/…latents.safetensors: the frames exactly as encoded.</param>
public sealed record FragmentEntry(int Number, string Name, string Source, double FrameRate, string? Audio, string Latents, string LatentsSha256);

public sealed record PathEntry(int Fragment, TrajectoryPlacement Placement, float[][] Anchors);

public sealed record PointEntry(float X, float Y, float[] Latent, string Source);

/// <summary>How the instrument was set up to play: what `terrain play` takes from a session when its command line does not say.</summary>
public sealed record SessionSettings
{
    /// <summary>`--mapping` values: FILE, or PORT=FILE.</summary>
    public IReadOnlyList<string> Mappings { get; init; } = [];
    public string? Device { get; init; }
    public string? Input { get; init; }
    public int? SampleRate { get; init; }
    public int Frames { get; init; } = 128;
    public int Ahead { get; init; } = 2;
    public double? LeadMilliseconds { get; init; }
    public ViewEntry View { get; init; } = new();
    public IReadOnlyList<StoredPosition> Positions { get; init; } = [];
    public IReadOnlyList<MidiBinding> Bindings { get; init; } = [];
}

/// <summary>The map as the performer left it.</summary>
public sealed record ViewEntry
{
    public float XMin { get; init; } = -16f;
    public float XMax { get; init; } = 16f;
    public float YMin { get; init; } = -4f;
    public float YMax { get; init; } = 4f;
    public int Channel { get; init; }
    public bool Colour { get; init; }
}

/// <summary>A session that cannot be opened or saved as asked: one line naming the file and what is wrong.</summary>
public sealed class SessionException(string message) : Exception(message);
