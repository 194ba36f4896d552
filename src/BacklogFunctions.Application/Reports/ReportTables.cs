using BacklogFunctions.Application.Presentation;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Application.Reports;

/// <summary>
/// Where the rows of a report table go, cell by cell: a CSV file or a worksheet. Cells are typed, so each output
/// writes them its own way (a date as ISO text in CSV, as a date serial in a workbook) from the same rows.
/// </summary>
public interface IReportTableWriter
{
    /// <summary>Text, possibly from a customer: never run as a formula.</summary>
    void Text(string value);

    /// <summary>An amount of <paramref name="currency"/>, with its digits.</summary>
    void Money(decimal amount, Currency currency);

    /// <summary>A whole number: a version, a count, days.</summary>
    void Whole(int value);

    void Date(DateOnly date);

    /// <summary>A ratio, or "n/a" (null) when it has no meaningful denominator.</summary>
    void Ratio(decimal? ratio);

    /// <summary>An FX rate: units of the reporting currency per unit of a currency, up to 10 fraction digits.</summary>
    void Rate(decimal rate);

    /// <summary>A fraction with four decimals (a variance % of −0.0500 is 5% below plan), or "n/a" (null).</summary>
    void Fraction(decimal? fraction);

    void Empty();

    void EndRow();
}

/// <summary>Which rows of the RPO table: the maturity buckets and the disclosure, the waterfall, or all of them.</summary>
[Flags]
public enum RpoSchedules
{
    Buckets = 1,
    Waterfall = 2,
    All = Buckets | Waterfall,
}

/// <summary>
/// The rows of a report's tables, in the columns of <see cref="ReportCsv"/> (docs/reports.md): one definition
/// behind both the CSV files and the workbook's sheets, so the two always hold the same rows.
/// </summary>
public static class ReportTables
{
    /// <summary>Every figure of every contract: the drill-down behind each total.</summary>
    public static void Contracts(IReportTableWriter rows, ReportInput input)
    {
        var period = input.Period.ToString();
        foreach (var c in ByContract(input))
        {
            Key(rows, period, input.Version);
            Texts(rows, [c.ContractId, c.Currency.Code, c.Customer.Id, c.Customer.Name, c.Customer.Segment ?? "", c.Customer.Region ?? "", c.SalesOwner ?? ""]);
            rows.Date(c.SignedDate);
            Texts(rows, [BucketLabels.Label(c.TermLength), BucketLabels.Label(c.BacklogAge)]);
            foreach (var column in FigureColumns.All)
            {
                rows.Money(column.Value(c.Figures), c.Currency);
            }

            rows.Ratio(c.Figures.BacklogRatio);
            rows.Ratio(c.Figures.BacklogRatioTtm);
            if (ProgressOf(c) is { } progress)
            {
                rows.Fraction(progress);
            }
            else
            {
                rows.Empty();
            }

            rows.EndRow();
        }
    }

    /// <summary>
    /// The progress of a contract's progress lines (docs/reports.md, contracts.csv): one progress line's ratio, or the
    /// progress of several weighted by their TCV (their plain mean when their TCV is zero), four decimals half away
    /// from zero; null for a contract without progress lines.
    /// </summary>
    public static decimal? ProgressOf(ContractSnapshot contract)
    {
        decimal? single = null;
        int count = 0;
        decimal weighted = 0m, weights = 0m, sum = 0m;
        foreach (var line in contract.Lines)
        {
            if (line.Progress is not { } ratio)
            {
                continue;
            }

            single = ratio;
            count++;
            sum += ratio;
            weighted += ratio * line.Figures.Tcv;
            weights += line.Figures.Tcv;
        }

        var progress = count switch
        {
            0 => (decimal?)null,
            1 => single,
            _ => weights != 0m ? weighted / weights : sum / count,
        };
        return progress is { } p ? decimal.Round(p, ContractLineDocument.ProgressDigits, MidpointRounding.AwayFromZero) : null;
    }

    /// <summary>Both roll-forwards of every currency, one line per row, as the board pack shows them.</summary>
    public static void RollForwards(IReportTableWriter rows, ReportInput input)
    {
        foreach (var total in input.Snapshot.Totals)
        {
            foreach (var line in RollForward.Backlog(total.Figures).Concat(RollForward.NetContractPosition(total.Figures, input.Snapshot.Options)))
            {
                Record(rows, input, [total.Currency.Code, line.RollForward, line.Name], line.Amount, total.Currency);
            }
        }
    }

