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

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, ReportManifestJsonContext.Default.ReportManifest);

    public static ReportManifest? FromJson(ReadOnlySpan<byte> json) => JsonSerializer.Deserialize(json, ReportManifestJsonContext.Default.ReportManifest);
}

/// <summary><c>manifest.json</c>: web defaults (camelCase), indented.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ReportManifest))]
internal sealed partial class ReportManifestJsonContext : JsonSerializerContext;
