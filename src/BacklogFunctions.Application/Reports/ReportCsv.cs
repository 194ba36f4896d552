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
    public const string ForecastFile = "forecast.csv";
    public const string ReceivablesFile = "receivables.csv";
    public const string OverdueFile = "overdue.csv";

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

    public static readonly IReadOnlyList<string> ForecastColumns = ["period", "version", "scope", "currency", "contractId", "month", "billings", "collections", "revenue"];

    public static readonly IReadOnlyList<string> ReceivableColumns =
        ["period", "version", "contractId", "currency", "customerId", "customerName", "invoiceId", "issueDate", "dueDate", "amount", "openBalance", "daysPastDue", "bucket"];

    public static readonly IReadOnlyList<string> OverdueColumns =
        ["period", "version", "kind", "contractId", "currency", "customerId", "customerName", "lineId", "milestoneId", "expectedDate", "amount", "daysLate"];

    /// <summary>The <c>scope</c> of forecast.csv's rows: a currency's total, or one contract.</summary>
    public const string TotalScope = "total";
    public const string ContractScope = "contract";

    /// <summary>The <c>kind</c> of overdue.csv's rows.</summary>
    public const string OverdueBillingKind = "billing";
    public const string OverdueDeliveryKind = "delivery";

    public static IReadOnlyList<ReportFile> Render(ReportInput input) =>
    [
        new(ContractsFile, "text/csv", Write(w => Contracts(w, input))),
        new(RollForwardsFile, "text/csv", Write(w => RollForwards(w, input))),
        new(SegmentsFile, "text/csv", Write(w => Segments(w, input))),
        new(RpoFile, "text/csv", Write(w => Rpo(w, input))),
        new(ForecastFile, "text/csv", Write(w => Forecasts(w, input))),
        new(ReceivablesFile, "text/csv", Write(w => Receivables(w, input))),
        new(OverdueFile, "text/csv", Write(w => Overdue(w, input))),
    ];

    /// <summary>Every figure of every contract: the drill-down behind each total.</summary>
    public static void Contracts(TextWriter output, ReportInput input)
    {
        using var csv = Create(output, ContractColumns);
        var (period, version) = (input.Period.ToString(), Version(input));
        foreach (var c in ByContract(input))
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

    /// <summary>
    /// The billings, collections and revenue forecasts: each currency's stored total (scope <c>total</c>, every row),
    /// then each contract's (scope <c>contract</c>, rows with an amount only), by row <c>overdue</c>, the 24 months
    /// after the period, <c>later</c> and <c>unscheduled</c>. Versions closed before forecasts were stored have none.
    /// </summary>
    public static void Forecasts(TextWriter output, ReportInput input)
    {
        using var csv = Create(output, ForecastColumns);
        var (period, version, first) = (input.Period.ToString(), Version(input), input.Period.Next);
        foreach (var total in input.Snapshot.Forecasts)
        {
            ForecastRows(csv, [period, version, TotalScope, total.Currency.Code, ""], first, total, withZeroRows: true);
        }

        foreach (var c in ByContract(input))
        {
            if (c.Forward is { } forward)
            {
                ForecastRows(csv, [period, version, ContractScope, c.Currency.Code, c.ContractId], first, forward.Forecast, withZeroRows: false);
            }
        }
    }

    /// <summary>
    /// Every open invoice, per contract in the order it absorbed credits, with its age bucket; then the contract's
    /// unapplied credits, when it has any, as a row of bucket <c>unapplied</c> whose open balance is minus the
    /// credits. Σ openBalance of a currency = its receivables.
    /// </summary>
    public static void Receivables(TextWriter output, ReportInput input)
    {
        using var csv = Create(output, ReceivableColumns);
        var (period, version) = (input.Period.ToString(), Version(input));
        foreach (var c in ByContract(input))
        {
            var currency = c.Currency;
            foreach (var invoice in c.Forward?.OpenInvoices ?? [])
            {
                Texts(csv, [period, version, c.ContractId, currency.Code, c.Customer.Id, c.Customer.Name, invoice.InvoiceId, EventJson.Iso(invoice.IssueDate), EventJson.Iso(invoice.DueDate)]);
                csv.WriteMoney(invoice.Amount, currency);
                csv.WriteMoney(invoice.OpenBalance, currency);
                csv.WriteField(invoice.DaysPastDue, "D");
                csv.WriteText(ReceivableBuckets.Of(invoice.DaysPastDue));
                csv.EndRecord();
            }

            if (c.Figures.UnappliedCredits != 0m)
            {
                Texts(csv, [period, version, c.ContractId, currency.Code, c.Customer.Id, c.Customer.Name, "", "", "", ""]);
                csv.WriteMoney(-c.Figures.UnappliedCredits, currency);
                csv.WriteField(string.Empty);
                csv.WriteText(ReceivableBuckets.Unapplied);
                csv.EndRecord();
            }
        }
    }

    /// <summary>
    /// What is late, per contract: its overdue billing (kind <c>billing</c>, when not zero), then each delivery and
    /// milestone past its expected date (kind <c>delivery</c>) with the backlog it holds and the days late.
    /// </summary>
    public static void Overdue(TextWriter output, ReportInput input)
    {
        using var csv = Create(output, OverdueColumns);
        var (period, version) = (input.Period.ToString(), Version(input));
        foreach (var c in ByContract(input))
        {
            var currency = c.Currency;
            if (c.Figures.OverdueBilling != 0m)
            {
                Texts(csv, [period, version, OverdueBillingKind, c.ContractId, currency.Code, c.Customer.Id, c.Customer.Name, "", "", ""]);
                csv.WriteMoney(c.Figures.OverdueBilling, currency);
                csv.WriteField(string.Empty);
                csv.EndRecord();
            }

            foreach (var late in c.OverdueDeliveries)
            {
                Texts(csv, [period, version, OverdueDeliveryKind, c.ContractId, currency.Code, c.Customer.Id, c.Customer.Name, late.LineId, late.MilestoneId ?? "", EventJson.Iso(late.ExpectedDate)]);
                csv.WriteMoney(late.Amount, currency);
                csv.WriteField(late.DaysLate, "D");
                csv.EndRecord();
            }
        }
    }

    private static void ForecastRows(CsvWriter csv, ReadOnlySpan<string> key, Period firstMonth, Domain.Forward.ForecastLine line, bool withZeroRows)
    {
        foreach (var row in ForecastFormats.Rows(firstMonth, line))
        {
            if (!withZeroRows && row.IsZero)
            {
                continue;
            }

            Texts(csv, key);
            csv.WriteText(row.Month);
            csv.WriteMoney(row.Billings, line.Currency);
            csv.WriteMoney(row.Collections, line.Currency);
            csv.WriteMoney(row.Revenue, line.Currency);
            csv.EndRecord();
        }
    }

    private static void Texts(CsvWriter csv, ReadOnlySpan<string> text)
    {
        foreach (var field in text)
        {
            csv.WriteText(field);
        }
    }

    private static IOrderedEnumerable<ContractSnapshot> ByContract(ReportInput input) => input.Contracts.OrderBy(c => c.ContractId, StringComparer.Ordinal);

    private static void Record(CsvWriter csv, ReadOnlySpan<string> text, decimal amount, Currency currency)
    {
        Texts(csv, text);
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

/// <summary>The age buckets of open invoice balances (forward.md, "Receivables and aging") as the reports name them.</summary>
public static class ReceivableBuckets
{
    public const string Current = "current";
    public const string Days1To30 = "1-30";
    public const string Days31To60 = "31-60";
    public const string Days61To90 = "61-90";
    public const string Over90 = "over-90";

    /// <summary>The bucket of receivables.csv's rows of unapplied credits.</summary>
    public const string Unapplied = "unapplied";

    /// <summary>The bucket of a balance <paramref name="daysPastDue"/> days past its due date (zero or less: not yet due).</summary>
    public static string Of(int daysPastDue) => daysPastDue switch
    {
        <= 0 => Current,
        <= 30 => Days1To30,
        <= 60 => Days31To60,
        <= 90 => Days61To90,
        _ => Over90,
    };

    /// <summary>Each bucket's open balances, in age order.</summary>
    public static IReadOnlyList<(string Bucket, decimal Amount)> Aging(Figures f) =>
    [
        (Current, f.AgingCurrent),
        (Days1To30, f.AgingDays1To30),
        (Days31To60, f.AgingDays31To60),
        (Days61To90, f.AgingDays61To90),
        (Over90, f.AgingOver90),
    ];
}
