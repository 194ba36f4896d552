using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Application.Presentation;

/// <summary>
/// The JSON form of snapshots (<see cref="SnapshotDocument"/>) and waterfalls (<see cref="WaterfallsDocument"/>):
/// camelCase names from metrics.md, indented, non-ASCII text kept as it is. The stored document is hashed (the
/// manifest's <c>snapshotSha256</c>), so the same snapshot always writes the same bytes. Members a reader does not
/// know are skipped, so documents written by a newer version still read.
/// </summary>
public static class SnapshotJson
{
    private static readonly JsonSerializerOptions Options = new(SnapshotJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = SnapshotJsonContext.Default.WithAddedModifier(FigureMembers.Inline),
    };

    private static readonly JsonTypeInfo<SnapshotDocument> SnapshotInfo = (JsonTypeInfo<SnapshotDocument>)Options.GetTypeInfo(typeof(SnapshotDocument));
    private static readonly JsonTypeInfo<WaterfallsDocument> WaterfallsInfo = (JsonTypeInfo<WaterfallsDocument>)Options.GetTypeInfo(typeof(WaterfallsDocument));
    private static readonly JsonTypeInfo<DeliveredAlertDocument> DeliveredAlertInfo = (JsonTypeInfo<DeliveredAlertDocument>)Options.GetTypeInfo(typeof(DeliveredAlertDocument));

    public static void Write(Stream output, Snapshot snapshot) => JsonSerializer.Serialize(output, SnapshotDocument.From(snapshot), SnapshotInfo);

    public static void Write(Stream output, DateOnly asOf, Period? period, IReadOnlyList<Waterfall> waterfalls, Domain.Consolidation.Translated<Waterfall>? group = null) =>
        JsonSerializer.Serialize(output, WaterfallsDocument.From(asOf, period, waterfalls, group), WaterfallsInfo);

    public static byte[] Write(SnapshotDocument document) => JsonSerializer.SerializeToUtf8Bytes(document, SnapshotInfo);

    public static string Write(WaterfallsDocument document) => JsonSerializer.Serialize(document, WaterfallsInfo);

    /// <summary>The body a receiver of a fired alert gets.</summary>
    public static string Write(DeliveredAlertDocument alert) => JsonSerializer.Serialize(alert, DeliveredAlertInfo);

    public static SnapshotDocument ReadSnapshot(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize(utf8Json, SnapshotInfo) ?? throw new InvalidDataException("a snapshot document is a JSON object");

    public static WaterfallsDocument ReadWaterfalls(string json) =>
        JsonSerializer.Deserialize(json, WaterfallsInfo) ?? throw new InvalidDataException("a waterfall document is a JSON object");
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(SnapshotDocument))]
[JsonSerializable(typeof(WaterfallsDocument))]
[JsonSerializable(typeof(DeliveredAlertDocument))]
[JsonSerializable(typeof(OrderedDictionary<string, string>))]
internal sealed partial class SnapshotJsonContext : JsonSerializerContext;
