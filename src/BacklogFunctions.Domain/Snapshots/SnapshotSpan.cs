using BacklogFunctions.Domain.Money;

namespace BacklogFunctions.Domain.Snapshots;

/// <summary>
/// A quarter's or year's snapshot built from the snapshots of its months (forward.md, "Quarters and years"): balances
/// as of the last month's end, opening balances of the first month, flows summed over all months. What is stored of
/// closed months is enough: no event is replayed.
/// </summary>
public static class SnapshotSpan
{
    /// <summary>
    /// The snapshot of <paramref name="span"/> from one snapshot per month of it, in any order. The months' contracts
    /// are not combined (the result has none); everything else is.
    /// </summary>
    /// <exception cref="ArgumentException">A month of the span is missing, or a snapshot is not one of its months.</exception>
    public static Snapshot Combine(ReportingPeriod span, IReadOnlyCollection<Snapshot> months)
    {
        var byMonth = months.ToDictionary(m => m.Period ?? throw new ArgumentException("every snapshot of a span must be a month's", nameof(months)));
        var ordered = span.Months.Select(p => byMonth.TryGetValue(p, out var s) ? s : throw new ArgumentException($"{span} has no snapshot of {p}", nameof(months))).ToList();
        if (byMonth.Count != ordered.Count)
        {
            throw new ArgumentException($"a snapshot is not a month of {span}", nameof(months));
        }

        var last = ordered[^1];
        var currencies = ordered.SelectMany(m => m.Totals).Select(t => t.Currency).DistinctBy(c => c.Code).OrderBy(c => c.Code, StringComparer.Ordinal);
        return last with
        {
            OpeningDate = ordered[0].OpeningDate,
            Period = span.Kind == ReportingPeriodKind.Month ? span.Last : null,
            Span = span,
            Totals = [.. currencies.Select(c => Totals(c, [.. ordered.Select(m => m.Totals.FirstOrDefault(t => t.Currency == c))]))],
            Contracts = [],
            Consolidated = Consolidated(ordered),
        };
    }

    /// <summary>
    /// The group figures of the span from its months' (consolidation.md, "A quarter or year"): flows are the sums of
    /// the months' translated flows, each month at its own average rate; balances are the last month's, at its
    /// closing rates; the opening is the first month's. Absent when a month was closed without a reporting currency
    /// (or with another one); missing, with every month's missing rates, when a month's view is missing.
    /// </summary>
    private static Consolidation.Consolidated? Consolidated(List<Snapshot> months)
    {
        var consolidated = months.Select(m => m.Consolidated).ToList();
        if (consolidated[^1]?.Currency is not { } reporting || consolidated.Any(c => c is null || c.Currency != reporting))
        {
            return null;
        }

        if (consolidated.Any(c => c!.View is null))
        {
            return new Consolidation.Consolidated(reporting, null, [.. consolidated.SelectMany(c => c!.MissingRates).Distinct()]);
        }

        var views = consolidated.Select(c => c!.View!).ToList();
        var currencies = views.SelectMany(v => v.ByCurrency).Select(t => t.Currency).DistinctBy(c => c.Code).OrderBy(c => c.Code, StringComparer.Ordinal);
        return new Consolidation.Consolidated(reporting, views[^1] with
        {
            Totals = Totals(reporting, [.. views.Select(v => v.Totals)]),
            ByCurrency = [.. currencies.Select(c => new Consolidation.TranslatedTotals(c, Combine([.. views.Select(v => v.ByCurrency.FirstOrDefault(t => t.Currency == c)?.Figures ?? Figures.Zero)])))],
            ConstantCurrency = views.All(v => v.ConstantCurrency is not null) ? Combine([.. views.Select(v => v.ConstantCurrency!)]) : null,
            ConstantCurrencyMissing = [.. views.SelectMany(v => v.ConstantCurrencyMissing).Distinct()],
        }, []);
    }

    /// <summary>Balances of the last month, openings of the first, flows of all (forward.md, "Quarters and years").</summary>
    public static Figures Combine(IReadOnlyList<Figures> months)
    {
        var first = months[0];
        var flows = Figures.Zero;
        foreach (var month in months)
        {
            flows += month;
        }

        return months[^1] with
        {
            OpeningBacklog = first.OpeningBacklog,
            OpeningNetContractPosition = first.OpeningNetContractPosition,
            BacklogPriorPeriodAdjustment = flows.BacklogPriorPeriodAdjustment,
            NetContractPositionPriorPeriodAdjustment = flows.NetContractPositionPriorPeriodAdjustment,
            Bookings = flows.Bookings,
            Expansions = flows.Expansions,
            Contractions = flows.Contractions,
            Cancellations = flows.Cancellations,
            UsageBeyondCommitments = flows.UsageBeyondCommitments,
            Revenue = flows.Revenue,
            Billings = flows.Billings,
            Collections = flows.Collections,
            ContractPositionInflow = flows.ContractPositionInflow,
            CompletionRevenue = flows.CompletionRevenue,
            CompletionRevenueDays = flows.CompletionRevenueDays,
        };
    }

    private static CurrencyTotals Totals(Currency currency, List<CurrencyTotals?> totals)
    {
        var last = totals[^1];
        var segments = totals
            .SelectMany((t, i) => (t?.Segments ?? []).Select(s => (Month: i, Segment: s)))
            .GroupBy(s => (s.Segment.Dimension, s.Segment.Value))
            .Select(g =>
            {
                var figures = new Figures[totals.Count];
                Array.Fill(figures, Figures.Zero);
                foreach (var (month, segment) in g)
                {
                    figures[month] = segment.Figures;
                }

                var inLast = g.FirstOrDefault(s => s.Month == totals.Count - 1).Segment;
                return new SegmentFigures(g.Key.Dimension, g.Key.Value, inLast?.Contracts ?? 0, Combine(figures), g.Any(s => s.Segment.IncludesBilling));
            })
            .OrderBy(s => s.Dimension, StringComparer.Ordinal)
            .ThenByDescending(s => s.Figures.Backlog)
            .ThenBy(s => s.Value, StringComparer.Ordinal)
            .ToList();

        return new CurrencyTotals
        {
            Currency = currency,
            Contracts = last?.Contracts ?? 0,
            Figures = Combine([.. totals.Select(t => t?.Figures ?? Figures.Zero)]),
            BacklogAging = last?.BacklogAging ?? AgeBuckets.All.ToDictionary(b => b, _ => 0m),
            Concentration = last?.Concentration ?? new Concentration(0, null, null, null, []),
            Segments = segments,
            Grr = last?.Grr,
            Nrr = last?.Nrr,
        };
    }
}
