using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Forward;
using BacklogFunctions.Domain.Money;
using CsvHelper;

namespace BacklogFunctions.Application.Presentation;

/// <summary>The answer of <c>backlog forecast --format json</c>.</summary>
public sealed record ForecastDocument(string AsOf, IReadOnlyList<ForecastLineDocument> Totals, IReadOnlyList<ForecastLineDocument> Contracts)
{
    /// <summary>The group forecast in the reporting currency (every currency's at its closing rate); absent without one.</summary>
    public ForecastLineDocument? Consolidated { get; init; }

    /// <summary>Instead of <see cref="Consolidated"/> when a rate is missing: which currency, kind and day.</summary>
    public IReadOnlyList<MissingRateDocument>? ConsolidatedMissingRates { get; init; }

    /// <summary>This document with the group forecast of <paramref name="consolidated"/> (none when it is null or has no forecast).</summary>
    public ForecastDocument WithGroup(ConsolidatedDocument? consolidated) => this with
    {
        Consolidated = consolidated?.Forecast,
        ConsolidatedMissingRates = consolidated?.MissingRates,
    };

    public static ForecastDocument Of(Forecast forecast)
    {
        return new ForecastDocument(EventJson.Iso(forecast.AsOf), [.. forecast.Totals.Select(Line)], [.. forecast.Contracts.Select(Line)])
        {
            Consolidated = forecast.Group?.Value is { } group ? Line(group) : null,
            ConsolidatedMissingRates = forecast.Group is { Value: null } missing ? [.. missing.MissingRates.Select(MissingRateDocument.From)] : null,
        };

        ForecastLineDocument Line(ForecastLine l) => ForecastLineDocument.From(l, forecast.FirstMonth);
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = true)]
[JsonSerializable(typeof(ForecastDocument))]
public sealed partial class ForecastJsonContext : JsonSerializerContext;

/// <summary>The forecasts as JSON, CSV (one row per contract or currency total and month) and a table.</summary>
public static class ForecastFormats
{
    public static IReadOnlyList<string> CsvHeader { get; } = ["scope", "asOf", "currency", "contractId", "month", "billings", "collections", "revenue"];

    public static void WriteJson(Stream output, Forecast forecast)
    {
        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        JsonSerializer.Serialize(writer, ForecastDocument.Of(forecast), ForecastJsonContext.Default.ForecastDocument);
    }

    /// <summary>
    /// Rows: <c>overdue</c> (overdue billing and collections), each month, <c>later</c>, and <c>unscheduled</c>
    /// (billings no plan covers); totals first (scope <c>total</c>), then each contract (scope <c>contract</c>).
    /// </summary>
    public static void WriteCsv(TextWriter output, Forecast forecast)
    {
        using var csv = CsvWriter.Create(output, CsvMoney.Options, true);
        csv.WriteHeader(CsvHeader.ToArray());
        var asOf = EventJson.Iso(forecast.AsOf);
        var group = forecast.Group?.Value is { } consolidated ? [("consolidated", consolidated)] : Array.Empty<(string, ForecastLine)>();
        foreach (var (scope, line) in forecast.Totals.Select(t => ("total", t)).Concat(group).Concat(forecast.Contracts.Select(c => ("contract", c))))
        {
            foreach (var (month, billings, collections, revenue) in Rows(forecast, line))
            {
                csv.WriteField(scope);
                csv.WriteField(asOf);
                csv.WriteField(line.Currency.Code);
                csv.WriteText(line.ContractId ?? string.Empty);
                csv.WriteField(month);
                csv.WriteMoney(billings, line.Currency);
                csv.WriteMoney(collections, line.Currency);
                csv.WriteMoney(revenue, line.Currency);
                csv.EndRecord();
            }
        }
    }

    /// <summary>Per currency: the three forecasts month by month, side by side.</summary>
    public static void WriteTable(TextWriter output, Forecast forecast)
    {
        output.WriteLine($"Forecast as of {EventJson.Iso(forecast.AsOf)}: billings, collections and revenue of the backlog");
        var group = forecast.Group?.Value is { } consolidated ? [consolidated] : Array.Empty<ForecastLine>();
        foreach (var total in forecast.Totals.Concat(group))
        {
            var c = total.Currency;
            output.WriteLine();
            output.WriteLine($"{(ReferenceEquals(total, forecast.Group?.Value) ? $"Group {c.Code}" : c.Code),-12}{"billings",24}{"collections",24}{"revenue",24}");
            foreach (var (month, billings, collections, revenue) in Rows(forecast, total))
            {
                output.WriteLine($"  {month,-10}{SnapshotTable.Money(c, billings),24}{SnapshotTable.Money(c, collections),24}{SnapshotTable.Money(c, revenue),24}");
            }

            output.WriteLine($"  {"total",-10}{SnapshotTable.Money(c, total.OverdueBilling + total.Billings.Total + total.UnscheduledBilling),24}{SnapshotTable.Money(c, total.CollectionsOverdue + total.Collections.Total),24}{SnapshotTable.Money(c, total.Revenue.Total),24}");
        }

        if (forecast.Group is { Value: null } missing)
        {
            output.WriteLine();
            output.WriteLine($"Group {missing.Currency.Code}: not available, rates missing: {SnapshotTable.Missing(missing.MissingRates)}");
        }
    }

    private static IEnumerable<ForecastRowAmounts> Rows(Forecast forecast, ForecastLine line) => Rows(forecast.FirstMonth, line);

    /// <summary>
    /// The rows of one forecast line: <c>overdue</c>, the 24 months from <paramref name="firstMonth"/>, <c>later</c>
    /// and <c>unscheduled</c>; the three forecasts of each row add up to the line's totals.
    /// </summary>
    public static IEnumerable<ForecastRowAmounts> Rows(Period firstMonth, ForecastLine line)
    {
        yield return new(ForecastRowAmounts.Overdue, line.OverdueBilling, line.CollectionsOverdue, 0m);
        for (var i = 0; i < MonthlyForecast.Horizon; i++)
        {
            yield return new(firstMonth.AddMonths(i).ToString(), line.Billings.Months[i], line.Collections.Months[i], line.Revenue.Months[i]);
        }

        yield return new(ForecastRowAmounts.Later, line.Billings.Later, line.Collections.Later, line.Revenue.Later);
        yield return new(ForecastRowAmounts.Unscheduled, line.UnscheduledBilling, 0m, 0m);
    }
}

/// <summary>One row of a forecast: a month (<c>YYYY-MM</c>) or <c>overdue</c>, <c>later</c>, <c>unscheduled</c>, and the three amounts.</summary>
public sealed record ForecastRowAmounts(string Month, decimal Billings, decimal Collections, decimal Revenue)
{
    public const string Overdue = "overdue";
    public const string Later = "later";
    public const string Unscheduled = "unscheduled";

    public bool IsZero => Billings == 0m && Collections == 0m && Revenue == 0m;
}
