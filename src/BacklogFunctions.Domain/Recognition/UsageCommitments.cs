using BacklogFunctions.Domain.Money;

namespace BacklogFunctions.Domain.Recognition;

/// <summary>How a usage line's take-or-pay minimum repeats (recognition.md, "Usage lines").</summary>
public enum CommitmentPer
{
    /// <summary>Each month counted from the service start.</summary>
    Month,

    /// <summary>Each twelve months counted from the service start.</summary>
    Year,

    /// <summary>Once, over the whole service period.</summary>
    Term,
}

/// <summary>A take-or-pay minimum: <see cref="Amount"/> for each commitment period.</summary>
public sealed record Commitment(decimal Amount, CommitmentPer Per);

/// <summary>One reported usage: a quantity consumed on a day.</summary>
public readonly record struct Usage(DateOnly Date, decimal Quantity);

/// <summary>
/// One commitment period of a usage line: its days and what is committed for it. A period cut short by a
/// cancellation keeps only what was consumed in it (nothing more is owed, nothing is left in backlog).
/// </summary>
public readonly record struct CommitmentPeriod(DateOnly First, DateOnly Last, decimal Committed);

/// <summary>
/// The money of a usage line as of any day (recognition.md, "Usage lines"), from its unit price, service period,
/// optional commitment and the usages reported so far:
/// <list type="bullet">
/// <item>each usage is earned on its date, with cumulative rounding per line: round(Σ quantity so far × unit
/// price) − the same before it;</item>
/// <item>at the end of a commitment period, the shortfall (commitment − usage earned in the period, if positive) is
/// earned on its last day;</item>
/// <item>TCV is the sum of the commitments; backlog is what of the commitments of periods not ended is not
/// consumed yet; usage beyond a commitment (or without one) is revenue when used and never backlog.</item>
/// </list>
/// Commitment periods are counted from the service start by adding whole months to it (not month after month),
/// so a line starting on the 31st keeps its day where months have it; the last period ends with the service period
/// and carries the full commitment. A usage dated outside the service period is earned on its date and counts as
/// usage beyond commitments.
/// </summary>
public sealed class UsageCommitments
{
    private readonly List<CommitmentPeriod> _periods;

    public UsageCommitments(decimal unitPrice, DateOnly serviceStart, DateOnly serviceEnd, Commitment? commitment, Currency currency)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(unitPrice);
        if (serviceEnd < serviceStart)
        {
            throw new ArgumentException("the service ends before it starts", nameof(serviceEnd));
        }

