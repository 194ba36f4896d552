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
    public void StopAfter(DateOnly lastDay, IReadOnlyList<Usage> usages) => StopAfter(lastDay, Ledger(usages));

    /// <inheritdoc cref="StopAfter(DateOnly, IReadOnlyList{Usage})"/>
    public void StopAfter(DateOnly lastDay, UsageLedger ledger)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        for (var i = _periods.Count - 1; i >= 0; i--)
        {
            var period = _periods[i];
            if (period.First > lastDay)
            {
                _periods.RemoveAt(i);
            }
            else if (period.Last > lastDay)
            {
                _periods[i] = new CommitmentPeriod(period.First, lastDay, Math.Min(period.Committed, ledger.EarnedBetween(period.First, lastDay)));
            }
        }
    }

    /// <summary>The usages in date order with what each earns (cumulative rounding per line), read by day from then on.</summary>
    public UsageLedger Ledger(IReadOnlyList<Usage> usages) => new(usages, UnitPrice, Currency);

    /// <summary>What each usage earns on its date, through <paramref name="day"/>: cumulative rounding per line, in date order.</summary>
    public IReadOnlyList<(DateOnly Date, decimal Amount)> EarnedByUsage(IReadOnlyList<Usage> usages, DateOnly day) => Ledger(usages).EarnedByUsage(day);

    /// <summary>Revenue earned through <paramref name="day"/>: every usage so far, and the shortfall of every commitment period ended by then.</summary>
    public decimal EarnedThrough(IReadOnlyList<Usage> usages, DateOnly day) => EarnedThrough(Ledger(usages), day);

    /// <inheritdoc cref="EarnedThrough(IReadOnlyList{Usage}, DateOnly)"/>
    public decimal EarnedThrough(UsageLedger ledger, DateOnly day)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var earned = ledger.EarnedThrough(day);
        foreach (var period in _periods)
        {
            if (period.Last > day)
            {
                break;
            }

            earned += Math.Max(0m, period.Committed - ledger.EarnedBetween(period.First, period.Last));
        }

        return earned;
    }

    /// <summary>
    /// Backlog at the end of <paramref name="day"/>: for each commitment period not ended, its commitment less the
    /// usage earned in it so far, floored at 0.
    /// </summary>
    public decimal BacklogAt(IReadOnlyList<Usage> usages, DateOnly day) => BacklogAt(Ledger(usages), day);

    /// <inheritdoc cref="BacklogAt(IReadOnlyList{Usage}, DateOnly)"/>
    public decimal BacklogAt(UsageLedger ledger, DateOnly day)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var backlog = 0m;
        foreach (var period in _periods)
        {
            if (period.Last > day)
            {
                backlog += Math.Max(0m, period.Committed - UsedBy(ledger, period, day));
            }
        }

        return backlog;
    }

    /// <summary>
    /// Revenue earned through <paramref name="day"/> that never was backlog: usage above each period's commitment,
    /// and usage outside every commitment period (all of it on a line without a commitment).
    /// </summary>
    public decimal BeyondCommitmentsThrough(IReadOnlyList<Usage> usages, DateOnly day) => BeyondCommitmentsThrough(Ledger(usages), day);

    /// <inheritdoc cref="BeyondCommitmentsThrough(IReadOnlyList{Usage}, DateOnly)"/>
    public decimal BeyondCommitmentsThrough(UsageLedger ledger, DateOnly day)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var inPeriods = 0m;
        var beyond = 0m;
        foreach (var period in _periods)
        {
            if (period.First > day)
            {
                break;
            }

            var used = UsedBy(ledger, period, day);
            inPeriods += used;
            beyond += Math.Max(0m, used - period.Committed);
        }

        return beyond + (ledger.EarnedThrough(day) - inPeriods);
    }

    /// <summary>
    /// When the backlog at the end of <paramref name="asOf"/> is expected to be earned, through <paramref name="day"/>:
    /// each open period's unconsumed commitment evenly by day over its days after <paramref name="asOf"/>, the
    /// rest on the period's last day (a shortfall is earned then at the latest).
    /// </summary>
    public decimal ExpectedThrough(IReadOnlyList<Usage> usages, DateOnly asOf, DateOnly day) => ExpectedThrough(Ledger(usages), asOf, day);

    /// <inheritdoc cref="ExpectedThrough(IReadOnlyList{Usage}, DateOnly, DateOnly)"/>
    public decimal ExpectedThrough(UsageLedger ledger, DateOnly asOf, DateOnly day)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var expected = 0m;
        foreach (var period in _periods)
        {
            if (period.Last <= asOf)
            {
                continue;
            }

            var from = period.First > asOf ? period.First : asOf.AddDays(1);
            if (day < from)
            {
                break;
            }

            var open = Math.Max(0m, period.Committed - UsedBy(ledger, period, asOf));
            if (day >= period.Last)
            {
                expected += open;
            }
            else
            {
                var days = period.Last.DayNumber - from.DayNumber + 1;
                expected += Currency.Round(open * (day.DayNumber - from.DayNumber + 1) / days);
            }
        }

        return expected;
    }

    /// <summary>
    /// What the line earned through <paramref name="day"/> in the rule's terms: the quantity used, its amount, the
    /// shortfalls of the periods ended and each commitment period as it stands (explained figures).
    /// </summary>
    public Explain.UsageEarning Explain(UsageLedger ledger, DateOnly day)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var periods = new List<Explain.CommitmentEarning>(_periods.Count);
        var shortfalls = 0m;
        foreach (var period in _periods)
        {
            var used = UsedBy(ledger, period, day);
            var ended = period.Last <= day;
            var shortfall = ended ? Math.Max(0m, period.Committed - used) : 0m;
            shortfalls += shortfall;
            periods.Add(new Explain.CommitmentEarning(period.First, period.Last, period.Committed, used, shortfall, Math.Max(0m, used - period.Committed), ended));
        }

        var quantity = ledger.QuantityThrough(day);
        return new Explain.UsageEarning(quantity, UnitPrice, quantity * UnitPrice, ledger.EarnedThrough(day), shortfalls, BeyondCommitmentsThrough(ledger, day), periods);
    }

    /// <summary>What the usages through <paramref name="day"/> earned inside <paramref name="period"/>.</summary>
    private static decimal UsedBy(UsageLedger ledger, CommitmentPeriod period, DateOnly day) =>
        period.First > day ? 0m : ledger.EarnedBetween(period.First, period.Last < day ? period.Last : day);
}

