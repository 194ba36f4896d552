using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Recognition;
using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Domain.Forward;

/// <summary>
/// The KPIs of a period (forward.md, "KPIs of a period") that need more than a ratio of figures: lead time and
/// retention (book-to-bill, conversion and cancellation rate are <see cref="Figures"/> properties). A ratio whose
/// denominator is zero or negative is null ("n/a"), never an error.
/// </summary>
public static class Kpis
{
    /// <summary>
    /// What one contract adds to the lead time of the span from <paramref name="first"/> to <paramref name="last"/>:
    /// for each delivery and milestone completed in it, the days from the signing to the completion weighted by the
    /// amount earned on completion.
    /// </summary>
    public static LeadTime LeadTimeOf(ContractHistory history, DateOnly first, DateOnly last, ProrationPolicy policy) =>
        history.Signing is not { } signing || signing.SignedDate > last ? default : LeadTimeOf(history.At(last, policy), first, last);

    /// <summary>The same from the contract's position known at the end of <paramref name="last"/>.</summary>
    public static LeadTime LeadTimeOf(ContractPosition position, DateOnly first, DateOnly last)
    {
        if (position.Completions.Count == 0 || position.History.Signing is not { } signing || signing.SignedDate > last)
        {
            return default;
        }

        var result = default(LeadTime);
        foreach (var ((lineId, milestoneId), day) in position.Completions)
        {
            if (day < first || day > last)
            {
                continue;
            }

            var earned = 0m;
            foreach (var o in position.Obligations)
            {
                if (o.LineId == lineId && o.MilestoneId == milestoneId && o.Pattern != RecognitionPattern.Ratable)
                {
                    earned += o.EarnedThrough(day, position.Currency, position.Policy) - o.EarnedThrough(day.AddDays(-1), position.Currency, position.Policy);
                }
            }

            result += new LeadTime((day.DayNumber - signing.SignedDate.DayNumber) * earned, earned);
        }

        return result;
    }

    /// <summary>
    /// Gross and net revenue retention over the twelve months ending <paramref name="asOf"/>, for the contracts of one
    /// currency: over the customers with ARR on the same day a year earlier, Σ min(ARR now, ARR then) ÷ Σ ARR then and
    /// Σ ARR now ÷ Σ ARR then.
    /// </summary>
    public static (decimal? Grr, decimal? Nrr) Retention(IEnumerable<ContractHistory> contracts, DateOnly asOf)
    {
        var then = asOf.AddMonthsKeepingMonthEnd(-12);
        var byCustomer = new Dictionary<string, (decimal Then, decimal Now)>(StringComparer.Ordinal);
        foreach (var history in contracts)
        {
            if (history.Signing is not { } signing)
            {
                continue;
            }

            var (a, b) = byCustomer.GetValueOrDefault(signing.Customer.Id);
            byCustomer[signing.Customer.Id] = (a + ArrAt(history, then), b + ArrAt(history, asOf));
        }

        return Retention(byCustomer.Values);
    }

    /// <summary>GRR and NRR, four decimals, from each customer's ARR a year earlier and now; customers without ARR then do not count.</summary>
    public static (decimal? Grr, decimal? Nrr) Retention(IEnumerable<(decimal Then, decimal Now)> customers)
    {
        var retained = customers.Where(c => c.Then > 0m).ToList();
        var before = retained.Sum(c => c.Then);
        return (Figures.Ratio(retained.Sum(c => Math.Min(c.Now, c.Then)), before), Figures.Ratio(retained.Sum(c => c.Now), before));
    }

    /// <summary>A contract's ARR on <paramref name="day"/>, as known that day.</summary>
    public static decimal ArrAt(ContractHistory history, DateOnly day) =>
        history.Signing is not { } signing || signing.SignedDate > day ? 0m : ArrOf(history.At(day, ProrationPolicy.Daily));

    /// <summary>A contract's ARR on the day its position is known (zero before signing and after its last service day).</summary>
    public static decimal ArrOf(ContractPosition position)
    {
        var day = position.KnownOn;
        return position.ArrOnKnownDay ??= position.History.Signing is not { } signing || signing.SignedDate > day || position.LastServiceDate < day
            ? 0m
            : ContractForward.ArrOf(position.LinesInForce(day), day, signing.Currency, position.History);
    }

}

/// <summary>Days from signing to completion, weighted by the amount earned on completion, and the weight.</summary>
public readonly record struct LeadTime(decimal WeightedDays, decimal Weight)
{
    /// <summary>The weighted mean in days with one decimal; null when nothing with a positive amount was completed.</summary>
    public decimal? Days => Weight > 0m ? Math.Round(WeightedDays / Weight, 1, MidpointRounding.AwayFromZero) : null;

    public static LeadTime operator +(LeadTime a, LeadTime b) => new(a.WeightedDays + b.WeightedDays, a.Weight + b.Weight);
}
