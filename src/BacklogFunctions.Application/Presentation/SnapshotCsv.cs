using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Snapshots;
using CsvHelper;

namespace BacklogFunctions.Application.Presentation;

/// <summary>
/// CSV forms of a snapshot: one row per currency total and per contract, fixed columns, invariant culture,
/// and spreadsheet formula injection neutralized (a customer called "=HYPERLINK(…)" stays text).
/// </summary>
public static class SnapshotCsv
{
    private static readonly string[] LeadingColumns =
        ["scope", "period", "asOf", "currency", "contractId", "customerId", "customerName", "customerSegment", "region", "salesOwner"];

    public static IReadOnlyList<string> Header { get; } =
        [.. LeadingColumns, .. FigureColumns.All.Select(c => c.Name), "backlogRatio", "backlogRatioTtm"];

    public static void Write(TextWriter output, Snapshot snapshot)
    {
        using var csv = CsvWriter.Create(output, CsvMoney.Options, true);
        csv.WriteHeader(Header.ToArray());
        var period = snapshot.PeriodName ?? string.Empty;
        var asOf = EventJson.Iso(snapshot.AsOf);
        foreach (var total in snapshot.Totals)
        {
            WriteRow(csv, ["total", period, asOf, total.Currency.Code, "", "", "", "", "", ""], total.Figures, total.Currency);
        }

        // The group figures in the reporting currency, when there is a view (the table and JSON name missing rates).
        if (snapshot.Consolidated?.View is { } group)
        {
            WriteRow(csv, ["consolidated", period, asOf, group.Currency.Code, "", "", "", "", "", ""], group.Figures, group.Currency);
        }

        foreach (var c in snapshot.Contracts)
        {
            WriteRow(
                csv,
                ["contract", period, asOf, c.Currency.Code, c.ContractId, c.Customer.Id, c.Customer.Name, c.Customer.Segment ?? "", c.Customer.Region ?? "", c.SalesOwner ?? ""],
                c.Figures,
                c.Currency);
        }
    }

    /// <summary>One row per currency and month, then <c>later</c>; the group waterfall last, with scope <c>consolidated</c>.</summary>
    public static void Write(TextWriter output, IReadOnlyList<Waterfall> waterfalls, Domain.Consolidation.Translated<Waterfall>? group = null)
    {
        using var csv = CsvWriter.Create(output, CsvMoney.Options, true);
        csv.WriteHeader(["scope", "currency", "month", "through", "amount"]);
        var rows = waterfalls.Select(w => ("total", w));
        if (group?.Value is { } consolidated)
        {
            rows = rows.Append(("consolidated", consolidated));
        }

        foreach (var (scope, waterfall) in rows)
        {
            foreach (var month in waterfall.Months)
            {
                csv.WriteField(scope);
                csv.WriteField(waterfall.Currency.Code);
                csv.WriteField(Period.Of(month.Through).ToString());
                csv.WriteField(EventJson.Iso(month.Through));
                csv.WriteMoney(month.Amount, waterfall.Currency);
                csv.EndRecord();
            }

            csv.WriteField(scope);
            csv.WriteField(waterfall.Currency.Code);
            csv.WriteField("later");
            csv.WriteField(string.Empty);
            csv.WriteMoney(waterfall.Later, waterfall.Currency);
            csv.EndRecord();
        }
    }

    private static void WriteRow(CsvWriter csv, string[] leading, Figures figures, Currency currency)
    {
        foreach (var field in leading)
        {
            csv.WriteText(field);
        }

        foreach (var column in FigureColumns.All)
        {
            csv.WriteMoney(column.Value(figures), currency);
        }

        csv.WriteField(FigureColumns.FormatRatio(figures.BacklogRatio));
        csv.WriteField(FigureColumns.FormatRatio(figures.BacklogRatioTtm));
        csv.EndRecord();
    }
}
