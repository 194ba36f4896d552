using BacklogFunctions.Domain.Forward;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Domain.Consolidation;

/// <summary>A rate a consolidated view needs and does not have: which currency, which kind, for which day.</summary>
public sealed record MissingRate(Currency Currency, RateKind Kind, DateOnly Date);

/// <summary>The rates one currency was translated at.</summary>
/// <param name="Opening">The previous period's closing rate, which the opening balances are translated at.</param>
public sealed record UsedRate(Currency Currency, decimal Closing, DateOnly ClosingDate, decimal Average, decimal Opening);

/// <summary>One currency's totals translated into the reporting currency (each figure rounded to its minor unit).</summary>
public sealed record TranslatedTotals(Currency Currency, Figures Figures);

/// <summary>
/// One period's group figures in the reporting currency (consolidation.md): the sum over currencies of their
/// translated totals, with segments and customers consolidated the same way, each currency's translated share,
/// the constant-currency figures and the forecast.
/// </summary>
public sealed record ConsolidatedView
{
    /// <summary>
    /// The consolidated totals in the reporting currency. Its segments are each currency's segments translated and
    /// summed, with a <see cref="SegmentDimensions.Rounding"/> line per dimension where the translated parts do not
    /// add up to the translated whole; its concentration and retention are of customers across currencies.
    /// </summary>
    public required CurrencyTotals Totals { get; init; }

    /// <summary>Each currency's totals translated, in currency order: they add up to <see cref="Totals"/>' figures.</summary>
    public required IReadOnlyList<TranslatedTotals> ByCurrency { get; init; }

    /// <summary>The rates each currency was translated at, in currency order.</summary>
    public required IReadOnlyList<UsedRate> Rates { get; init; }

    /// <summary>This period's figures at the rates of the same period a year earlier; null when one of those is missing.</summary>
    public Figures? ConstantCurrency { get; init; }

    /// <summary>The rates a year earlier that the constant-currency figures lack (empty when they are there).</summary>
    public IReadOnlyList<MissingRate> ConstantCurrencyMissing { get; init; } = [];

    /// <summary>The billings, collections and revenue forecast, every currency's at its closing rate; null when the snapshot has none.</summary>
    public ForecastLine? Forecast { get; init; }

    public Currency Currency => Totals.Currency;

    public Figures Figures => Totals.Figures;

    /// <summary>Closing backlog minus everything else in its roll-forward: the currency effect, on its own line.</summary>
    public decimal FxEffectBacklog => -Figures.BacklogRollForwardDifference;

    /// <summary>The same for the net contract position.</summary>
    public decimal FxEffectNetContractPosition => -Figures.NetContractPositionRollForwardDifference;
}

/// <summary>A consolidated view, or — when a rate is missing — exactly which rates are missing (never 0, never 1).</summary>
public sealed record Consolidated(Currency Currency, ConsolidatedView? View, IReadOnlyList<MissingRate> MissingRates)
{
    public bool IsComplete => View is not null;
}

/// <summary>Something translated into the reporting currency at closing rates, or the rates it lacks.</summary>
public sealed record Translated<T>(Currency Currency, T? Value, IReadOnlyList<MissingRate> MissingRates)
    where T : class;

/// <summary>Translation into the reporting currency (consolidation.md, IAS 21 / ASC 830 practice).</summary>
public static class Consolidator
{
    /// <summary>The consolidated view of one month's per-currency totals (no customers, no forecast).</summary>
    public static Consolidated Of(IReadOnlyList<CurrencyTotals> totals, Period period, FxRates rates) =>
        Of(totals, [], [], period.Previous.LastDay, period.LastDay, rates, null);

