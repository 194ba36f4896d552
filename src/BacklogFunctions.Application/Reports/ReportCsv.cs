using System.Globalization;
using System.Text;
using BacklogFunctions.Application.Presentation;
using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Snapshots;
using CsvHelper;

namespace BacklogFunctions.Application.Reports;

/// <summary>
/// The CSV files of a report, with fixed, documented columns (docs/reports.md): UTF-8 with a byte-order mark
/// (so spreadsheet programs read names right), comma-separated, invariant culture, amounts with the
/// currency's digits and no separators, and formula injection neutralized — a customer called
/// <c>=HYPERLINK(…)</c> stays text.
/// </summary>
public static class ReportCsv
{
    public const string ContractsFile = "contracts.csv";
    public const string RollForwardsFile = "rollforwards.csv";
    public const string SegmentsFile = "segments.csv";
    public const string RpoFile = "rpo.csv";

    private static readonly UTF8Encoding Utf8WithBom = new(encoderShouldEmitUTF8Identifier: true);

    public static readonly IReadOnlyList<string> ContractColumns =
    [
        "period", "version", "contractId", "currency", "customerId", "customerName", "customerSegment", "region", "salesOwner",
        "signedDate", "termLength", "backlogAge", .. FigureColumns.All.Select(c => c.Name), "backlogRatio", "backlogRatioTtm",
    ];

    public static readonly IReadOnlyList<string> RollForwardColumns = ["period", "version", "currency", "rollForward", "line", "amount"];

    public static readonly IReadOnlyList<string> SegmentColumns =
        ["period", "version", "currency", "dimension", "value", "contractCount", .. FigureColumns.All.Select(c => c.Name)];

    public static readonly IReadOnlyList<string> RpoColumns = ["period", "version", "currency", "schedule", "bucket", "through", "amount"];

    public static IReadOnlyList<ReportFile> Render(ReportInput input) =>
    [
        new(ContractsFile, "text/csv", Write(w => Contracts(w, input))),
        new(RollForwardsFile, "text/csv", Write(w => RollForwards(w, input))),
        new(SegmentsFile, "text/csv", Write(w => Segments(w, input))),
        new(RpoFile, "text/csv", Write(w => Rpo(w, input))),
    ];

    /// <summary>Every figure of every contract: the drill-down behind each total.</summary>
    public static void Contracts(TextWriter output, ReportInput input)
    {
        using var csv = Create(output, ContractColumns);
        var (period, version) = (input.Period.ToString(), Version(input));
        foreach (var c in input.Contracts.OrderBy(c => c.ContractId, StringComparer.Ordinal))
        {
            foreach (var field in (ReadOnlySpan<string>)[period, version, c.ContractId, c.Currency.Code, c.Customer.Id, c.Customer.Name, c.Customer.Segment ?? "", c.Customer.Region ?? "", c.SalesOwner ?? "", EventJson.Iso(c.SignedDate), BucketLabels.Label(c.TermLength), BucketLabels.Label(c.BacklogAge)])
            {
                csv.WriteText(field);
            }

            foreach (var column in FigureColumns.All)
            {
                csv.WriteMoney(column.Value(c.Figures), c.Currency);
            }

            csv.WriteField(FigureColumns.FormatRatio(c.Figures.BacklogRatio));
            csv.WriteField(FigureColumns.FormatRatio(c.Figures.BacklogRatioTtm));
            csv.EndRecord();
        }
    }

    /// <summary>Both roll-forwards of every currency, one line per row, as the board pack shows them.</summary>
    public static void RollForwards(TextWriter output, ReportInput input)
    {
        using var csv = Create(output, RollForwardColumns);
        foreach (var total in input.Snapshot.Totals)
        {
            foreach (var line in RollForward.Backlog(total.Figures).Concat(RollForward.NetContractPosition(total.Figures, input.Snapshot.Options)))
            {
                Record(csv, [input.Period.ToString(), Version(input), total.Currency.Code, line.RollForward, line.Name], line.Amount, total.Currency);
            }
        }
    }

    /// <summary>Every segment of every dimension; billing figures are empty for product lines (billing is per contract).</summary>
    public static void Segments(TextWriter output, ReportInput input)
    {
        using var csv = Create(output, SegmentColumns);
        foreach (var total in input.Snapshot.Totals)
        {
            foreach (var segment in total.Segments)
            {
                foreach (var field in (ReadOnlySpan<string>)[input.Period.ToString(), Version(input), total.Currency.Code, segment.Dimension, BucketLabels.SegmentLabel(segment.Dimension, segment.Value), segment.Contracts.ToString(CultureInfo.InvariantCulture)])
                {
                    csv.WriteText(field);
                }

                foreach (var column in FigureColumns.All)
                {
                    if (column.IsBilling && !segment.IncludesBilling)
                    {
                        csv.WriteField(string.Empty);
                    }
                    else
                    {
                        csv.WriteMoney(column.Value(segment.Figures), total.Currency);
                    }
                }

                csv.EndRecord();
            }
        }
    }

