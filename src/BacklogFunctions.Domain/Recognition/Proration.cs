namespace BacklogFunctions.Domain.Recognition;

/// <summary>How a ratable amount is spread over its service period.</summary>
public enum ProrationPolicy
{
    /// <summary>Equal amounts per day (the default).</summary>
    Daily,

    /// <summary>Equal amounts per calendar month the service touches, however many days it covers.</summary>
    Monthly,

    /// <summary>Equal amounts per full month; a partial first or last month earns its share of the month's days.</summary>
    MonthlyProrated,
}

/// <summary>
/// The elapsed share of a service period as an exact fraction of whole numbers, so that
/// <c>amount × elapsed ÷ length</c> is computed in decimal without binary floating point.
/// Within a month, every policy earns evenly by day (so a mid-month as-of date is meaningful).
/// </summary>
internal static class Proration
{
    public static (long Numerator, long Denominator) Elapsed(ProrationPolicy policy, DateOnly from, DateOnly to, DateOnly through)
    {
        if (through < from)
        {
            return (0, 1);
        }

        if (through >= to)
        {
            return (1, 1);
        }

        if (policy == ProrationPolicy.Daily)
        {
            return (through.DayNumber - from.DayNumber + 1, to.DayNumber - from.DayNumber + 1);
        }

        // Month weights: monthly → each touched month is worth 1, its days earn 1/serviceDays each;
        // monthly-prorated → each month is worth serviceDays/daysInMonth, its days earn 1/daysInMonth each.
        var firstMonth = MonthIndex(from);
        var lastMonth = MonthIndex(to);
        var currentMonth = MonthIndex(through);

        var firstDen = Denominator(policy, from, to, firstMonth);
        var lastDen = Denominator(policy, from, to, lastMonth);
        var currentDen = Denominator(policy, from, to, currentMonth);
        var common = Lcm(Lcm(firstDen, lastDen), currentDen);

        long Weight(int month) => ServiceDays(from, to, month) * (common / Denominator(policy, from, to, month));

        // Total: first + middle + last.
        long total;
        if (firstMonth == lastMonth)
        {
            total = Weight(firstMonth);
        }
        else
        {
            var middle = lastMonth - firstMonth - 1;
            total = Weight(firstMonth) + (middle * common) + Weight(lastMonth);
        }

        // Elapsed: complete months before the current one, then the current month's elapsed days.
        long elapsed = 0;
        if (currentMonth > firstMonth)
        {
            elapsed += Weight(firstMonth);
            elapsed += (currentMonth - firstMonth - 1) * common;
        }

        var monthStart = currentMonth == firstMonth ? from : FirstDayOf(currentMonth);
        var elapsedDays = through.DayNumber - monthStart.DayNumber + 1;
        elapsed += elapsedDays * (common / currentDen);
        return (elapsed, total);
    }

    /// <summary>The length of <c>from..to</c> in the units <see cref="Elapsed"/> counts from its first day (days under daily).</summary>
    public static long Length(ProrationPolicy policy, DateOnly from, DateOnly to) =>
        from >= to ? 1 : Elapsed(policy, from, to, from).Denominator;

    private static long Denominator(ProrationPolicy policy, DateOnly from, DateOnly to, int month) =>
        policy == ProrationPolicy.Monthly ? ServiceDays(from, to, month) : DaysIn(month);

    private static long ServiceDays(DateOnly from, DateOnly to, int month)
    {
        var first = FirstDayOf(month);
        var last = first.AddDays(DaysIn(month) - 1);
        var start = from > first ? from : first;
        var end = to < last ? to : last;
        return end.DayNumber - start.DayNumber + 1;
    }

    private static int MonthIndex(DateOnly date) => (date.Year * 12) + date.Month - 1;

    private static DateOnly FirstDayOf(int monthIndex) => new(monthIndex / 12, (monthIndex % 12) + 1, 1);

    private static int DaysIn(int monthIndex) => DateTime.DaysInMonth(monthIndex / 12, (monthIndex % 12) + 1);

    private static long Lcm(long a, long b) => a / Gcd(a, b) * b;

    private static long Gcd(long a, long b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
