using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using BacklogFunctions.Application.Presentation;

namespace BacklogFunctions.Host.Endpoints;

/// <summary>A closed period version's snapshot as the API answers it: the version, what it changed, and the stored document's totals.</summary>
internal sealed record PeriodSnapshotAnswer(
    string Period,
    int Version,
    IReadOnlyList<VersionAnswer> Versions,
    DateTimeOffset ClosedAt,
    IReadOnlyList<DifferenceEntry>? DifferencesFromPreviousVersion,
    DateOnly AsOf,
    PolicyDocument Policy,
    IReadOnlyList<TotalsDocument> Totals,
    IReadOnlyList<WaterfallDocument>? Waterfalls);

internal sealed record VersionAnswer(int Version, DateTimeOffset ClosedAt);

/// <summary>The API's typed answers: web defaults (as every other answer), the figures inline as in the stored document.</summary>
internal static class AnswerJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = AnswerJsonContext.Default.WithAddedModifier(FigureMembers.Inline),
    };

    public static readonly JsonTypeInfo<PeriodSnapshotAnswer> PeriodSnapshot = (JsonTypeInfo<PeriodSnapshotAnswer>)Options.GetTypeInfo(typeof(PeriodSnapshotAnswer));
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(PeriodSnapshotAnswer))]
internal sealed partial class AnswerJsonContext : JsonSerializerContext;
