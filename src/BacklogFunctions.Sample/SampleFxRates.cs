using BacklogFunctions.Domain.Consolidation;
using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Money;

namespace BacklogFunctions.Sample;

/// <summary>
/// Daily FX rates into USD for the sample company's other currencies (EUR, JPY, KWD), as a treasury feed would
/// give them: business days only (no weekend rows, so a month's closing rate is often a Friday's), from the month
/// before the sample's first month (the rates the first month's opening needs) to its last day. Each currency
/// trends slowly with small daily moves around realistic levels, and two or three days bring a visible jump. The
/// same seed always gives the same rates; the number of contracts does not change them.
/// </summary>
public static class SampleFxRates
{
    /// <summary>The currency the sample's rates translate into.</summary>
    public static Currency Reporting => Currency.USD;

    /// <summary>The sample's currencies other than USD (those of <see cref="SampleGenerator"/>).</summary>
    public static IReadOnlyList<Currency> Currencies { get; } = [Currency.EUR, Currency.JPY, Currency.KWD];

    /// <summary>The first day with rates: the first day of the month before <see cref="SampleSpec.Start"/> (not before 2000).</summary>
    public static DateOnly FirstDay(SampleSpec spec) => Max(spec.Start.AddMonths(-1).FirstDay, EventJson.EarliestDate);

    /// <summary>The last day with rates: the sample's last day (not after 2099).</summary>
    public static DateOnly LastDay(SampleSpec spec) => Min(spec.LastDay, EventJson.LatestDate);

    /// <summary>The rates of <paramref name="spec"/>, by date, then currency.</summary>
    public static IReadOnlyList<FxRate> Generate(SampleSpec spec)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(spec.Months, 1);
        var random = new Random(unchecked((spec.Seed * 7919) + 104_729));
        var days = BusinessDays(FirstDay(spec), LastDay(spec));
        var markets = new[]
        {
            // EUR in USD, quoted as such: 1.05 to 1.20, four decimals.
            new Market(Currency.EUR, quote: 1.08m + (random.Next(0, 61) / 1000m), low: 1.05m, high: 1.20m, dailyMoveBasisPoints: 30, maxTrendBasisPoints: 3, quoteDecimals: 4, inverted: false),

            // JPY: the market quotes yen per dollar (133 to 161, three decimals); the rate is its inverse, ten decimals.
            new Market(Currency.JPY, quote: 140m + random.Next(0, 15), low: 134m, high: 161m, dailyMoveBasisPoints: 45, maxTrendBasisPoints: 4, quoteDecimals: 3, inverted: true),

            // KWD: pegged to a basket, it barely moves around 3.25.
            new Market(Currency.KWD, quote: 3.24m + (random.Next(0, 21) / 1000m), low: 3.235m, high: 3.275m, dailyMoveBasisPoints: 3, maxTrendBasisPoints: 0, quoteDecimals: 4, inverted: false),
        };

        // Two or three jumps of 1.8% to 3%, on EUR and JPY, away from the ends of the span.
        var jumps = new Dictionary<(int Day, Currency Currency), decimal>();
        var jumpCount = 2 + random.Next(2);
        for (var i = 0; i < jumpCount; i++)
        {
            var day = (days.Count / 10) + random.Next(Math.Max(1, days.Count * 8 / 10));
            var size = (18 + random.Next(13)) / 1000m;
            jumps[(day, markets[i % 2].Currency)] = random.Next(2) == 0 ? size : -size;
        }

        var rates = new List<FxRate>(days.Count * markets.Length);
        for (var d = 0; d < days.Count; d++)
        {
            foreach (var market in markets)
            {
                // A new trend every 40 to 100 business days.
                if (market.DaysLeftInTrend-- <= 0)
                {
                    market.TrendBasisPoints = market.MaxTrendBasisPoints == 0 ? 0 : random.Next(-market.MaxTrendBasisPoints, market.MaxTrendBasisPoints + 1);
                    market.DaysLeftInTrend = 40 + random.Next(61);
                }

                var move = (market.TrendBasisPoints + random.Next(-market.DailyMoveBasisPoints, market.DailyMoveBasisPoints + 1)) / 10_000m;
                if (jumps.TryGetValue((d, market.Currency), out var jump))
                {
                    move += jump;
                }

                var next = market.Quote * (1m + move);
                if (next > market.High || next < market.Low)
                {
                    // Turned back at the edge of the range: the move goes the other way, and so does the trend.
                    next = market.Quote * (1m - move);
                    market.TrendBasisPoints = -market.TrendBasisPoints;
                }

                market.Quote = Math.Round(Math.Clamp(next, market.Low, market.High), market.QuoteDecimals, MidpointRounding.AwayFromZero);
                var rate = market.Inverted ? Math.Round(1m / market.Quote, 10, MidpointRounding.AwayFromZero) : market.Quote;
                rates.Add(new FxRate(days[d], market.Currency, rate));
            }
        }

        return rates;
    }

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;

    private static List<DateOnly> BusinessDays(DateOnly first, DateOnly last)
    {
        var days = new List<DateOnly>();
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            if (day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            {
                days.Add(day);
            }
        }

        return days;
    }

    /// <summary>One currency's market as the days go by: its quote, its current trend and its limits.</summary>
    private sealed class Market(Currency currency, decimal quote, decimal low, decimal high, int dailyMoveBasisPoints, int maxTrendBasisPoints, int quoteDecimals, bool inverted)
    {
        public Currency Currency => currency;

        public decimal Quote { get; set; } = quote;

        public decimal Low => low;

        public decimal High => high;

        /// <summary>The largest move of a day apart from the trend (uniform, both ways).</summary>
        public int DailyMoveBasisPoints => dailyMoveBasisPoints;

        /// <summary>The steepest trend, per business day.</summary>
        public int MaxTrendBasisPoints => maxTrendBasisPoints;

        public int QuoteDecimals => quoteDecimals;

        /// <summary>The market quotes units of the currency per USD; the rate is the inverse.</summary>
        public bool Inverted => inverted;

        public int TrendBasisPoints { get; set; }

        public int DaysLeftInTrend { get; set; }
    }
}
