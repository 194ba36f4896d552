using System.Globalization;
using System.Text.RegularExpressions;

namespace BacklogFunctions.Domain.Money;

/// <summary>What kind of span a reporting period is.</summary>
public enum ReportingPeriodKind
{
    Month,
    Quarter,
    FiscalYear,
    FiscalQuarter,
}

/// <summary>
/// A span of whole months to report on (forward.md, "Quarters and years"): a month <c>2026-10</c>, a calendar
/// quarter <c>2026-Q4</c>, a fiscal year <c>FY2027</c> or a fiscal quarter <c>FY2027-Q1</c>. A fiscal year is
/// named after the calendar year it ends in (start month 7: FY2027 is July 2026 to June 2027), and its quarters
/// count from its start month.
/// </summary>
public sealed partial record ReportingPeriod
{
    private ReportingPeriod(string name, ReportingPeriodKind kind, Period first, Period last)
    {
        Name = name;
        Kind = kind;
        First = first;
        Last = last;
    }

    /// <summary>As written: <c>2026-10</c>, <c>2026-Q4</c>, <c>FY2027</c>, <c>FY2027-Q1</c>.</summary>
    public string Name { get; }

    public ReportingPeriodKind Kind { get; }

    /// <summary>The first month of the span.</summary>
    public Period First { get; }

    /// <summary>The last month of the span: balances are as of its last day.</summary>
    public Period Last { get; }

    public DateOnly FirstDay => First.FirstDay;

    public DateOnly LastDay => Last.LastDay;

    /// <summary>The day before the span starts: the opening balances.</summary>
    public DateOnly OpeningDay => First.Previous.LastDay;

    public IEnumerable<Period> Months => Enumerable.Range(0, Last.MonthsSince(First) + 1).Select(First.AddMonths);

    public static ReportingPeriod Of(Period month) => new(month.ToString(), ReportingPeriodKind.Month, month, month);

    /// <param name="text">The period's name.</param>
    /// <param name="fiscalYearStartMonth">The first month of a fiscal year, 1-12.</param>
    /// <param name="period">The span, when the name is valid.</param>
    public static bool TryParse(string? text, int fiscalYearStartMonth, out ReportingPeriod? period)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fiscalYearStartMonth, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fiscalYearStartMonth, 12);
        period = null;
        if (Period.TryParse(text, out var month))
        {
            period = Of(month);
            return true;
        }

        var match = text is null ? null : Pattern().Match(text);
        if (match is not { Success: true })
        {
            return false;
        }

        var year = int.Parse(match.Groups["year"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);
        var quarter = match.Groups["quarter"].Success ? match.Groups["quarter"].ValueSpan[0] - '0' : 0;
        if (year is < 2000 or > 2099)
        {
            return false;
        }

        if (!match.Groups["fiscal"].Success)
        {
            var first = new Period(year, ((quarter - 1) * 3) + 1);
            period = new ReportingPeriod(text!, ReportingPeriodKind.Quarter, first, first.AddMonths(2));
            return true;
        }

        // FY2027 ends in 2027: with a January start it is the calendar year, otherwise it starts the year before.
        var start = new Period(fiscalYearStartMonth == 1 ? year : year - 1, fiscalYearStartMonth);
        period = quarter == 0
            ? new ReportingPeriod(text!, ReportingPeriodKind.FiscalYear, start, start.AddMonths(11))
            : new ReportingPeriod(text!, ReportingPeriodKind.FiscalQuarter, start.AddMonths((quarter - 1) * 3), start.AddMonths(((quarter - 1) * 3) + 2));
        return true;
    }

    /// <exception cref="FormatException">The name is not a month, quarter, fiscal year or fiscal quarter.</exception>
    public static ReportingPeriod Parse(string text, int fiscalYearStartMonth = 1) =>
        TryParse(text, fiscalYearStartMonth, out var period)
            ? period!
            : throw new FormatException($"'{text}' is not a period: a month (2026-10), a quarter (2026-Q4), a fiscal year (FY2027) or a fiscal quarter (FY2027-Q1).");

    /// <summary>
    /// The quarter <paramref name="month"/> falls in: a calendar quarter (<c>2026-Q4</c>) when fiscal years start
    /// in January, otherwise a fiscal quarter (<c>FY2027-Q2</c>).
    /// </summary>
    public static ReportingPeriod QuarterOf(Period month, int fiscalYearStartMonth = 1)
    {
        var quarter = (((month.Month - fiscalYearStartMonth + 12) % 12) / 3) + 1;
        return fiscalYearStartMonth == 1
            ? Parse(string.Create(CultureInfo.InvariantCulture, $"{month.Year:0000}-Q{quarter}"))
            : Parse(string.Create(CultureInfo.InvariantCulture, $"FY{FiscalYearNumber(month, fiscalYearStartMonth):0000}-Q{quarter}"), fiscalYearStartMonth);
    }

    /// <summary>The fiscal year <paramref name="month"/> falls in, named after the calendar year it ends in (<c>FY2027</c>).</summary>
    public static ReportingPeriod FiscalYearOf(Period month, int fiscalYearStartMonth = 1) =>
        Parse(string.Create(CultureInfo.InvariantCulture, $"FY{FiscalYearNumber(month, fiscalYearStartMonth):0000}"), fiscalYearStartMonth);

    /// <summary>
    /// The span from its first month through <paramref name="month"/> (quarter or year to date), named
    /// <c>2026-Q4 to 2026-11</c>; the span itself when <paramref name="month"/> is its last month.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="month"/> is not a month of the span.</exception>
    public ReportingPeriod Through(Period month)
    {
        if (month < First || month > Last)
        {
            throw new ArgumentOutOfRangeException(nameof(month), month, $"{month} is not a month of {Name}");
        }

        return month == Last ? this : new ReportingPeriod($"{Name} to {month}", Kind, First, month);
    }

    private static int FiscalYearNumber(Period month, int fiscalYearStartMonth) =>
        fiscalYearStartMonth == 1 || month.Month < fiscalYearStartMonth ? month.Year : month.Year + 1;

    public override string ToString() => Name;

    [GeneratedRegex(@"^(?:(?<fiscal>FY)(?<year>[0-9]{4})(?:-Q(?<quarter>[1-4]))?|(?<year>[0-9]{4})-Q(?<quarter>[1-4]))\z")]
    private static partial Regex Pattern();
}
