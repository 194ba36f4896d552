using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Money;

namespace BacklogFunctions.Domain.Forward;

/// <summary>One planned invoice of a line: when, and how much.</summary>
public readonly record struct Installment(DateOnly Date, decimal Amount);

/// <summary>
/// The installments a line's billing plan calls for (forward.md, "Billing plan installments"), from the line as it
/// stands. Deliveries and milestones are billed on completion when <c>on_delivery</c>; until then on their
/// expected date.
/// </summary>
public static class Installments
{
    /// <param name="line">The line in force.</param>
    /// <param name="signedDate">The contract's signing date (an <c>upfront</c> plan bills on it).</param>
    /// <param name="currency">The contract's currency: installments are rounded to its minor unit.</param>
    /// <param name="completedOn">The completion date of the line's delivery (milestone id null) or of one of its milestones, when completed.</param>
    public static IReadOnlyList<Installment> Of(ContractLine line, DateOnly signedDate, Currency currency, Func<string?, DateOnly?> completedOn)
    {
        if (line.Billing is not { } plan)
        {
            return [];
        }

        if (plan.Frequency is not { } frequency)
        {
            return [.. plan.Schedule.Select(i => new Installment(i.Date, i.Amount))];
        }

        return frequency switch
        {
            BillingFrequency.Upfront => [new Installment(signedDate, line.Amount)],
            BillingFrequency.OnDelivery when line.Recognition == RecognitionPattern.Milestone =>
                [.. line.Milestones.Select(m => new Installment(completedOn(m.MilestoneId) ?? m.ExpectedDate, m.Amount))],
            BillingFrequency.OnDelivery => [new Installment(completedOn(null) ?? line.ExpectedDate ?? line.ExpectedCompletion ?? signedDate, line.Amount)],
            _ => Periodic(line, MonthsOf(frequency), plan.Timing, currency),
        };
    }

    /// <summary>The billing periods of a ratable line every <paramref name="months"/> months, counted from its service start.</summary>
    public static IReadOnlyList<(DateOnly Start, DateOnly End)> Periods(DateOnly serviceStart, DateOnly serviceEnd, int months)
    {
        var periods = new List<(DateOnly, DateOnly)>();
        for (var j = 0; ; j++)
        {
            // Always from the service start, so a month end stays a month end: Jan 31, Apr 30, Jul 31.
            var start = serviceStart.AddMonths(j * months);
            if (start > serviceEnd)
            {
                break;
            }

            var next = serviceStart.AddMonths((j + 1) * months);
            periods.Add((start, next > serviceEnd ? serviceEnd : next.AddDays(-1)));
        }

        return periods;
    }

    private static List<Installment> Periodic(ContractLine line, int months, BillingTiming timing, Currency currency)
    {
        var periods = Periods(line.ServiceStart!.Value, line.ServiceEnd!.Value, months);
        var n = periods.Count;
        var result = new List<Installment>(n);
        var before = 0m;
        for (var i = 1; i <= n; i++)
        {
            // Cumulative rounding: the installments add up to the amount exactly.
            var through = currency.Round(line.Amount * i / n);
            var (start, end) = periods[i - 1];
            result.Add(new Installment(timing == BillingTiming.Arrears ? end : start, through - before));
            before = through;
        }

        return result;
    }

    private static int MonthsOf(BillingFrequency frequency) => frequency switch
    {
        BillingFrequency.Monthly => 1,
        BillingFrequency.Quarterly => 3,
        BillingFrequency.Semiannual => 6,
        BillingFrequency.Annual => 12,
        _ => throw new ArgumentOutOfRangeException(nameof(frequency), frequency, "not a periodic frequency"),
    };
}
