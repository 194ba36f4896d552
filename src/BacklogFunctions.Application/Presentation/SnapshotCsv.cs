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
        using var csv = CsvWriter.Create(output, new CsvWriterOptions { Injection = CsvInjection.Escape }, true);
        csv.WriteHeader(Header.ToArray());
        var period = snapshot.Period?.ToString() ?? string.Empty;
        var asOf = EventJson.Iso(snapshot.AsOf);
        foreach (var total in snapshot.Totals)
        {
            WriteRow(csv, ["total", period, asOf, total.Currency.Code, "", "", "", "", "", ""], total.Figures, total.Currency);
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

    public static void Write(TextWriter output, IReadOnlyList<Waterfall> waterfalls)
    {
        using var csv = CsvWriter.Create(output, new CsvWriterOptions { Injection = CsvInjection.Escape }, true);
        csv.WriteHeader(["currency", "month", "through", "amount"]);
        foreach (var waterfall in waterfalls)
        {
            foreach (var month in waterfall.Months)
            {
                csv.WriteRecord([waterfall.Currency.Code, Period.Of(month.Through).ToString(), EventJson.Iso(month.Through), waterfall.Currency.Format(month.Amount)]);
            }

            csv.WriteRecord([waterfall.Currency.Code, "later", "", waterfall.Currency.Format(waterfall.Later)]);
        }
    }

    private static void WriteRow(CsvWriter csv, string[] leading, Figures figures, Currency currency)
    {
        foreach (var field in leading)
        {
            csv.WriteField(field);
        }

        foreach (var column in FigureColumns.All)
        {
            csv.WriteField(currency.Format(column.Value(figures)));
        }

        csv.WriteField(FigureColumns.FormatRatio(figures.BacklogRatio));
        csv.WriteField(FigureColumns.FormatRatio(figures.BacklogRatioTtm));
        csv.EndRecord();
    }
}