    /// <summary>
    /// The consolidated view of a snapshot (a month, or any span of days ending on its as-of day): balances at the
    /// closing rate of its last day, opening balances at the closing rate of the day before it starts (or at
    /// <paramref name="openingRates"/>, the closing rates the previous closed version recorded), flows at the average
    /// rate of its days; each translated figure rounded to the reporting currency's minor unit, then summed.
    /// Customers and retention come from the snapshot's contracts when it has them.
    /// </summary>
    public static Consolidated Of(Snapshot snapshot, FxRates rates, IReadOnlyDictionary<Currency, decimal>? openingRates = null) =>
        Of(snapshot.Totals, snapshot.Contracts, snapshot.Forecasts, snapshot.OpeningDate, snapshot.AsOf, rates, openingRates);

    private static Consolidated Of(
        IReadOnlyList<CurrencyTotals> totals,
        IReadOnlyList<ContractSnapshot> contracts,
        IReadOnlyList<ForecastLine> forecasts,
        DateOnly openingDate,
        DateOnly lastDay,
        FxRates rates,
        IReadOnlyDictionary<Currency, decimal>? openingRates)
    {
        var reporting = rates.Reporting;
        var ordered = totals.OrderBy(t => t.Currency.Code, StringComparer.Ordinal).ToList();
        var currencies = ordered.Select(t => t.Currency).ToList();
        var (used, missing) = RatesOf(currencies, openingDate, lastDay, rates, openingRates);
        if (missing.Count > 0)
        {
            return new Consolidated(reporting, null, missing);
        }

        var rateOf = used.ToDictionary(r => r.Currency);
        var byCurrency = ordered.Select(t => new TranslatedTotals(t.Currency, Translate(t.Figures, rateOf[t.Currency], reporting))).ToList();
        var figures = new Figures();
        foreach (var translated in byCurrency)
        {
            figures.AddInPlace(translated.Figures);
        }

        // Constant currency: the same figures at the rates of the same days a year earlier.
        var (lastYear, lastYearMissing) = RatesOf(currencies, openingDate.AddMonthsKeepingMonthEnd(-12), lastDay.AddMonthsKeepingMonthEnd(-12), rates, null);
        Figures? constant = null;
        if (lastYearMissing.Count == 0)
        {
            var lastYearOf = lastYear.ToDictionary(r => r.Currency);
            constant = new Figures();
            foreach (var total in ordered)
            {
                constant.AddInPlace(Translate(total.Figures, lastYearOf[total.Currency], reporting));
            }
        }

        var customers = CustomersOf(contracts, rateOf, reporting);
        var (grr, nrr) = Kpis.Retention(customers.Values.Select(c => (c.ArrThen, c.ArrNow)));
        var forecast = Forecast(forecasts, lastDay, rates).Value;

        return new Consolidated(reporting, new ConsolidatedView
        {
            Totals = new CurrencyTotals
            {
                Currency = reporting,
                Contracts = ordered.Sum(t => t.Contracts),
                Figures = figures,
                BacklogAging = AgeBuckets.All.ToDictionary(b => b, b => ordered.Sum(t => reporting.Round(t.BacklogAging.GetValueOrDefault(b) * rateOf[t.Currency].Closing))),
                Concentration = Concentration.Of(customers.Select(c => (c.Key, c.Value.Name, c.Value.Backlog))),
                Segments = Segments(ordered, rateOf, reporting),
                Grr = grr,
                Nrr = nrr,
            },
            ByCurrency = byCurrency,
            Rates = used,
            ConstantCurrency = constant,
            ConstantCurrencyMissing = lastYearMissing,
            Forecast = forecast,
        }, []);
    }

    /// <summary>One currency's figures in the reporting currency, each rounded to its minor unit.</summary>
    public static Figures Translate(Figures figures, UsedRate rate, Currency reporting) => figures.Convert(
        balance: amount => reporting.Round(amount * rate.Closing),
        opening: amount => reporting.Round(amount * rate.Opening),
        flow: amount => reporting.Round(amount * rate.Average));

