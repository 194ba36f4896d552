using BacklogFunctions.Domain.Alerts;
using BacklogFunctions.Domain.Consolidation;
using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Recognition;
using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Sample;

/// <summary>
/// A plausible plan for the sample company (alerts.md, "Targets"): for every month of the sample and every currency
/// it has contracts in, a target for each target figure a little above or below what the company actually did —
/// between <see cref="MinDeviation"/> and <see cref="MaxDeviation"/> of the actual, up or down, drawn from the seed —
/// then the same for every complete quarter and fiscal year of the span (flows summed over its months, balances of its
/// last month, as the API combines closed months). Actuals come from the same engine the <c>snapshot</c> command uses,
/// with the default policies (daily proration, billed deferred revenue). With rates, the reporting currency's rows are
/// consolidated targets (every currency translated month by month as the close does); the reporting currency's own
/// contracts then have no target of their own, as a target file names each currency once. A figure whose actual is
/// negative (net bookings of a month with more cancellations than sales) gets no target, as a target is zero or more.
/// The same seed always gives the same targets.
/// </summary>
public static class SampleTargets
{
    /// <summary>The least a target differs from its actual, as a fraction of it.</summary>
    public const decimal MinDeviation = 0.03m;

    /// <summary>The most a target differs from its actual, as a fraction of it.</summary>
    public const decimal MaxDeviation = 0.12m;

    /// <summary>The targets of <paramref name="spec"/>: months in order, then quarters, then fiscal years; within each, currencies by code and figures in their order.</summary>
    /// <param name="events">The sample's events (<see cref="SampleGenerator.Generate"/> of the same spec).</param>
    /// <param name="rates">The rates for consolidated targets in their reporting currency; none: per-currency targets only.</param>
    /// <param name="fiscalYearStartMonth">First month of the fiscal year (1-12), which names and bounds quarters and years.</param>
    public static IReadOnlyList<Target> Generate(SampleSpec spec, IReadOnlyList<ContractEvent> events, FxRates? rates = null, int fiscalYearStartMonth = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(spec.Months, 1);
        var contracts = events
            .GroupBy(e => e.ContractId, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => ContractHistory.Create(g.Key, g))
            .ToList();
        var currencies = contracts
            .Select(c => c.Currency)
            .Append(rates?.Reporting)
            .OfType<Currency>()
            .DistinctBy(c => c.Code)
            .OrderBy(c => c.Code, StringComparer.Ordinal)
            .ToList();

        var calculator = new SnapshotCalculator(SnapshotOptions.Default);
        var months = new Dictionary<Period, Snapshot>();
        IReadOnlyDictionary<Currency, decimal>? opening = null;
        for (var i = 0; i < spec.Months; i++)
        {
            var month = spec.Start.AddMonths(i);
            var snapshot = calculator.ForPeriod(contracts, month, includeContracts: rates is not null);
            if (rates is not null)
            {
                // Each month opens at the closing rates the month before used, as a close keeps them.
                var consolidated = Consolidator.Of(snapshot, rates, opening);
                opening = consolidated.View?.Rates.ToDictionary(r => r.Currency, r => r.Closing);
                snapshot = snapshot with { Consolidated = consolidated };
            }

            months.Add(month, snapshot with { Contracts = [] });
        }

        var last = spec.Start.AddMonths(spec.Months - 1);
        var periods = months.Keys.Select(m => (Period: ReportingPeriod.Of(m), Snapshot: months[m])).ToList();
        foreach (var spans in new Func<Period, ReportingPeriod>[] { m => ReportingPeriod.QuarterOf(m, fiscalYearStartMonth), m => ReportingPeriod.FiscalYearOf(m, fiscalYearStartMonth) })
        {
            periods.AddRange(months.Keys
                .Select(spans)
                .DistinctBy(s => s.Name)
                .Where(s => s.First >= spec.Start && s.Last <= last)
                .Select(s => (Period: s, Snapshot: SnapshotSpan.Combine(s, [.. s.Months.Select(m => months[m])]))));
        }

        var random = new Random(unchecked((spec.Seed * 15_485_863) + 32_452_843));
        var targets = new List<Target>();
        foreach (var (period, snapshot) in periods)
        {
            foreach (var currency in currencies)
            {
                Figures? figures;
                if (rates is not null && currency == rates.Reporting)
                {
                    figures = snapshot.Consolidated?.View?.Totals.Figures;
                }
                else
                {
                    figures = snapshot.Totals.FirstOrDefault(t => t.Currency == currency)?.Figures ?? Figures.Zero;
                }

                foreach (var figure in TargetFigures.All)
                {
                    // Drawn for every row, used or not: a missing actual never shifts the plan of the rows after it.
                    var deviation = MinDeviation + (random.Next(0, 901) * (MaxDeviation - MinDeviation) / 900m);
                    var above = random.Next(2) == 0;
                    if (figures is null || TargetFigures.ValueOf(figure, figures) is not (>= 0m and var actual))
                    {
                        continue;
                    }

                    var amount = currency.Round(actual * (above ? 1m + deviation : 1m - deviation));
                    targets.Add(new Target(period.Name, currency, figure, amount));
                }
            }
        }

        return targets;
    }
}
