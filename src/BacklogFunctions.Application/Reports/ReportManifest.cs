using System.Text.Json;
using System.Text.Json.Serialization;

namespace BacklogFunctions.Application.Reports;

/// <summary>A file of a published report: its name under the report's folder, size and SHA-256.</summary>
public sealed record ManifestFile(string Name, string ContentType, long Bytes, string Sha256);

/// <summary>
/// What a published report holds. It is written after every file, so a reader that trusts only manifests never
/// sees a half-published report; re-rendering the same snapshot version writes the same files.
/// </summary>
public sealed record ReportManifest(
    string Period,
    int Version,
    DateTimeOffset ClosedAt,
    DateTimeOffset GeneratedAt,
    string SnapshotSha256,
    IReadOnlyList<ManifestFile> Files)
{
    public const string FileName = "manifest.json";

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Options);

    public static ReportManifest? FromJson(ReadOnlySpan<byte> json) => JsonSerializer.Deserialize<ReportManifest>(json, Options);
}