    /// <summary>A forecast in the reporting currency at one rate (the closing rate: later rates are not known yet).</summary>
    public static ForecastLine Translate(ForecastLine line, decimal rate, Currency reporting)
    {
        decimal At(decimal amount) => reporting.Round(amount * rate);
        MonthlyForecast Monthly(MonthlyForecast forecast) => new([.. forecast.Months.Select(At)], At(forecast.Later));
        return line with
        {
            Currency = reporting,
            OverdueBilling = At(line.OverdueBilling),
            UnscheduledBilling = At(line.UnscheduledBilling),
            Billings = Monthly(line.Billings),
            CollectionsOverdue = At(line.CollectionsOverdue),
            Collections = Monthly(line.Collections),
            Revenue = Monthly(line.Revenue),
        };
    }

    /// <summary>
    /// The group forecast as of <paramref name="asOf"/>: each currency's forecast at its closing rate of that day,
    /// summed; or the closing rates missing.
    /// </summary>
    public static Translated<ForecastLine> Forecast(IReadOnlyList<ForecastLine> totals, DateOnly asOf, FxRates rates)
    {
        var (closing, missing) = ClosingRatesOf(totals.Select(t => t.Currency), asOf, rates);
        return missing.Count > 0 || totals.Count == 0
            ? new(rates.Reporting, null, missing)
            : new(rates.Reporting, totals.Select(t => Translate(t, closing[t.Currency], rates.Reporting)).Aggregate((a, b) => a + b), []);
    }

    /// <summary>
    /// The group revenue waterfall as of <paramref name="asOf"/>: each currency's at its closing rate of that day,
    /// each amount rounded, summed month by month; or the closing rates missing.
    /// </summary>
    public static Translated<Waterfall> Waterfall(IReadOnlyList<Waterfall> waterfalls, DateOnly asOf, FxRates rates)
    {
        var (closing, missing) = ClosingRatesOf(waterfalls.Select(w => w.Currency), asOf, rates);
        if (missing.Count > 0 || waterfalls.Count == 0)
        {
            return new(rates.Reporting, null, missing);
        }

        var reporting = rates.Reporting;
        var translated = waterfalls.Select(w =>
        {
            var rate = closing[w.Currency];
            return new Snapshots.Waterfall(reporting, reporting.Round(w.Backlog * rate), [.. w.Months.Select(m => m with { Amount = reporting.Round(m.Amount * rate) })], reporting.Round(w.Later * rate));
        });
        return new(reporting, Snapshots.Waterfall.Sum(translated).Single(), []);
    }

    private static (Dictionary<Currency, decimal> Rates, List<MissingRate> Missing) ClosingRatesOf(IEnumerable<Currency> currencies, DateOnly day, FxRates rates)
    {
        var found = new Dictionary<Currency, decimal>();
        var missing = new List<MissingRate>();
        foreach (var c in currencies.Distinct().OrderBy(c => c.Code, StringComparer.Ordinal))
        {
            if (rates.Closing(c, day) is { } closing)
            {
                found[c] = closing.Rate;
            }
            else
            {
                missing.Add(new MissingRate(c, RateKind.Closing, day));
            }
        }

        return (found, missing);
    }

    /// <summary>The rates of each currency for the days after <paramref name="openingDate"/> up to <paramref name="lastDay"/>, or what is missing.</summary>
    private static (List<UsedRate> Used, List<MissingRate> Missing) RatesOf(List<Currency> currencies, DateOnly openingDate, DateOnly lastDay, FxRates rates, IReadOnlyDictionary<Currency, decimal>? openingRates)
    {
        var missing = new List<MissingRate>();
        var used = new List<UsedRate>(currencies.Count);
        foreach (var c in currencies)
        {
            var closing = rates.Closing(c, lastDay);
            var average = rates.Average(c, openingDate.AddDays(1), lastDay);
            var opening = openingRates is not null && openingRates.TryGetValue(c, out var recorded) ? recorded : rates.Closing(c, openingDate)?.Rate;
            if (closing is null)
            {
                missing.Add(new MissingRate(c, RateKind.Closing, lastDay));
            }

            if (average is null)
            {
                missing.Add(new MissingRate(c, RateKind.Average, lastDay));
            }

            if (opening is null)
            {
                missing.Add(new MissingRate(c, RateKind.Closing, openingDate));
            }

            if (closing is { } cl && average is { } av && opening is { } op)
            {
                used.Add(new UsedRate(c, cl.Rate, cl.Date, av, op));
            }
        }

        return (used, missing);
    }

