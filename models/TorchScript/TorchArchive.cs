using System.IO.Compression;

namespace LatentTerrain.Models.TorchScript;

/// <summary>
/// What a TorchScript archive (torch.jit.save's zip) says about the torch that wrote it. It names
/// no version: it has its file format version (<c>version</c>, or <c>.data/version</c> from format 6
/// on), which torch raises only for a few operators, and records that newer torch writes:
/// <c>byteorder</c> and <c>.data/serialization_id</c>, both since torch 2.1 (PyTorch's serialization notes; pytorch/pytorch#100994).
/// </summary>
internal static class TorchArchive
{
    /// <summary>"torch 2.1 or later (its archive, format 3, has a serialization id)", or null when the archive says nothing of use.</summary>
    public static string? Exporter(string path)
    {
        try
        {
            using var zip = ZipFile.OpenRead(path);
            bool Has(string record) => zip.Entries.Any(e => e.FullName.EndsWith("/" + record, StringComparison.Ordinal));
            var version = zip.Entries.FirstOrDefault(e => e.FullName.EndsWith("/.data/version", StringComparison.Ordinal) || e.FullName.Count(c => c == '/') == 1 && e.Name == "version");
            string formatText = "its archive";
            if (version is not null)
            {
                using var reader = new StreamReader(version.Open());
                formatText = $"its archive, format {reader.ReadToEnd().Trim()},";
            }
            if (Has(".data/serialization_id")) return $"torch 2.1 or later ({formatText} has a serialization id)";
            if (Has("byteorder")) return $"torch 2.1 or later ({formatText} has a byte-order record)";
            return null;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
