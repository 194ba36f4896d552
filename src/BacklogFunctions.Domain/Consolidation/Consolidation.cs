using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Domain.Consolidation;

/// <summary>A rate a consolidated view needs and does not have: which currency, which kind, for which day.</summary>
public sealed record MissingRate(Currency Currency, RateKind Kind, DateOnly Date);

/// <summary>The rates one currency was translated at.</summary>
/// <param name="Opening">The previous period's closing rate, which the opening balances are translated at.</param>
public sealed record UsedRate(Currency Currency, decimal Closing, DateOnly ClosingDate, decimal Average, decimal Opening);

/// <summary>
/// One period's figures in the reporting currency: the sum over currencies of their translated totals, and the
/// FX translation effect that makes each roll-forward tie (closing minus everything else).
/// </summary>
public sealed record ConsolidatedFigures(Currency Currency, Figures Figures, decimal FxEffectBacklog, decimal FxEffectNetContractPosition, IReadOnlyList<UsedRate> Rates);

/// <summary>A consolidated view, or — when a rate is missing — exactly which rates are missing (never 0, never 1).</summary>
public sealed record Consolidated(Currency Currency, ConsolidatedFigures? View, IReadOnlyList<MissingRate> MissingRates)
{
    public bool IsComplete => View is not null;
}

/// <summary>Translation into the reporting currency (consolidation.md, IAS 21 / ASC 830 practice).</summary>
public static class Consolidator
{
    /// <summary>
    /// The consolidated view of one month's per-currency totals: balances at the closing rate, opening balances
    /// at the previous month's closing rate, flows at the month's average rate, each translated figure rounded
    /// to the reporting currency's minor unit, then summed.
    /// </summary>
    public static Consolidated Of(IReadOnlyList<CurrencyTotals> totals, Period period, FxRates rates)
    {
        var reporting = rates.Reporting;
        var missing = new List<MissingRate>();
        var used = new List<UsedRate>(totals.Count);
        foreach (var total in totals.OrderBy(t => t.Currency.Code, StringComparer.Ordinal))
        {
            var c = total.Currency;
            var closing = rates.Closing(c, period.LastDay);
            var average = rates.Average(c, period);
            var opening = rates.Closing(c, period.Previous.LastDay);
            if (closing is null)
            {
                missing.Add(new MissingRate(c, RateKind.Closing, period.LastDay));
            }

            if (average is null)
            {
                missing.Add(new MissingRate(c, RateKind.Average, period.LastDay));
            }

            if (opening is null)
            {
                missing.Add(new MissingRate(c, RateKind.Closing, period.Previous.LastDay));
            }

            if (closing is { } cl && average is { } av && opening is { } op)
            {
                used.Add(new UsedRate(c, cl.Rate, cl.Date, av, op.Rate));
            }
        }

        if (missing.Count > 0)
        {
            return new Consolidated(reporting, null, missing);
        }

        var sum = new Figures();
        foreach (var (total, rate) in totals.OrderBy(t => t.Currency.Code, StringComparer.Ordinal).Zip(used))
        {
            sum.AddInPlace(Translate(total.Figures, rate, reporting));
        }

        return new Consolidated(reporting, new ConsolidatedFigures(reporting, sum, -sum.BacklogRollForwardDifference, -sum.NetContractPositionRollForwardDifference, used), []);
    }

    /// <summary>One currency's figures in the reporting currency, each rounded to its minor unit.</summary>
    public static Figures Translate(Figures figures, UsedRate rate, Currency reporting) => figures.Convert(
        balance: amount => reporting.Round(amount * rate.Closing),
        opening: amount => reporting.Round(amount * rate.Opening),
        flow: amount => reporting.Round(amount * rate.Average));
}