    /// <summary>
    /// Each customer across currencies: per currency, the sums of the customer's contracts translated at that
    /// currency's closing rate; then added up by customer id (the name as it first comes, in currency order).
    /// </summary>
    private static Dictionary<string, CustomerTotals> CustomersOf(IReadOnlyList<ContractSnapshot> contracts, Dictionary<Currency, UsedRate> rates, Currency reporting)
    {
        var result = new Dictionary<string, CustomerTotals>(StringComparer.Ordinal);
        var perCurrency = contracts
            .GroupBy(c => (Currency: c.Currency.Code, Customer: c.Customer.Id))
            .OrderBy(g => g.Key.Currency, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Customer, StringComparer.Ordinal);
        foreach (var group in perCurrency)
        {
            var rate = rates[group.First().Currency].Closing;
            decimal Translated(Func<Figures, decimal> figure) => reporting.Round(group.Sum(c => figure(c.Figures)) * rate);
            var translated = new CustomerTotals(group.First().Customer.Name, Translated(f => f.Backlog), Translated(f => f.ArrYearEarlier), Translated(f => f.Arr));
            result[group.Key.Customer] = result.TryGetValue(group.Key.Customer, out var known)
                ? known with { Backlog = known.Backlog + translated.Backlog, ArrThen = known.ArrThen + translated.ArrThen, ArrNow = known.ArrNow + translated.ArrNow }
                : translated;
        }

        return result;
    }

    private sealed record CustomerTotals(string Name, decimal Backlog, decimal ArrThen, decimal ArrNow);

    /// <summary>
    /// Each currency's segments translated and summed by dimension and value; per dimension, a rounding line when the
    /// translated segments of a currency do not add up to the translation of their sum.
    /// </summary>
    private static List<SegmentFigures> Segments(IReadOnlyList<CurrencyTotals> totals, Dictionary<Currency, UsedRate> rates, Currency reporting)
    {
        var sums = new Dictionary<(string Dimension, string Value), (int Contracts, Figures Figures, bool Billing)>();
        var rounding = new Dictionary<string, Figures>(StringComparer.Ordinal);
        foreach (var total in totals)
        {
            var rate = rates[total.Currency];
            foreach (var dimension in total.Segments.GroupBy(s => s.Dimension, StringComparer.Ordinal))
            {
                var whole = Figures.Zero;
                var parts = Figures.Zero;
                foreach (var segment in dimension)
                {
                    var translated = Translate(segment.Figures, rate, reporting);
                    whole += segment.Figures;
                    parts += translated;
                    var key = (segment.Dimension, segment.Value);
                    sums[key] = sums.TryGetValue(key, out var known)
                        ? (known.Contracts + segment.Contracts, known.Figures + translated, known.Billing || segment.IncludesBilling)
                        : (segment.Contracts, translated, segment.IncludesBilling);
                }

                var difference = Translate(whole, rate, reporting) - parts;
                rounding[dimension.Key] = rounding.TryGetValue(dimension.Key, out var r) ? r + difference : difference;
            }
        }

        foreach (var (dimension, difference) in rounding)
        {
            if (difference != Figures.Zero)
            {
                var billing = sums.Where(s => s.Key.Dimension == dimension).Any(s => s.Value.Billing);
                sums[(dimension, SegmentDimensions.Rounding)] = (0, difference, billing);
            }
        }

        return [.. sums
            .OrderBy(s => s.Key.Dimension, StringComparer.Ordinal)
            .ThenBy(s => s.Key.Value == SegmentDimensions.Rounding)
            .ThenByDescending(s => s.Value.Figures.Backlog)
            .ThenBy(s => s.Key.Value, StringComparer.Ordinal)
            .Select(s => new SegmentFigures(s.Key.Dimension, s.Key.Value, s.Value.Contracts, s.Value.Figures, s.Value.Billing))];
    }
}