    /// <summary>Every segment of every dimension; billing figures are empty for product lines (billing is per contract).</summary>
    public static void Segments(IReportTableWriter rows, ReportInput input)
    {
        foreach (var total in input.Snapshot.Totals)
        {
            foreach (var segment in total.Segments)
            {
                Key(rows, input.Period.ToString(), input.Version);
                Texts(rows, [total.Currency.Code, segment.Dimension, BucketLabels.SegmentLabel(segment.Dimension, segment.Value)]);
                rows.Whole(segment.Contracts);
                foreach (var column in FigureColumns.All)
                {
                    if (column.IsBilling && !segment.IncludesBilling)
                    {
                        rows.Empty();
                    }
                    else
                    {
                        rows.Money(column.Value(segment.Figures), total.Currency);
                    }
                }

                rows.EndRow();
            }
        }
    }

    /// <summary>RPO maturity buckets and the current/non-current disclosure, and the 24-month waterfall, per currency.</summary>
    public static void Rpo(IReportTableWriter rows, ReportInput input, RpoSchedules schedules)
    {
        foreach (var total in input.Snapshot.Totals)
        {
            var c = total.Currency;
            if (schedules.HasFlag(RpoSchedules.Buckets))
            {
                foreach (var (bucket, amount) in RpoBuckets.Maturity(total.Figures))
                {
                    Record(rows, input, [c.Code, "maturity", bucket, ""], amount, c);
                }

                Record(rows, input, [c.Code, "disclosure", "next 12 months", ""], total.Figures.RpoCurrent, c);
                Record(rows, input, [c.Code, "disclosure", "later", ""], total.Figures.RpoNonCurrent, c);
            }

            if (schedules.HasFlag(RpoSchedules.Waterfall) && input.Snapshot.Waterfalls.FirstOrDefault(w => w.Currency == c) is { } waterfall)
            {
                foreach (var month in waterfall.Months)
                {
                    Key(rows, input.Period.ToString(), input.Version);
                    Texts(rows, [c.Code, "waterfall", Period.Of(month.Through).ToString()]);
                    rows.Date(month.Through);
                    rows.Money(month.Amount, c);
                    rows.EndRow();
                }

                Record(rows, input, [c.Code, "waterfall", "later", ""], waterfall.Later, c);
            }
        }
    }

    /// <summary>
    /// The billings, collections and revenue forecasts: each currency's stored total (scope <c>total</c>, every row),
    /// then each contract's (scope <c>contract</c>, rows with an amount only), by row <c>overdue</c>, the 24 months
    /// after the period, <c>later</c> and <c>unscheduled</c>. Versions closed before forecasts were stored have none.
    /// </summary>
    public static void Forecasts(IReportTableWriter rows, ReportInput input)
    {
        var first = input.Period.Next;
        foreach (var total in input.Snapshot.Forecasts)
        {
            ForecastRows(rows, input, [ReportCsv.TotalScope, total.Currency.Code, ""], first, total, withZeroRows: true);
        }

        foreach (var c in ByContract(input))
        {
            if (c.Forward is { } forward)
            {
                ForecastRows(rows, input, [ReportCsv.ContractScope, c.Currency.Code, c.ContractId], first, forward.Forecast, withZeroRows: false);
            }
        }
    }

    /// <summary>
    /// Every open invoice, per contract in the order it absorbed credits, with its age bucket; then the contract's
    /// unapplied credits, when it has any, as a row of bucket <c>unapplied</c> whose open balance is minus the
    /// credits. Σ openBalance of a currency = its receivables.
    /// </summary>
    public static void Receivables(IReportTableWriter rows, ReportInput input)
    {
        var period = input.Period.ToString();
        foreach (var c in ByContract(input))
        {
            var currency = c.Currency;
            foreach (var invoice in c.Forward?.OpenInvoices ?? [])
            {
                Key(rows, period, input.Version);
                Texts(rows, [c.ContractId, currency.Code, c.Customer.Id, c.Customer.Name, invoice.InvoiceId]);
                rows.Date(invoice.IssueDate);
                rows.Date(invoice.DueDate);
                rows.Money(invoice.Amount, currency);
                rows.Money(invoice.OpenBalance, currency);
                rows.Whole(invoice.DaysPastDue);
                rows.Text(ReceivableBuckets.Of(invoice.DaysPastDue));
                rows.EndRow();
            }

            if (c.Figures.UnappliedCredits != 0m)
            {
                Key(rows, period, input.Version);
                Texts(rows, [c.ContractId, currency.Code, c.Customer.Id, c.Customer.Name, "", "", "", ""]);
                rows.Money(-c.Figures.UnappliedCredits, currency);
                rows.Empty();
                rows.Text(ReceivableBuckets.Unapplied);
                rows.EndRow();
            }
        }
    }

