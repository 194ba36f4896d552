using System.Globalization;
using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Application.Presentation;

/// <summary>A plain-text month-end table for a terminal: one block per currency, roll-forwards that visibly tie.</summary>
public static class SnapshotTable
{
    public static void Write(TextWriter output, Snapshot snapshot)
    {
        var title = snapshot switch
        {
            { Span: { Kind: not ReportingPeriodKind.Month } span } => $"Snapshot {span} ({EventJson.Iso(span.FirstDay)} to {EventJson.Iso(snapshot.AsOf)}: balances on the last day, flows over {span.Months.Count()} months)",
            { Period: { } p } => $"Month-end snapshot {p} (as of {EventJson.Iso(snapshot.AsOf)})",
            _ => $"Snapshot as of {EventJson.Iso(snapshot.AsOf)} (month to date)",
        };
        output.WriteLine(title);
        output.WriteLine($"Policy: proration {PolicyNames.NameOf(snapshot.Options.Proration)}, deferred revenue on {PolicyNames.NameOf(snapshot.Options.DeferredBasis)} basis");
        if (snapshot.Totals.Count == 0)
        {
            output.WriteLine("No signed contracts.");
        }

        if (snapshot.Consolidated is { } group)
        {
            Group(output, group);
        }

        foreach (var total in snapshot.Totals)
        {
            var c = total.Currency;
            var f = total.Figures;
            output.WriteLine();
            output.WriteLine($"{c.Code} — {total.Contracts.ToString(CultureInfo.InvariantCulture)} contracts");
            Row(output, "Backlog (RPO)", c, f.Backlog);
            Row(output, "  current (next 12 months)", c, f.RpoCurrent);
            Row(output, "  non-current", c, f.RpoNonCurrent);
            Row(output, "Deferred revenue", c, f.DeferredRevenue);
            Row(output, "Unbilled receivable", c, f.UnbilledReceivable);
            Row(output, "Revenue", c, f.Revenue);
            Row(output, "Bookings", c, f.Bookings);
            Row(output, "Billings", c, f.Billings);
            Row(output, "Collections", c, f.Collections);
            Text(output, "Backlog ratio (months)", FigureColumns.FormatRatio(f.BacklogRatio));
            Text(output, "Backlog ratio (TTM)", FigureColumns.FormatRatio(f.BacklogRatioTtm));
            BacklogRollForward(output, c, f, fxEffect: null);
            output.WriteLine("  Net contract position roll-forward (deferred − unbilled)");
            Row(output, "    opening", c, f.OpeningNetContractPosition);
            Row(output, "    ± prior-period adjustments", c, f.NetContractPositionPriorPeriodAdjustment);
            Row(output, snapshot.Options.DeferredBasis == DeferredBasis.Collected ? "    + collections" : "    + billings", c, f.ContractPositionInflow);
            Row(output, "    − revenue", c, -f.Revenue);
        Row(output, "    + usage beyond commitments", c, f.UsageBeyondCommitments);
            Row(output, "    = closing", c, f.NetContractPosition);
            output.WriteLine("  RPO maturity");
            Row(output, "    0-3 months", c, f.Rpo0To3Months);
            Row(output, "    3-6 months", c, f.Rpo3To6Months);
            Row(output, "    6-12 months", c, f.Rpo6To12Months);
            Row(output, "    12-24 months", c, f.Rpo12To24Months);
            Row(output, "    over 24 months", c, f.RpoOver24Months);
            Text(output, "Top-10 customer share", Percent(total.Concentration.Top10Share));
            Text(output, "Largest customer share", Percent(total.Concentration.LargestShare));
            output.WriteLine("  Forward view");
            Row(output, "    not yet billed", c, f.NotYetBilled);
            Row(output, "      overdue billing", c, f.OverdueBilling);
            Row(output, "      billings forecast", c, f.ForecastBilling);
            Row(output, "      unscheduled", c, f.UnscheduledBilling);
            Row(output, "    billed not earned", c, f.BilledNotEarned);
            Row(output, "    receivables", c, f.Receivables);
            Row(output, "      current", c, f.AgingCurrent);
            Row(output, "      1-30 days past due", c, f.AgingDays1To30);
            Row(output, "      31-60 days", c, f.AgingDays31To60);
            Row(output, "      61-90 days", c, f.AgingDays61To90);
            Row(output, "      over 90 days", c, f.AgingOver90);
            Row(output, "      − unapplied credits", c, -f.UnappliedCredits);
            Row(output, "    overdue backlog (late work)", c, f.OverdueBacklog);
            Row(output, "    ARR", c, f.Arr);
            output.WriteLine("  KPIs");
            Text(output, "    book-to-bill", FigureColumns.FormatKpi(f.BookToBill));
            Text(output, "    backlog conversion", Percent(f.BacklogConversion));
            Text(output, "    cancellation rate", Percent(f.CancellationRate));
            Text(output, "    lead time (days)", FigureColumns.FormatDays(f.LeadTimeDays));
            Text(output, "    GRR", Percent(total.Grr));
            Text(output, "    NRR", Percent(total.Nrr));
        }
    }