        UnitPrice = unitPrice;
        ServiceStart = serviceStart;
        ServiceEnd = serviceEnd;
        Commitment = commitment;
        Currency = currency;
        _periods = commitment is null ? [] : PeriodsOf(serviceStart, serviceEnd, commitment);
    }

    public decimal UnitPrice { get; }

    public DateOnly ServiceStart { get; }

    public DateOnly ServiceEnd { get; }

    public Commitment? Commitment { get; }

    public Currency Currency { get; }

    /// <summary>The commitment periods in order; none without a commitment.</summary>
    public IReadOnlyList<CommitmentPeriod> Periods => _periods;

    /// <summary>The committed total: Σ of the periods' commitments (0 without a commitment).</summary>
    public decimal Tcv => _periods.Sum(p => p.Committed);

    /// <summary>The commitment periods of a service period: months or years counted from its start, or the whole term.</summary>
    public static List<CommitmentPeriod> PeriodsOf(DateOnly serviceStart, DateOnly serviceEnd, Commitment commitment)
    {
        if (commitment.Per == CommitmentPer.Term)
        {
            return [new CommitmentPeriod(serviceStart, serviceEnd, commitment.Amount)];
        }

        var months = commitment.Per == CommitmentPer.Month ? 1 : 12;
        var periods = new List<CommitmentPeriod>();
        for (var k = 0; ; k++)
        {
            var first = serviceStart.AddMonths(k * months);
            if (first > serviceEnd)
            {
                return periods;
            }

            var last = serviceStart.AddMonths((k + 1) * months).AddDays(-1);
            periods.Add(new CommitmentPeriod(first, last < serviceEnd ? last : serviceEnd, commitment.Amount));
        }
    }

    /// <summary>
    /// The line stops after <paramref name="lastDay"/> (a cancellation): later periods are dropped, and the period
    /// that contains it ends there, committed at what <paramref name="usages"/> earned in it by then — its
    /// unconsumed commitment leaves backlog (as a cancellation) and is never earned as a shortfall.
    /// </summary>
    public void StopAfter(DateOnly lastDay, IReadOnlyList<Usage> usages)
    {
        var earned = EarnedByUsage(usages, lastDay);
        for (var i = _periods.Count - 1; i >= 0; i--)
        {
            var period = _periods[i];
            if (period.First > lastDay)
            {
                _periods.RemoveAt(i);
            }
            else if (period.Last > lastDay)
            {
                var used = earned.Where(e => e.Date >= period.First && e.Date <= lastDay).Sum(e => e.Amount);
                _periods[i] = new CommitmentPeriod(period.First, lastDay, Math.Min(period.Committed, used));
            }
        }
    }

    /// <summary>What each usage earns on its date, through <paramref name="day"/>: cumulative rounding per line, in date order.</summary>
    public IReadOnlyList<(DateOnly Date, decimal Amount)> EarnedByUsage(IReadOnlyList<Usage> usages, DateOnly day)
    {
        var result = new List<(DateOnly, decimal)>();
        var quantity = 0m;
        var earned = 0m;
        foreach (var usage in usages.Where(u => u.Date <= day).OrderBy(u => u.Date))
        {
            quantity += usage.Quantity;
            var total = Currency.Round(quantity * UnitPrice);
            result.Add((usage.Date, total - earned));
            earned = total;
        }

        return result;
    }

    /// <summary>Revenue earned through <paramref name="day"/>: every usage so far, and the shortfall of every commitment period ended by then.</summary>
    public decimal EarnedThrough(IReadOnlyList<Usage> usages, DateOnly day)
    {
        var earned = EarnedByUsage(usages, day);
        return earned.Sum(e => e.Amount) + _periods.Where(p => p.Last <= day).Sum(p => Math.Max(0m, p.Committed - UsedIn(p, earned)));
    }

    /// <summary>
    /// Backlog at the end of <paramref name="day"/>: for each commitment period not ended, its commitment less the
    /// usage earned in it so far, floored at 0.
    /// </summary>
    public decimal BacklogAt(IReadOnlyList<Usage> usages, DateOnly day)
    {
        var earned = EarnedByUsage(usages, day);
        return _periods.Where(p => p.Last > day).Sum(p => Math.Max(0m, p.Committed - UsedIn(p, earned)));
    }

    /// <summary>
    /// Revenue earned through <paramref name="day"/> that never was backlog: usage above each period's commitment,
    /// and usage outside every commitment period (all of it on a line without a commitment).
    /// </summary>
    public decimal BeyondCommitmentsThrough(IReadOnlyList<Usage> usages, DateOnly day)
    {
        var earned = EarnedByUsage(usages, day);
        var inPeriods = 0m;
        var beyond = 0m;
        foreach (var period in _periods)
        {
            var used = UsedIn(period, earned);
            inPeriods += used;
            beyond += Math.Max(0m, used - period.Committed);
        }

        return beyond + (earned.Sum(e => e.Amount) - inPeriods);
    }

    /// <summary>
    /// When the backlog at the end of <paramref name="asOf"/> is expected to be earned, through <paramref name="day"/>:
    /// each open period's unconsumed commitment evenly by day over its days after <paramref name="asOf"/>, the
    /// rest on the period's last day (a shortfall is earned then at the latest).
    /// </summary>
    public decimal ExpectedThrough(IReadOnlyList<Usage> usages, DateOnly asOf, DateOnly day)
    {
        var earned = EarnedByUsage(usages, asOf);
        var expected = 0m;
        foreach (var period in _periods.Where(p => p.Last > asOf))
        {
            var open = Math.Max(0m, period.Committed - UsedIn(period, earned));
            var from = period.First > asOf ? period.First : asOf.AddDays(1);
            if (day >= period.Last)
            {
                expected += open;
            }
            else if (day >= from)
            {
                var days = period.Last.DayNumber - from.DayNumber + 1;
                expected += Currency.Round(open * (day.DayNumber - from.DayNumber + 1) / days);
            }
        }

        return expected;
    }

    private static decimal UsedIn(CommitmentPeriod period, IReadOnlyList<(DateOnly Date, decimal Amount)> earned) =>
        earned.Where(e => e.Date >= period.First && e.Date <= period.Last).Sum(e => e.Amount);
}