    /// <summary>
    /// What is late, per contract: its overdue billing (kind <c>billing</c>, when not zero), then each delivery and
    /// milestone past its expected date (kind <c>delivery</c>) with the backlog it holds and the days late.
    /// </summary>
    public static void Overdue(IReportTableWriter rows, ReportInput input)
    {
        var period = input.Period.ToString();
        foreach (var c in ByContract(input))
        {
            var currency = c.Currency;
            if (c.Figures.OverdueBilling != 0m)
            {
                Key(rows, period, input.Version);
                Texts(rows, [ReportCsv.OverdueBillingKind, c.ContractId, currency.Code, c.Customer.Id, c.Customer.Name, "", "", ""]);
                rows.Money(c.Figures.OverdueBilling, currency);
                rows.Empty();
                rows.EndRow();
            }

            foreach (var late in c.OverdueDeliveries)
            {
                Key(rows, period, input.Version);
                Texts(rows, [ReportCsv.OverdueDeliveryKind, c.ContractId, currency.Code, c.Customer.Id, c.Customer.Name, late.LineId, late.MilestoneId ?? ""]);
                rows.Date(late.ExpectedDate);
                rows.Money(late.Amount, currency);
                rows.Whole(late.DaysLate);
                rows.EndRow();
            }
        }
    }

    /// <summary>
    /// The group figures in the reporting currency (consolidation.md), one amount or rate per row: the consolidated
    /// figures, both roll-forwards with the FX translation effect, each currency's translated figures, the
    /// constant-currency figures, the consolidated segments (with their rounding lines) and top customers, and the
    /// rates used. When a rate is missing, one row per missing rate and no figures; no rows without a reporting currency.
    /// </summary>
    public static void Consolidated(IReportTableWriter rows, ReportInput input)
    {
        if (input.Snapshot.Consolidated is not { } group)
        {
            return;
        }

        var r = group.Currency;
        void Amount(string section, string currency, string dimension, string item, string name, decimal amount)
        {
            GroupKey(rows, input, r, [section, currency, dimension, item, name]);
            rows.Money(amount, r);
            rows.Empty();
            rows.Empty();
            rows.EndRow();
        }

        void Rate(string section, string currency, string name, decimal? rate, DateOnly date)
        {
            GroupKey(rows, input, r, [section, currency, "", "", name]);
            rows.Empty();
            if (rate is { } value)
            {
                rows.Rate(value);
            }
            else
            {
                rows.Empty();
            }

            rows.Date(date);
            rows.EndRow();
        }

        if (group.View is not { } view)
        {
            foreach (var missing in group.MissingRates)
            {
                Rate(ReportCsv.MissingRateSection, missing.Currency.Code, MissingRateDocument.KindName(missing.Kind), null, missing.Date);
            }

            return;
        }

        foreach (var column in FigureColumns.All)
        {
            Amount(ReportCsv.ConsolidatedSection, "", "", "", column.Name, column.Value(view.Figures));
        }

        foreach (var line in ConsolidatedRollForward.Backlog(view))
        {
            Amount(ReportCsv.BacklogRollForwardSection, "", "", "", line.Name, line.Amount);
        }

        foreach (var line in ConsolidatedRollForward.NetContractPosition(view, input.Snapshot.Options))
        {
            Amount(ReportCsv.NetContractPositionRollForwardSection, "", "", "", line.Name, line.Amount);
        }

        foreach (var translated in view.ByCurrency)
        {
            foreach (var column in FigureColumns.All)
            {
                Amount(ReportCsv.TranslatedSection, translated.Currency.Code, "", "", column.Name, column.Value(translated.Figures));
            }
        }

        if (view.ConstantCurrency is { } constant)
        {
            foreach (var column in FigureColumns.All)
            {
                Amount(ReportCsv.ConstantCurrencySection, "", "", "", column.Name, column.Value(constant));
            }
        }
        else
        {
            foreach (var missing in view.ConstantCurrencyMissing)
            {
                Rate(ReportCsv.ConstantCurrencyMissingRateSection, missing.Currency.Code, MissingRateDocument.KindName(missing.Kind), null, missing.Date);
            }
        }

        foreach (var segment in view.Totals.Segments)
        {
            foreach (var column in FigureColumns.All.Where(c => segment.IncludesBilling || !c.IsBilling))
            {
                Amount(ReportCsv.SegmentSection, "", segment.Dimension, BucketLabels.SegmentLabel(segment.Dimension, segment.Value), column.Name, column.Value(segment.Figures));
            }
        }

        foreach (var customer in view.Totals.Concentration.TopCustomers)
        {
            Amount(ReportCsv.TopCustomerSection, "", customer.CustomerId, customer.CustomerName, "backlog", customer.Backlog);
        }

        foreach (var rate in view.Rates)
        {
            Rate(ReportCsv.RateSection, rate.Currency.Code, ReportCsv.ClosingRate, rate.Closing, rate.ClosingDate);
            Rate(ReportCsv.RateSection, rate.Currency.Code, ReportCsv.AverageRate, rate.Average, input.Snapshot.AsOf);
            Rate(ReportCsv.RateSection, rate.Currency.Code, ReportCsv.OpeningRate, rate.Opening, input.Snapshot.OpeningDate);
        }
    }

