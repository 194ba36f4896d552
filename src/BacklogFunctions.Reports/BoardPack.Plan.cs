using BacklogFunctions.Application.Presentation;
using BacklogFunctions.Application.Reports;
using BacklogFunctions.Domain.Alerts;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Reports;

/// <summary>
/// Plan and alerts in the board pack (alerts.md): the headline tables' "against plan" columns (the month's target
/// and the variance % against it, blank where the figure has no target) and the alerts box on the pack's first
/// page — the fired alerts, critical first, or that none fired, or that the version was closed without alerts.
/// </summary>
public sealed partial class BoardPack
{
    /// <summary>How many fired rules the first page lists (one row each, with their currencies); alerts.csv has every alert.</summary>
    public const int AlertsShown = 5;

    /// <summary>Currencies named on one rule's row of the first page's alerts box.</summary>
    public const int CurrenciesShown = 3;

    /// <summary>The target figure a headline row stands for; null for rows targets cannot be set for.</summary>
    private static TargetFigure? TargetFigureOf(string label) => label switch
    {
        "Backlog (RPO)" => TargetFigure.Backlog,
        "Deferred revenue" => TargetFigure.DeferredRevenue,
        "Revenue" => TargetFigure.Revenue,
        "Bookings" => TargetFigure.Bookings,
        "Billings" => TargetFigure.Billings,
        "Collections" => TargetFigure.Collections,
        "ARR" => TargetFigure.Arr,
        _ => null,
    };

    /// <summary>
    /// The month's targets of one currency's headline table: a currency's own, or — for the group page — those in
    /// the reporting currency (which are the consolidated ones when a reporting currency is set).
    /// </summary>
    private static Dictionary<TargetFigure, TargetResult> MonthTargets(ReportInput input, Currency currency, bool group)
    {
        var reporting = input.Snapshot.Consolidated?.Currency;
        if (!group && reporting == currency)
        {
            return [];
        }

        var month = input.Period.ToString();
        return input.Snapshot.Targets
            .Where(t => t.Currency == currency && t.Period == month)
            .GroupBy(t => t.Figure)
            .ToDictionary(g => g.Key, g => g.First());
    }

    /// <summary>
    /// The headline table: figure, this month, prior month, last year, QTD and YTD — and, when the month has targets
    /// for the currency, "Plan" and "vs plan" (blank for a figure without a target), with a row for collections and
    /// ARR when they have one.
    /// </summary>
    private static void HeadlineTable(PdfCanvas pdf, ReportInput input, string title, IReadOnlyList<(string Label, Func<Figures, decimal> Value)> headlines, Currency c, Figures now, Figures? before, Figures? yearAgo, Figures? qtd, Figures? ytd, bool group)
    {
        var prior = input.Period.Previous;
        var lastYear = input.Period.AddMonths(-12);
        var targets = MonthTargets(input, c, group);
        var withPlan = targets.Count > 0;
        var shown = headlines.ToList();
        if (withPlan)
        {
            foreach (var (label, value) in GroupHeadlines)
            {
                if (!shown.Any(h => h.Label == label) && TargetFigureOf(label) is { } figure && targets.ContainsKey(figure))
                {
                    shown.Add((label, value));
                }
            }
        }

        var rows = shown.Select(h => new Row([
            h.Label,
            FinanceFormat.Money(h.Value(now), c),
            before is null ? "n/a" : FinanceFormat.Money(h.Value(before), c),
            before is null ? "n/a" : FinanceFormat.PercentChange(h.Value(now), h.Value(before)),
            yearAgo is null ? "n/a" : FinanceFormat.Money(h.Value(yearAgo), c),
            yearAgo is null ? "n/a" : FinanceFormat.PercentChange(h.Value(now), h.Value(yearAgo)),
            qtd is null ? "n/a" : FinanceFormat.Money(h.Value(qtd), c),
            ytd is null ? "n/a" : FinanceFormat.Money(h.Value(ytd), c),
            .. withPlan ? PlanCells(targets, TargetFigureOf(h.Label), c) : [],
        ])).ToList();
        string[] noPlan = withPlan ? ["", ""] : [];
        rows.Add(new Row(["Backlog ratio (months)", FinanceFormat.Ratio(now.BacklogRatio), FinanceFormat.Ratio(before?.BacklogRatio), "", FinanceFormat.Ratio(yearAgo?.BacklogRatio), "", FinanceFormat.Ratio(qtd?.BacklogRatio), FinanceFormat.Ratio(ytd?.BacklogRatio), .. noPlan]));
        rows.Add(new Row(["Backlog ratio (TTM)", FinanceFormat.Ratio(now.BacklogRatioTtm), FinanceFormat.Ratio(before?.BacklogRatioTtm), "", FinanceFormat.Ratio(yearAgo?.BacklogRatioTtm), "", "", "", .. noPlan]));
        if (!withPlan)
        {
            pdf.Table(
                [new(title, 95, Align.Left), new(FinanceFormat.ShortMonth(input.Period), 64), new(FinanceFormat.ShortMonth(prior), 64), new("vs prior", 44), new(FinanceFormat.ShortMonth(lastYear), 64), new("vs LY", 44), new("QTD", 68), new("YTD", 68)],
                rows,
                7.5f);
            return;
        }

        // Two more columns in the same width: narrower columns and a smaller size.
        pdf.Table(
            [new(title, 78, Align.Left), new(FinanceFormat.ShortMonth(input.Period), 54), new(FinanceFormat.ShortMonth(prior), 54), new("vs prior", 36), new(FinanceFormat.ShortMonth(lastYear), 54), new("vs LY", 36), new("QTD", 54), new("YTD", 54), new("Plan", 54), new("vs plan", 36)],
            rows,
            7f);
    }