/// <summary>
/// A usage line's usages in date order (the order reported within a day) with the cumulative amount earned through
/// each: round(Σ quantity so far × unit price). What the usages dated in any range earned is a difference of two
/// cumulative amounts, so a position reads its line's money on many days without going over the usages again.
/// </summary>
public sealed class UsageLedger
{
    private readonly DateOnly[] _dates;
    private readonly decimal[] _quantities;
    private readonly decimal[] _cumulative;

    public UsageLedger(IReadOnlyList<Usage> usages, decimal unitPrice, Currency currency)
    {
        ArgumentNullException.ThrowIfNull(usages);
        var ordered = new Usage[usages.Count];
        for (var i = 0; i < ordered.Length; i++)
        {
            ordered[i] = usages[i];
        }

        // A stable sort by date: usages of one day keep the order they were reported in.
        var sorted = true;
        for (var i = 1; i < ordered.Length && sorted; i++)
        {
            sorted = ordered[i - 1].Date <= ordered[i].Date;
        }

        if (!sorted)
        {
            ordered = [.. ordered.OrderBy(u => u.Date)];
        }

        _dates = new DateOnly[ordered.Length];
        _quantities = new decimal[ordered.Length];
        _cumulative = new decimal[ordered.Length];
        var quantity = 0m;
        for (var i = 0; i < ordered.Length; i++)
        {
            quantity += ordered[i].Quantity;
            _dates[i] = ordered[i].Date;
            _quantities[i] = quantity;
            _cumulative[i] = currency.Round(quantity * unitPrice);
        }
    }

    /// <summary>The quantity used on or before <paramref name="day"/>.</summary>
    public decimal QuantityThrough(DateOnly day)
    {
        var last = LastOnOrBefore(day);
        return last < 0 ? 0m : _quantities[last];
    }

    /// <summary>What the usages dated on or before <paramref name="day"/> earned.</summary>
    public decimal EarnedThrough(DateOnly day)
    {
        var last = LastOnOrBefore(day);
        return last < 0 ? 0m : _cumulative[last];
    }

    /// <summary>What the usages dated <paramref name="first"/>..<paramref name="last"/> (both inclusive) earned.</summary>
    public decimal EarnedBetween(DateOnly first, DateOnly last)
    {
        if (last < first)
        {
            return 0m;
        }

        var through = LastOnOrBefore(last);
        var before = LastBefore(first);
        return (through < 0 ? 0m : _cumulative[through]) - (before < 0 ? 0m : _cumulative[before]);
    }

    /// <summary>What each usage through <paramref name="day"/> earns on its date, in date order.</summary>
    public IReadOnlyList<(DateOnly Date, decimal Amount)> EarnedByUsage(DateOnly day)
    {
        var count = LastOnOrBefore(day) + 1;
        var result = new (DateOnly, decimal)[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = (_dates[i], _cumulative[i] - (i == 0 ? 0m : _cumulative[i - 1]));
        }

        return result;
    }

    /// <summary>The index of the last usage dated on or before <paramref name="day"/>; −1 when there is none.</summary>
    private int LastOnOrBefore(DateOnly day)
    {
        // The first index dated after the day, less one.
        int lo = 0, hi = _dates.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_dates[mid] <= day)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo - 1;
    }

    /// <summary>The index of the last usage dated before <paramref name="day"/>; −1 when there is none.</summary>
    private int LastBefore(DateOnly day)
    {
        int lo = 0, hi = _dates.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_dates[mid] < day)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo - 1;
    }
}
