using System.Globalization;

namespace BacklogFunctions.Domain.Money;

/// <summary>A calendar month of the reporting calendar, such as 2026-10. Its snapshot is as of its last day.</summary>
/// <remarks>A month outside 1-12 or a year outside the calendar's (1-9999) cannot be made.</remarks>
public readonly record struct Period : IComparable<Period>
{
    /// <exception cref="ArgumentOutOfRangeException">The month is not 1-12, or the year not 1-9999.</exception>
    public Period(int year, int month)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(year, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(year, 9999);
        ArgumentOutOfRangeException.ThrowIfLessThan(month, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(month, 12);
        Year = year;
        Month = month;
    }

    public int Year { get; }

    public int Month { get; }

    public void Deconstruct(out int year, out int month) => (year, month) = (Year, Month);

    public DateOnly FirstDay => new(Year, Month, 1);

    public DateOnly LastDay => new(Year, Month, DateTime.DaysInMonth(Year, Month));

    public static Period Of(DateOnly date) => new(date.Year, date.Month);

    public Period AddMonths(int months)
    {
        var index = (Year * 12) + (Month - 1) + months;
        return new Period(index / 12, (index % 12) + 1);
    }

    public Period Previous => AddMonths(-1);

    public Period Next => AddMonths(1);

    /// <summary>Whole months from <paramref name="other"/> to this period.</summary>
    public int MonthsSince(Period other) => ((Year - other.Year) * 12) + Month - other.Month;

    public static bool TryParse(string? text, out Period period)
    {
        period = default;
        // Digits only: the number parsers would also take a trailing NUL or a sign.
        if (text is null || text.Length != 7 || text[4] != '-' || !char.IsAsciiDigit(text[0]) || !char.IsAsciiDigit(text[1]) ||
            !char.IsAsciiDigit(text[2]) || !char.IsAsciiDigit(text[3]) || !char.IsAsciiDigit(text[5]) || !char.IsAsciiDigit(text[6]) ||
            !int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year) ||
            !int.TryParse(text.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var month) ||
            year < 2000 || year > 2099 || month < 1 || month > 12)
        {
            return false;
        }

        period = new Period(year, month);
        return true;
    }

    public static Period Parse(string text) =>
        TryParse(text, out var period) ? period : throw new FormatException($"'{text}' is not a period (yyyy-MM).");

    public int CompareTo(Period other) => (Year, Month).CompareTo((other.Year, other.Month));

    public static bool operator <(Period left, Period right) => left.CompareTo(right) < 0;

    public static bool operator >(Period left, Period right) => left.CompareTo(right) > 0;

    public static bool operator <=(Period left, Period right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Period left, Period right) => left.CompareTo(right) >= 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Year:0000}-{Month:00}");
}

public static class DateOnlyExtensions
{
    public static bool IsLastDayOfMonth(this DateOnly date) => date.Day == DateTime.DaysInMonth(date.Year, date.Month);

    /// <summary>
    /// The day <paramref name="months"/> months later; month ends stay month ends (Jan 31 + 1 = Feb 28, Apr 30 + 1 = May 31).
    /// </summary>
    public static DateOnly AddMonthsKeepingMonthEnd(this DateOnly date, int months) =>
        date.IsLastDayOfMonth() ? Period.Of(date).AddMonths(months).LastDay : date.AddMonths(months);
}