    private static string[] PlanCells(Dictionary<TargetFigure, TargetResult> targets, TargetFigure? figure, Currency c) =>
        figure is { } f && targets.TryGetValue(f, out var target)
            ? [FinanceFormat.Money(target.Target, c), target.VariancePct is { } pct ? FinanceFormat.Percent(pct) : "n/a"]
            : ["", ""];

    /// <summary>
    /// The alerts box of the first page: each fired alert, critical first (severity, name, currency, actual against
    /// the threshold), at most <see cref="AlertsShown"/> with how many more; or that none fired of how many rules;
    /// or that the version was closed without alerts.
    /// </summary>
    private static void AlertsBox(PdfCanvas pdf, ReportInput input)
    {
        if (input.Snapshot.Alerts is not { } alerts)
        {
            pdf.Paragraph("Alerts not evaluated: this version was closed without alert rules being evaluated.", 7.5f);
            return;
        }

        var rules = alerts.Select(a => a.Rule.Name).Distinct(StringComparer.Ordinal).Count();
        var fired = alerts.Where(a => a.Fired).OrderBy(a => a.Rule.Severity == AlertSeverity.Critical ? 0 : 1).ToList();
        if (fired.Count == 0)
        {
            pdf.Paragraph($"No alerts fired: {rules.ToString(Culture)} rule(s) evaluated, {alerts.Count.ToString(Culture)} check(s) across currencies (alerts.csv lists each with its note).", 7.5f);
            return;
        }

        // One row per rule, its currencies side by side, so that the box stays a few lines whatever the number of currencies.
        var reporting = input.Snapshot.Consolidated?.Currency;
        var byRule = fired.GroupBy(a => a.Rule.Name, StringComparer.Ordinal).ToList();
        var rows = byRule.Take(AlertsShown).Select(g =>
        {
            var stored = g.Select(a => AlertDocument.From(a, reporting)).ToList();
            var where = string.Join(", ", stored.Take(CurrenciesShown).Select(a => $"{a.Currency} {a.Actual}")) + (stored.Count > CurrenciesShown ? $" +{(stored.Count - CurrenciesShown).ToString(Culture)}" : string.Empty);
            return new Row([stored[0].Severity, stored[0].Name, where, $"{stored[0].Operator} {stored[0].Threshold}"], Alert: g.First().Rule.Severity == AlertSeverity.Critical);
        }).ToList();
        pdf.Table([new("Severity", 50, Align.Left), new("Alerts fired", 190, Align.Left), new("Where (actual)", 196, Align.Left), new("Threshold", 75)], rows, 7f);
        var more = byRule.Count > AlertsShown ? $" {(byRule.Count - AlertsShown).ToString(Culture)} more rule(s) fired; alerts.csv lists every alert." : string.Empty;
        pdf.Paragraph($"{fired.Count.ToString(Culture)} of {alerts.Count.ToString(Culture)} check(s) fired ({rules.ToString(Culture)} rule(s) across currencies).{more}", 7f);
    }
}
