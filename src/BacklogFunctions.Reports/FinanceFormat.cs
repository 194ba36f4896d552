using System.Globalization;
using BacklogFunctions.Domain.Money;

namespace BacklogFunctions.Reports;

/// <summary>
/// Numbers as finance reads them: thousands separators, the currency's digits, negatives in parentheses,
/// "n/a" where a ratio has no meaningful denominator. Invariant culture, so a pack reads the same everywhere.
/// </summary>
public static class FinanceFormat
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    public static string Money(decimal amount, Currency currency)
    {
        var digits = currency.MinorUnit;
        var text = Math.Abs(currency.Round(amount)).ToString("N" + digits.ToString(Culture), Culture);
        return amount < 0m ? $"({text})" : text;
    }

    /// <summary>A money amount with its currency code: "USD 1,234.50".</summary>
    public static string MoneyWithCode(decimal amount, Currency currency) => $"{currency.Code} {Money(amount, currency)}";

    public static string Ratio(decimal? ratio) => ratio is { } r ? r.ToString("N2", Culture) : "n/a";

    public static string Percent(decimal? share) => share is { } s ? (s * 100m).ToString("N1", Culture) + "%" : "n/a";

    /// <summary>The change from <paramref name="before"/> as a percentage, or "n/a" when there is nothing to compare with.</summary>
    public static string PercentChange(decimal now, decimal? before) =>
        before is { } b && b != 0m ? Percent(Math.Round((now - b) / Math.Abs(b), 4, MidpointRounding.AwayFromZero)) : "n/a";

    public static string Month(Period period) => new DateOnly(period.Year, period.Month, 1).ToString("MMMM yyyy", Culture);

    /// <summary>The name of a month of the year, 1-12: "July".</summary>
    public static string MonthName(int month) => new DateOnly(2000, month, 1).ToString("MMMM", Culture);

    public static string ShortMonth(Period period) => new DateOnly(period.Year, period.Month, 1).ToString("MMM yy", Culture);
}