    /// <summary>RPO maturity buckets, the current/non-current disclosure, and the 24-month waterfall.</summary>
    public static void Rpo(TextWriter output, ReportInput input)
    {
        using var csv = Create(output, RpoColumns);
        var (period, version) = (input.Period.ToString(), Version(input));
        foreach (var total in input.Snapshot.Totals)
        {
            var c = total.Currency;
            foreach (var (bucket, amount) in RpoBuckets.Maturity(total.Figures))
            {
                Record(csv, [period, version, c.Code, "maturity", bucket, ""], amount, c);
            }

            Record(csv, [period, version, c.Code, "disclosure", "next 12 months", ""], total.Figures.RpoCurrent, c);
            Record(csv, [period, version, c.Code, "disclosure", "later", ""], total.Figures.RpoNonCurrent, c);
            if (input.Snapshot.Waterfalls.FirstOrDefault(w => w.Currency == c) is { } waterfall)
            {
                foreach (var month in waterfall.Months)
                {
                    Record(csv, [period, version, c.Code, "waterfall", Period.Of(month.Through).ToString(), EventJson.Iso(month.Through)], month.Amount, c);
                }

                Record(csv, [period, version, c.Code, "waterfall", "later", ""], waterfall.Later, c);
            }
        }
    }

    private static void Record(CsvWriter csv, ReadOnlySpan<string> text, decimal amount, Currency currency)
    {
        foreach (var field in text)
        {
            csv.WriteText(field);
        }

        csv.WriteMoney(amount, currency);
        csv.EndRecord();
    }

    private static string Version(ReportInput input) => input.Version.ToString(CultureInfo.InvariantCulture);

    private static CsvWriter Create(TextWriter output, IReadOnlyList<string> header)
    {
        var csv = CsvWriter.Create(output, CsvMoney.Options, true);
        csv.WriteHeader(header.ToArray());
        return csv;
    }

    private static byte[] Write(Action<TextWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new StreamWriter(buffer, Utf8WithBom, leaveOpen: true) { NewLine = "\r\n" })
        {
            write(writer);
        }

        return buffer.ToArray();
    }
}

/// <summary>One line of a roll-forward: opening, movements, closing, and the difference that must be zero.</summary>
public sealed record RollForwardLine(string RollForward, string Name, string Label, decimal Amount);

public static class RollForward
{
    public static IReadOnlyList<RollForwardLine> Backlog(Figures f) =>
    [
        new("backlog", "opening", "Opening backlog", f.OpeningBacklog),
        new("backlog", "priorPeriodAdjustments", "Prior-period adjustments", f.BacklogPriorPeriodAdjustment),
        new("backlog", "bookings", "Bookings", f.Bookings),
        new("backlog", "expansions", "Expansions", f.Expansions),
        new("backlog", "contractions", "Contractions", -f.Contractions),
        new("backlog", "cancellations", "Cancellations", -f.Cancellations),
        new("backlog", "revenue", "Revenue recognized", -f.Revenue),
        new("backlog", "closing", "Closing backlog", f.Backlog),
        new("backlog", "difference", "Difference (must be zero)", f.BacklogRollForwardDifference),
    ];

    public static IReadOnlyList<RollForwardLine> NetContractPosition(Figures f, SnapshotOptions options) =>
    [
        new("netContractPosition", "opening", "Opening net contract position", f.OpeningNetContractPosition),
        new("netContractPosition", "priorPeriodAdjustments", "Prior-period adjustments", f.NetContractPositionPriorPeriodAdjustment),
        options.DeferredBasis == DeferredBasis.Collected
            ? new("netContractPosition", "collections", "Collections", f.ContractPositionInflow)
            : new("netContractPosition", "billings", "Billings", f.ContractPositionInflow),
        new("netContractPosition", "revenue", "Revenue recognized", -f.Revenue),
        new("netContractPosition", "closing", "Closing net contract position", f.NetContractPosition),
        new("netContractPosition", "difference", "Difference (must be zero)", f.NetContractPositionRollForwardDifference),
    ];
}

public static class RpoBuckets
{
    public static IReadOnlyList<(string Bucket, decimal Amount)> Maturity(Figures f) =>
    [
        ("0-3 months", f.Rpo0To3Months),
        ("3-6 months", f.Rpo3To6Months),
        ("6-12 months", f.Rpo6To12Months),
        ("12-24 months", f.Rpo12To24Months),
        ("over 24 months", f.RpoOver24Months),
    ];
}