    /// <summary>The group block: headline figures in the reporting currency and the backlog roll-forward with its FX line; or what is missing.</summary>
    private static void Group(TextWriter output, Domain.Consolidation.Consolidated group)
    {
        var c = group.Currency;
        output.WriteLine();
        if (group.View is not { } view)
        {
            output.WriteLine($"Group in {c.Code}: not available, rates missing: {Missing(group.MissingRates)}");
            return;
        }

        var f = view.Figures;
        output.WriteLine($"Group in {c.Code} — {view.Totals.Contracts.ToString(CultureInfo.InvariantCulture)} contracts in {view.ByCurrency.Count.ToString(CultureInfo.InvariantCulture)} currencies");
        Row(output, "Backlog (RPO)", c, f.Backlog);
        Row(output, "Deferred revenue", c, f.DeferredRevenue);
        Row(output, "Unbilled receivable", c, f.UnbilledReceivable);
        Row(output, "Revenue", c, f.Revenue);
        Row(output, "Bookings", c, f.Bookings);
        Row(output, "Billings", c, f.Billings);
        Row(output, "ARR", c, f.Arr);
        Text(output, "Backlog ratio (months)", FigureColumns.FormatRatio(f.BacklogRatio));
        BacklogRollForward(output, c, f, view.FxEffectBacklog);
        Row(output, "  FX effect, net contract position", c, view.FxEffectNetContractPosition);
        Text(output, "Backlog at constant currency", view.ConstantCurrency is { } constant ? Money(c, constant.Backlog) : "n/a");
        output.WriteLine("  Translated from");
        foreach (var (translated, rate) in view.ByCurrency.Zip(view.Rates))
        {
            Row(output, $"    {translated.Currency.Code} at {Consolidation.FxRateFile.Format(rate.Closing)}", c, translated.Figures.Backlog);
        }
    }

    /// <summary>The backlog roll-forward, line by line; the group's with its FX translation effect.</summary>
    private static void BacklogRollForward(TextWriter output, Currency c, Figures f, decimal? fxEffect)
    {
        output.WriteLine("  Backlog roll-forward");
        Row(output, "    opening", c, f.OpeningBacklog);
        Row(output, "    ± prior-period adjustments", c, f.BacklogPriorPeriodAdjustment);
        Row(output, "    + bookings", c, f.Bookings);
        Row(output, "    + expansions", c, f.Expansions);
        Row(output, "    − contractions", c, -f.Contractions);
        Row(output, "    − cancellations", c, -f.Cancellations);
        Row(output, "    − revenue", c, -f.Revenue);
        if (fxEffect is { } effect)
        {
            Row(output, "    ± FX translation effect", c, effect);
        }

        Row(output, "    = closing", c, f.Backlog);
    }

    /// <summary>Missing rates as one line: <c>KWD closing rate of 2026-11-30, …</c>.</summary>
    public static string Missing(IEnumerable<Domain.Consolidation.MissingRate> missing) =>
        string.Join(", ", missing.Select(m => $"{m.Currency.Code} {MissingRateDocument.KindName(m.Kind)} rate of {EventJson.Iso(m.Date)}"));

    public static void Write(TextWriter output, IReadOnlyList<Waterfall> waterfalls, DateOnly asOf, Domain.Consolidation.Translated<Waterfall>? group = null)
    {
        output.WriteLine($"Revenue waterfall of the backlog as of {EventJson.Iso(asOf)}");
        var rows = waterfalls.Select(w => (Label: w.Currency.Code, Waterfall: w));
        if (group?.Value is { } consolidated)
        {
            rows = rows.Append(($"Group {consolidated.Currency.Code}", consolidated));
        }

        foreach (var (label, waterfall) in rows)
        {
            var c = waterfall.Currency;
            output.WriteLine();
            output.WriteLine($"{label} — backlog {Money(c, waterfall.Backlog)}");
            foreach (var month in waterfall.Months)
            {
                Row(output, "  " + Period.Of(month.Through), c, month.Amount);
            }

            Row(output, "  later", c, waterfall.Later);
        }

        if (group is { Value: null } missing)
        {
            output.WriteLine();
            output.WriteLine($"Group {missing.Currency.Code}: not available, rates missing: {Missing(missing.MissingRates)}");
        }
    }

    /// <summary>Thousands separators, negatives in parentheses, the currency's digits.</summary>
    public static string Money(Currency currency, decimal amount)
    {
        var format = "#,##0" + (currency.MinorUnit > 0 ? "." + new string('0', currency.MinorUnit) : string.Empty);
        var text = Math.Abs(currency.Round(amount)).ToString(format, CultureInfo.InvariantCulture);
        return amount < 0 ? $"({text})" : text + " ";
    }

    private static void Row(TextWriter output, string label, Currency currency, decimal amount) =>
        output.WriteLine($"  {label,-34}{Money(currency, amount),24}");

    private static void Text(TextWriter output, string label, string value) =>
        output.WriteLine($"  {label,-34}{value,23} ");

    private static string Percent(decimal? share) =>
        share is { } s ? (s * 100m).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "n/a";
}
