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
    IReadOnlyList<WaterfallDocument>? Waterfalls)
{
    /// <summary>Absent for versions stored before the forward view.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<OverdueDeliveryDocument>? OverdueDeliveries { get; init; }

    /// <summary>Progress lines with an expected loss (recognition.md); absent when there are none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<LossContractDocument>? LossContracts { get; init; }

    /// <summary>The group figures in the reporting currency, or the rates they lack; absent for versions closed without a reporting currency.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ConsolidatedDocument? Consolidated { get; init; }
}

/// <summary>
/// A quarter's or year's snapshot as the API answers it: built from the latest closed version of each of its
/// months (named in <see cref="Months"/>), balances as of its last day, flows over all its months.
/// </summary>
internal sealed record SpanSnapshotAnswer(
    string Period,
    string Kind,
    IReadOnlyList<MonthVersionAnswer> Months,
    DateOnly AsOf,
    DateOnly OpeningDate,
    PolicyDocument Policy,
    IReadOnlyList<TotalsDocument> Totals,
    IReadOnlyList<WaterfallDocument>? Waterfalls,
    IReadOnlyList<OverdueDeliveryDocument>? OverdueDeliveries)
{
    /// <summary>Progress lines with an expected loss as of the span's last day; absent when there are none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<LossContractDocument>? LossContracts { get; init; }

    /// <summary>
    /// The group figures of the span from its months' (flows summed, balances of the last month); absent when a
    /// month was closed without the reporting currency.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ConsolidatedDocument? Consolidated { get; init; }
}

internal sealed record MonthVersionAnswer(string Period, int Version, DateTimeOffset ClosedAt);

internal sealed record VersionAnswer(int Version, DateTimeOffset ClosedAt);

/// <summary>The API's typed answers: web defaults (as every other answer), the figures inline as in the stored document.</summary>
internal static class AnswerJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = AnswerJsonContext.Default.WithAddedModifier(FigureMembers.Inline),
    };

    public static readonly JsonTypeInfo<PeriodSnapshotAnswer> PeriodSnapshot = (JsonTypeInfo<PeriodSnapshotAnswer>)Options.GetTypeInfo(typeof(PeriodSnapshotAnswer));

    public static readonly JsonTypeInfo<SpanSnapshotAnswer> SpanSnapshot = (JsonTypeInfo<SpanSnapshotAnswer>)Options.GetTypeInfo(typeof(SpanSnapshotAnswer));
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(PeriodSnapshotAnswer))]
[JsonSerializable(typeof(SpanSnapshotAnswer))]
[JsonSerializable(typeof(OrderedDictionary<string, string>))]
internal sealed partial class AnswerJsonContext : JsonSerializerContext;