    /// <summary>
    /// Plan against actual (<see cref="ReportInput.PlanVersusActual"/>): the month's targets, then the quarter's and
    /// fiscal year's when the month ends them; actual, variance and variance % "n/a" where not known.
    /// </summary>
    public static void Targets(IReportTableWriter rows, ReportInput input)
    {
        foreach (var target in input.PlanVersusActual())
        {
            var c = target.Currency;
            Texts(rows, [target.Period, c.Code, Domain.Alerts.TargetFigures.NameOf(target.Figure)]);
            rows.Money(target.Target, c);
            MoneyOrNotAvailable(rows, target.Actual, c);
            MoneyOrNotAvailable(rows, target.Variance, c);
            rows.Fraction(target.VariancePct);
            rows.EndRow();
        }
    }

    private static void MoneyOrNotAvailable(IReportTableWriter rows, decimal? amount, Currency currency)
    {
        if (amount is { } a)
        {
            rows.Money(a, currency);
        }
        else
        {
            rows.Text(FigureColumns.NotAvailable);
        }
    }

    /// <summary>The contracts in the order of every table that lists them: by id, ordinal.</summary>
    public static IOrderedEnumerable<ContractSnapshot> ByContract(ReportInput input) => input.Contracts.OrderBy(c => c.ContractId, StringComparer.Ordinal);

    private static void ForecastRows(IReportTableWriter rows, ReportInput input, ReadOnlySpan<string> key, Period firstMonth, Domain.Forward.ForecastLine line, bool withZeroRows)
    {
        foreach (var row in ForecastFormats.Rows(firstMonth, line))
        {
            if (!withZeroRows && row.IsZero)
            {
                continue;
            }

            Key(rows, input.Period.ToString(), input.Version);
            Texts(rows, key);
            rows.Text(row.Month);
            rows.Money(row.Billings, line.Currency);
            rows.Money(row.Collections, line.Currency);
            rows.Money(row.Revenue, line.Currency);
            rows.EndRow();
        }
    }

    /// <summary>The first two columns of every table: the period and the snapshot version.</summary>
    private static void Key(IReportTableWriter rows, string period, int version)
    {
        rows.Text(period);
        rows.Whole(version);
    }

    /// <summary>The first columns of consolidated.csv: period, version, reporting currency, then section … name.</summary>
    private static void GroupKey(IReportTableWriter rows, ReportInput input, Currency reporting, ReadOnlySpan<string> text)
    {
        Key(rows, input.Period.ToString(), input.Version);
        rows.Text(reporting.Code);
        Texts(rows, text);
    }

    private static void Texts(IReportTableWriter rows, ReadOnlySpan<string> text)
    {
        foreach (var field in text)
        {
            rows.Text(field);
        }
    }

    private static void Record(IReportTableWriter rows, ReportInput input, ReadOnlySpan<string> text, decimal amount, Currency currency)
    {
        Key(rows, input.Period.ToString(), input.Version);
        Texts(rows, text);
        rows.Money(amount, currency);
        rows.EndRow();
    }
}
