using System.Globalization;
using System.Text.Json;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Recognition;
using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Application.Presentation;

/// <summary>
/// Reads a stored snapshot document (as <see cref="SnapshotJson.Write(Stream, Snapshot)"/> wrote it, without
/// contracts) back into a <see cref="Snapshot"/>: totals, roll-forwards, aging, concentration, segments and the
/// waterfalls. Reports render from it, so what the board sees is what the close stored.
/// </summary>
public static class SnapshotDocument
{
    public static Snapshot Read(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        var policy = root.GetProperty("policy");
        return new Snapshot
        {
            Period = root.TryGetProperty("period", out var period) ? Period.Parse(period.GetString()!) : null,
            AsOf = Date(root.GetProperty("asOf")),
            OpeningDate = Date(root.GetProperty("openingDate")),
            Options = PolicyNames.Options(policy.GetProperty("proration").GetString(), policy.GetProperty("deferredBasis").GetString()),
            Totals = root.GetProperty("totals").EnumerateArray().Select(Totals).ToList(),
            Waterfalls = root.TryGetProperty("waterfalls", out var waterfalls) ? waterfalls.EnumerateArray().Select(Waterfall).ToList() : [],
            Contracts = [],
        };
    }

    /// <summary>The waterfalls of any document that has them (a snapshot document or a waterfall document).</summary>
    public static IReadOnlyList<Waterfall> ReadWaterfalls(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json);
        using var document = JsonDocument.ParseValue(ref reader);
        return document.RootElement.TryGetProperty("waterfalls", out var waterfalls) ? waterfalls.EnumerateArray().Select(Waterfall).ToList() : [];
    }

    private static CurrencyTotals Totals(JsonElement total)
    {
        var position = total.GetProperty("rollForward").GetProperty("netContractPosition");
        var figures = ContractSnapshotJson.ReadFigures(total) with
        {
            ContractPositionInflow = ContractSnapshotJson.Money(position.TryGetProperty("billings", out var billings) ? billings : position.GetProperty("collections")),
        };
        var concentration = total.GetProperty("concentration");
        return new CurrencyTotals
        {
            Currency = Currency.Of(total.GetProperty("currency").GetString()!),
            Contracts = total.GetProperty("contractCount").GetInt32(),
            Figures = figures,
            BacklogAging = total.GetProperty("backlogAging").EnumerateObject().ToDictionary(b => b.Name, b => ContractSnapshotJson.Money(b.Value), StringComparer.Ordinal),
            Concentration = new Concentration(
                concentration.GetProperty("customers").GetInt32(),
                Share(concentration.GetProperty("largestShare")),
                Share(concentration.GetProperty("top10Share")),
                Share(concentration.GetProperty("herfindahl")),
                concentration.GetProperty("topCustomers").EnumerateArray().Select(c => new CustomerShare(
                    c.GetProperty("customerId").GetString()!,
                    c.GetProperty("customerName").GetString()!,
                    ContractSnapshotJson.Money(c.GetProperty("backlog")),
                    Share(c.GetProperty("share")) ?? 0m)).ToList()),
            Segments = total.GetProperty("segments").EnumerateArray().Select(s => new SegmentFigures(
                s.GetProperty("dimension").GetString()!,
                s.GetProperty("value").GetString()!,
                s.GetProperty("contractCount").GetInt32(),
                ContractSnapshotJson.ReadFigures(s),
                IncludesBilling: s.TryGetProperty("billings", out _))).ToList(),
        };
    }

    private static Waterfall Waterfall(JsonElement waterfall) => new(
        Currency.Of(waterfall.GetProperty("currency").GetString()!),
        ContractSnapshotJson.Money(waterfall.GetProperty("backlog")),
        waterfall.GetProperty("months").EnumerateArray().Select(m => new WaterfallMonth(m.GetProperty("index").GetInt32(), Date(m.GetProperty("through")), ContractSnapshotJson.Money(m.GetProperty("amount")))).ToList(),
        ContractSnapshotJson.Money(waterfall.GetProperty("later")));


    private static decimal? Share(JsonElement value) =>
        value.GetString() is { } text && text != "n/a" ? decimal.Parse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture) : null;

    private static DateOnly Date(JsonElement value) => DateOnly.ParseExact(value.GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
