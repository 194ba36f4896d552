using System.Text;
using BacklogFunctions.Application.Presentation;
using BacklogFunctions.Domain.Consolidation;
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
    public const string JournalFile = "journal.csv";
    public const string JournalDetailFile = "journal-detail.csv";
    public const string ConsolidatedFile = "consolidated.csv";
    public const string TargetsFile = "targets.csv";
    public const string AlertsFile = "alerts.csv";

    private static readonly UTF8Encoding Utf8WithBom = new(encoderShouldEmitUTF8Identifier: true);

    /// <summary>An FX rate as stored: up to 10 fraction digits, no trailing zeros (1.0825, 0.0066712345).</summary>
    private const string RateFormat = "0.##########";

    public static readonly IReadOnlyList<string> ContractColumns =
    [
        "period", "version", "contractId", "currency", "customerId", "customerName", "customerSegment", "region", "salesOwner",
        "signedDate", "termLength", "backlogAge", .. FigureColumns.All.Select(c => c.Name), "backlogRatio", "backlogRatioTtm", "progress",
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

    public static readonly IReadOnlyList<string> ConsolidatedColumns =
        ["period", "version", "reportingCurrency", "section", "currency", "dimension", "item", "name", "amount", "rate", "date"];

    /// <summary>targets.csv: each target of the month, and of the quarter and fiscal year it ends, against its actual.</summary>
    public static readonly IReadOnlyList<string> TargetColumns = ["period", "currency", "figure", "target", "actual", "variance", "variancePct"];

    /// <summary>alerts.csv: the alert object of alerts.md ("Names"), one row per rule and currency evaluated.</summary>
    public static readonly IReadOnlyList<string> AlertColumns = ["id", "name", "figure", "currency", "operator", "threshold", "actual", "fired", "severity", "note"];

    /// <summary>The <c>scope</c> of forecast.csv's rows: a currency's total, or one contract.</summary>
    public const string TotalScope = "total";
    public const string ContractScope = "contract";

    /// <summary>The <c>section</c> of consolidated.csv's rows, in the order they come.</summary>
    public const string ConsolidatedSection = "consolidated";
    public const string BacklogRollForwardSection = "backlogRollForward";
    public const string NetContractPositionRollForwardSection = "netContractPositionRollForward";
    public const string TranslatedSection = "translated";
    public const string ConstantCurrencySection = "constantCurrency";
    public const string ConstantCurrencyMissingRateSection = "constantCurrencyMissingRate";
    public const string SegmentSection = "segment";
    public const string TopCustomerSection = "topCustomer";
    public const string RateSection = "rate";
    public const string MissingRateSection = "missingRate";

    /// <summary>The <c>name</c> of consolidated.csv's <c>rate</c> rows.</summary>
    public const string ClosingRate = "closing";
    public const string AverageRate = "average";
    public const string OpeningRate = "opening";

    /// <summary>The <c>kind</c> of overdue.csv's rows.</summary>
    public const string OverdueBillingKind = "billing";
    public const string OverdueDeliveryKind = "delivery";

    public static IReadOnlyList<ReportFile> Render(ReportInput input) =>
    [
        new(ContractsFile, "text/csv", Write(w => Contracts(w, input))),
        new(RollForwardsFile, "text/csv", Write(w => Table(w, RollForwardColumns, rows => ReportTables.RollForwards(rows, input)))),
        new(SegmentsFile, "text/csv", Write(w => Table(w, SegmentColumns, rows => ReportTables.Segments(rows, input)))),
        new(RpoFile, "text/csv", Write(w => Table(w, RpoColumns, rows => ReportTables.Rpo(rows, input, RpoSchedules.All)))),
        new(ForecastFile, "text/csv", Write(w => Table(w, ForecastColumns, rows => ReportTables.Forecasts(rows, input)))),
        new(ReceivablesFile, "text/csv", Write(w => Table(w, ReceivableColumns, rows => ReportTables.Receivables(rows, input)))),
        new(OverdueFile, "text/csv", Write(w => Table(w, OverdueColumns, rows => ReportTables.Overdue(rows, input)))),
        new(ConsolidatedFile, "text/csv", Write(w => Table(w, ConsolidatedColumns, rows => ReportTables.Consolidated(rows, input)))),
        new(TargetsFile, "text/csv", Write(w => Table(w, TargetColumns, rows => ReportTables.Targets(rows, input)))),
        new(AlertsFile, "text/csv", Write(w => AlertRows(w, input))),
        new(JournalFile, "text/csv", Write(w => JournalFormats.WriteCsv(w, JournalOf(input, Journal.JournalDetail.Summary), input.JournalAccounts))),
        new(JournalDetailFile, "text/csv", Write(w => JournalFormats.WriteCsv(w, JournalOf(input, Journal.JournalDetail.Contract), input.JournalAccounts))),
    ];

    /// <summary>The version's journal at <paramref name="detail"/>; without one, an empty journal (the file is its header).</summary>
    private static Journal.PeriodJournal JournalOf(ReportInput input, Journal.JournalDetail detail) =>
        input.Journal is { } journal
            ? detail == Journal.JournalDetail.Summary ? journal.AsSummary() : journal
            : new Journal.PeriodJournal(input.Period, input.Version, null, detail, input.Snapshot.Options, [], new Dictionary<Currency, Domain.Journal.LedgerBalances>(), new Dictionary<Currency, Domain.Journal.LedgerBalances>());

    /// <summary>contracts.csv: every figure of every contract, the drill-down behind each total.</summary>
    public static void Contracts(TextWriter output, ReportInput input) => Table(output, ContractColumns, rows => ReportTables.Contracts(rows, input));

    /// <summary>
    /// alerts.csv: every rule evaluated for the version, fired or not, critical first, as stored. Threshold and
    /// actual are numbers (money with the currency's digits, other figures as computed); actual "n/a" when the
    /// figure was n/a. Header only for a version closed without alerts.
    /// </summary>
    private static void AlertRows(TextWriter output, ReportInput input)
    {
        using var csv = CsvWriter.Create(output, CsvMoney.Options, true);
        csv.WriteHeader(AlertColumns.ToArray());
        foreach (var alert in input.Snapshot.Alerts ?? [])
        {
            var rule = alert.Rule;
            var money = !Application.Alerts.AlertFigures.IsMoney(rule.Figure) ? null
                : alert.Currency == Domain.Alerts.AlertRule.Consolidated ? input.Snapshot.Consolidated?.Currency
                : Currency.TryOf(alert.Currency, out var c) ? c : null;
            void Number(decimal? value)
            {
                if (value is not { } v)
                {
                    csv.WriteField(FigureColumns.NotAvailable);
                }
                else if (money is { } m)
                {
                    csv.WriteMoney(v, m);
                }
                else
                {
                    csv.WriteField(v / 1.0000000000000000000000000000m, "0.############################");
                }
            }

            csv.WriteText(alert.Id);
            csv.WriteText(rule.Name);
            csv.WriteText(rule.Figure);
            csv.WriteText(alert.Currency);
            csv.WriteText(Domain.Alerts.AlertRule.SymbolOf(rule.Operator));
            Number(rule.Threshold);
            Number(alert.Actual);
            csv.WriteField(alert.Fired ? "true" : "false");
            csv.WriteText(Domain.Alerts.AlertRule.NameOf(rule.Severity));
            csv.WriteText(alert.Note);
            csv.EndRecord();
        }
    }

    private static void Table(TextWriter output, IReadOnlyList<string> header, Action<IReportTableWriter> rows)
    {
        using var csv = CsvWriter.Create(output, CsvMoney.Options, true);
        csv.WriteHeader(header.ToArray());
        rows(new CsvTableWriter(csv));
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

    /// <summary>
    /// A report table's cells as CSV fields: text escaped against formula injection, amounts with the currency's
    /// digits, dates as ISO text, ratios with up to four decimals or "n/a".
    /// </summary>
    private sealed class CsvTableWriter(CsvWriter csv) : IReportTableWriter
    {
        public void Text(string value) => csv.WriteText(value);

        public void Money(decimal amount, Currency currency) => csv.WriteMoney(amount, currency);

        public void Whole(int value) => csv.WriteField(value, "D");

        public void Date(DateOnly date) => csv.WriteText(EventJson.Iso(date));

        public void Ratio(decimal? ratio) => csv.WriteField(FigureColumns.FormatRatio(ratio));

        public void Rate(decimal rate) => csv.WriteField(rate, RateFormat);

        public void Fraction(decimal? fraction)
        {
            if (fraction is { } f)
            {
                csv.WriteField(f, "0.0000");
            }
            else
            {
                csv.WriteField(FigureColumns.NotAvailable);
            }
        }

        public void Empty() => csv.WriteField(string.Empty);

        public void EndRow() => csv.EndRecord();
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
        new("backlog", "usageBeyondCommitments", "Usage beyond commitments", f.UsageBeyondCommitments),
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

/// <summary>
/// The group roll-forwards in the reporting currency (consolidation.md): the lines of <see cref="RollForward"/>
/// with the FX translation effect — closing minus everything else — on its own line before the closing, so the
/// difference left is zero.
/// </summary>
public static class ConsolidatedRollForward
{
    public const string FxTranslationEffect = "fxTranslationEffect";

    public static IReadOnlyList<RollForwardLine> Backlog(ConsolidatedView view) => WithFxEffect(RollForward.Backlog(view.Figures), view.FxEffectBacklog);

    public static IReadOnlyList<RollForwardLine> NetContractPosition(ConsolidatedView view, SnapshotOptions options) =>
        WithFxEffect(RollForward.NetContractPosition(view.Figures, options), view.FxEffectNetContractPosition);

    private static List<RollForwardLine> WithFxEffect(IReadOnlyList<RollForwardLine> lines, decimal effect)
    {
        var result = new List<RollForwardLine>(lines.Count + 1);
        foreach (var line in lines)
        {
            if (line.Name == "closing")
            {
                result.Add(new(line.RollForward, FxTranslationEffect, "FX translation effect", effect));
            }

            result.Add(line.Name == "difference" ? line with { Amount = line.Amount + effect } : line);
        }

        return result;
    }
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
