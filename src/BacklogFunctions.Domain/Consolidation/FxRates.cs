using BacklogFunctions.Domain.Money;

namespace BacklogFunctions.Domain.Consolidation;

/// <summary>One rate: how many units of the reporting currency one unit of <see cref="Currency"/> is worth on <see cref="Date"/>.</summary>
public readonly record struct FxRate(DateOnly Date, Currency Currency, decimal Rate);

/// <summary>Which rate of a period (consolidation.md, "Rates").</summary>
public enum RateKind
{
    /// <summary>The latest rate on or before the period's last day, at most 7 days before it.</summary>
    Closing,

    /// <summary>The mean of the rates dated within the period, 10 decimals.</summary>
    Average,
}

/// <summary>
/// The rates known for translating into one reporting currency (consolidation.md). A later rate of the same date
/// and currency supersedes an earlier one; the reporting currency itself is always 1. A rate that cannot be found
/// is null — never 0, never 1.
/// </summary>
public sealed class FxRates
{
    /// <summary>How many days before a period's last day its closing rate may be dated.</summary>
    public const int ClosingRateMaxAgeDays = 7;

    /// <summary>The decimals of an average rate.</summary>
    public const int AverageDecimals = 10;

    private readonly Dictionary<string, SortedList<DateOnly, decimal>> _byCurrency = new(StringComparer.Ordinal);

    /// <param name="reporting">The currency everything is translated into.</param>
    /// <param name="rates">The rates in the order they were stored: a later one of the same date and currency wins.</param>
    public FxRates(Currency reporting, IEnumerable<FxRate> rates)
    {
        Reporting = reporting;
        foreach (var rate in rates)
        {
            if (rate.Rate <= 0m)
            {
                throw new ArgumentException($"the rate of {rate.Currency.Code} on {rate.Date:yyyy-MM-dd} is not positive", nameof(rates));
            }

            if (!_byCurrency.TryGetValue(rate.Currency.Code, out var dated))
            {
                dated = [];
                _byCurrency.Add(rate.Currency.Code, dated);
            }

            dated[rate.Date] = rate.Rate;
        }
    }

    public Currency Reporting { get; }

    /// <summary>The closing rate of <paramref name="currency"/> for a period ending <paramref name="lastDay"/>, with its date; null when missing.</summary>
    public (decimal Rate, DateOnly Date)? Closing(Currency currency, DateOnly lastDay)
    {
        if (currency == Reporting)
        {
            return (1m, lastDay);
        }

        if (!_byCurrency.TryGetValue(currency.Code, out var dated) || dated.Count == 0)
        {
            return null;
        }

        // The latest date on or before the last day: a binary search over the sorted dates.
        var dates = dated.Keys;
        int low = 0, high = dates.Count - 1, found = -1;
        while (low <= high)
        {
            var middle = low + ((high - low) / 2);
            if (dates[middle] <= lastDay)
            {
                found = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return found >= 0 && lastDay.DayNumber - dates[found].DayNumber <= ClosingRateMaxAgeDays
            ? (dated.Values[found], dates[found])
            : null;
    }

    /// <summary>The average rate of <paramref name="currency"/> over <paramref name="period"/>; null when no rate is dated within it.</summary>
    public decimal? Average(Currency currency, Period period) => Average(currency, period.FirstDay, period.LastDay);

    /// <summary>The average rate of <paramref name="currency"/> over the days from <paramref name="first"/> to <paramref name="last"/>; null when no rate is dated within them.</summary>
    public decimal? Average(Currency currency, DateOnly first, DateOnly last)
    {
        if (currency == Reporting)
        {
            return 1m;
        }

        if (!_byCurrency.TryGetValue(currency.Code, out var dated))
        {
            return null;
        }

        var (sum, count) = (0m, 0);
        foreach (var (date, rate) in dated)
        {
            if (date >= first && date <= last)
            {
                sum += rate;
                count++;
            }
        }

        return count == 0 ? null : Math.Round(sum / count, AverageDecimals, MidpointRounding.AwayFromZero);
    }
}
