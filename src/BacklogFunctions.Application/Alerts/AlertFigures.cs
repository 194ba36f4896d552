using BacklogFunctions.Application.Presentation;
using BacklogFunctions.Domain.Alerts;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Application.Alerts;

/// <summary>
/// The figures an alert rule may name (alerts.md, "Alert rules"): every money figure of the snapshot by its output
/// name (<see cref="FigureColumns.All"/>), the KPIs and concentration shares, <c>backlogChangePct</c>,
/// <c>receivablesOver90Share</c>, and <c>targetVariancePct:&lt;figure&gt;</c> for the target figures.
/// </summary>
public static class AlertFigures
{
    /// <summary>Receivables over 90 days ÷ receivables (n/a when receivables are not positive).</summary>
    public const string ReceivablesOver90Share = "receivablesOver90Share";

    private static readonly Dictionary<string, Func<CurrencyTotals, decimal?>> Kpis = new(StringComparer.Ordinal)
    {
        ["backlogRatio"] = t => t.Figures.BacklogRatio,
        ["backlogRatioTtm"] = t => t.Figures.BacklogRatioTtm,
        ["bookToBill"] = t => t.Figures.BookToBill,
        ["backlogConversion"] = t => t.Figures.BacklogConversion,
        ["cancellationRate"] = t => t.Figures.CancellationRate,
        ["leadTimeDays"] = t => t.Figures.LeadTimeDays,
        ["grr"] = t => t.Grr,
        ["nrr"] = t => t.Nrr,
        ["largestShare"] = t => t.Concentration.LargestShare,
        ["top10Share"] = t => t.Concentration.Top10Share,
        ["herfindahl"] = t => t.Concentration.Herfindahl,
        [AlertRule.BacklogChange] = t => Figures.Ratio(t.Figures.Backlog, t.Figures.OpeningBacklog) - 1m,
        [ReceivablesOver90Share] = t => Figures.Ratio(t.Figures.AgingOver90, t.Figures.Receivables),
    };

    /// <summary>Every name a rule may use besides <c>targetVariancePct:&lt;figure&gt;</c>, in a stable order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. FigureColumns.All.Select(c => c.Name), .. Kpis.Keys];

    /// <summary>Whether a rule may name <paramref name="figure"/>.</summary>
    public static bool IsKnown(string? figure) =>
        figure is not null && (Kpis.ContainsKey(figure) || FigureColumns.All.Any(c => c.Name == figure) || (figure.StartsWith(AlertRule.TargetVariancePrefix, StringComparison.Ordinal) && TargetFigures.TryParse(figure[AlertRule.TargetVariancePrefix.Length..], out _)));

    /// <summary>Whether a figure is money (shown with its currency's digits) rather than a ratio, share or count of days.</summary>
    public static bool IsMoney(string figure) => FigureColumns.All.Any(c => c.Name == figure);

    /// <summary>The month's figures of a closed version's snapshot, with its targets, as rules see them.</summary>
    public static IMonthFigures Of(Period period, Snapshot snapshot) => new MonthFigures(period, snapshot);

    private sealed class MonthFigures(Period period, Snapshot snapshot) : IMonthFigures
    {
        public Period Period => period;

        public IReadOnlyList<string> Currencies { get; } = [.. snapshot.Totals.Select(t => t.Currency.Code)];

        public decimal? Value(string figure, string currency, out string? whyNotAvailable)
        {
            whyNotAvailable = null;
            CurrencyTotals totals;
            if (currency == AlertRule.Consolidated)
            {
                if (snapshot.Consolidated is not { } consolidated)
                {
                    whyNotAvailable = "no reporting currency is set, so there are no consolidated figures";
                    return null;
                }

                if (consolidated.View is not { } view)
                {
                    whyNotAvailable = $"the consolidated figures lack {consolidated.MissingRates.Count} rate(s), the first the {consolidated.MissingRates[0].Kind.ToString().ToLowerInvariant()} rate of {consolidated.MissingRates[0].Currency} on {consolidated.MissingRates[0].Date:yyyy-MM-dd}";
                    return null;
                }

                totals = view.Totals;
            }
            else if (snapshot.Totals.FirstOrDefault(t => t.Currency.Code == currency) is { } found)
            {
                totals = found;
            }
            else
            {
                whyNotAvailable = $"there are no {currency} figures in {period}";
                return null;
            }

            if (figure.StartsWith(AlertRule.TargetVariancePrefix, StringComparison.Ordinal))
            {
                return TargetVariance(figure[AlertRule.TargetVariancePrefix.Length..], totals.Currency, currency == AlertRule.Consolidated, out whyNotAvailable);
            }

            if (Kpis.TryGetValue(figure, out var kpi))
            {
                var value = kpi(totals);
                if (value is null)
                {
                    whyNotAvailable = $"{figure} is n/a in {period} (its denominator is zero or negative)";
                }

                return value is { } v ? Math.Round(v, 6, MidpointRounding.AwayFromZero) : null;
            }

            if (FigureColumns.All.FirstOrDefault(c => c.Name == figure) is { } column)
            {
                return column.Value(totals.Figures);
            }

            whyNotAvailable = $"no figure is named {figure}";
            return null;
        }

        private decimal? TargetVariance(string name, Currency currency, bool consolidated, out string? whyNotAvailable)
        {
            whyNotAvailable = null;
            if (!TargetFigures.TryParse(name, out var figure))
            {
                whyNotAvailable = $"no target figure is named {name}";
                return null;
            }

            var target = snapshot.Targets.FirstOrDefault(t => t.Period == period.ToString() && t.Figure == figure && t.Currency == currency
                && (snapshot.Consolidated?.Currency == currency) == consolidated);
            if (target is null)
            {
                whyNotAvailable = $"there is no {period} target for {name} in {(consolidated ? "the consolidated figures" : currency.Code)}";
                return null;
            }

            if (target.VariancePct is null)
            {
                whyNotAvailable = target.Target == 0m ? "the target is 0, so its variance % is n/a" : "the actual is n/a";
            }

            return target.VariancePct;
        }
    }
}
