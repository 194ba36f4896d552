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
        using var csv = CsvWriter.Create(output, CsvMoney.Options, true);
        csv.WriteHeader(["currency", "month", "through", "amount"]);
        foreach (var waterfall in waterfalls)
        {
            foreach (var month in waterfall.Months)
            {
                csv.WriteField(waterfall.Currency.Code);
                csv.WriteField(Period.Of(month.Through).ToString());
                csv.WriteField(EventJson.Iso(month.Through));
                csv.WriteMoney(month.Amount, waterfall.Currency);
                csv.EndRecord();
            }

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
