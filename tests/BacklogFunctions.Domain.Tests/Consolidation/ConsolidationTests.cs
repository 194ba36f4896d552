using System.Globalization;
using BacklogFunctions.Domain.Consolidation;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Recognition;
using BacklogFunctions.Domain.Snapshots;
using BacklogFunctions.Sample;
using CsCheck;

namespace BacklogFunctions.Domain.Tests.Consolidation;

/// <summary>The rules of consolidation.md: closing and average rates, translation, the FX translation effect, missing rates.</summary>
public class ConsolidationTests
{
    private static readonly Currency Usd = Currency.USD;
    private static readonly Currency Eur = Currency.Of("EUR");
    private static readonly Currency Jpy = Currency.Of("JPY");
    private static readonly Period November = new(2026, 11);

    [Theory]
    [InlineData("2026-11-30", "2026-11-30", "1.10")] // on the last day
    [InlineData("2026-11-23", "2026-11-30", "1.10")] // 7 days before: still the closing rate
    [InlineData("2026-11-22", "2026-11-30", null)] // 8 days before: missing
    [InlineData("2026-12-01", "2026-11-30", null)] // after the last day: not a closing rate of November
    public void The_closing_rate_is_the_latest_on_or_before_the_last_day_at_most_7_days_old(string dated, string lastDay, string? expected)
    {
        var rates = new FxRates(Usd, [new FxRate(D(dated), Eur, 1.10m)]);

        var closing = rates.Closing(Eur, D(lastDay));

        Assert.Equal(expected is null ? null : decimal.Parse(expected, CultureInfo.InvariantCulture), closing?.Rate);
        Assert.Equal(expected is null ? null : D(dated), closing?.Date);
    }

    [Fact]
    public void The_closing_rate_takes_the_latest_date_and_a_later_row_of_the_same_date_supersedes()
    {
        var rates = new FxRates(Usd, [new(D("2026-11-27"), Eur, 1.07m), new(D("2026-11-29"), Eur, 1.08m), new(D("2026-11-29"), Eur, 1.09m), new(D("2026-12-01"), Eur, 2m)]);

        Assert.Equal((1.09m, D("2026-11-29")), rates.Closing(Eur, November.LastDay));
    }

    [Fact]
    public void The_average_rate_is_the_mean_of_the_months_rates_rounded_to_10_decimals()
    {
        var rates = new FxRates(Usd, [new(D("2026-10-31"), Eur, 9m), new(D("2026-11-02"), Eur, 1.1m), new(D("2026-11-15"), Eur, 1.2m), new(D("2026-11-30"), Eur, 1.25m), new(D("2026-12-01"), Eur, 9m)]);

        Assert.Equal(1.1833333333m, rates.Average(Eur, November));
        Assert.Null(rates.Average(Jpy, November));
        Assert.Null(new FxRates(Usd, [new(D("2026-10-31"), Eur, 1.1m)]).Average(Eur, November));
    }

    [Fact]
    public void The_reporting_currency_is_always_1_and_a_rate_must_be_positive()
    {
        var rates = new FxRates(Usd, []);

        Assert.Equal((1m, November.LastDay), rates.Closing(Usd, November.LastDay));
        Assert.Equal(1m, rates.Average(Usd, November));
        Assert.Throws<ArgumentException>(() => new FxRates(Usd, [new(D("2026-11-30"), Eur, 0m)]));
    }

    [Fact]
    public void A_backlog_that_only_changes_rate_moves_by_the_textbook_fx_effect()
    {
        // EUR 1,000,000 of backlog, nothing else happening; EUR at 1.05 at the end of October, 1.10 at the end of November.
        var eur = Totals(Eur, new Figures { OpeningBacklog = 1_000_000m, Backlog = 1_000_000m, Tcv = 1_000_000m });
        var rates = new FxRates(Usd, [new(D("2026-10-31"), Eur, 1.05m), new(D("2026-11-15"), Eur, 1.08m), new(D("2026-11-30"), Eur, 1.10m)]);

        var view = Consolidator.Of([eur], November, rates).View!;

        Assert.Equal((1_050_000.00m, 1_100_000.00m), (view.Figures.OpeningBacklog, view.Figures.Backlog));
        Assert.Equal(50_000.00m, view.FxEffectBacklog);
        Assert.Equal([new UsedRate(Eur, 1.10m, D("2026-11-30"), 1.09m, 1.05m)], view.Rates);
    }

    [Fact]
    public void Each_translated_figure_is_rounded_to_the_reporting_currencys_minor_unit_then_summed()
    {
        // JPY 1,234,567 at 0.0066667 → 8,230.4879…: rounded per figure, then added to the USD total.
        var jpy = Totals(Jpy, new Figures { Backlog = 1_234_567m, Revenue = 100_001m });
        var usd = Totals(Usd, new Figures { Backlog = 10.01m, Revenue = 1m });
        var rates = new FxRates(Usd, [new(D("2026-10-30"), Jpy, 0.0066667m), new(D("2026-11-30"), Jpy, 0.0066667m)]);

        var view = Consolidator.Of([usd, jpy], November, rates).View!;

        Assert.Equal(8230.49m + 10.01m, view.Figures.Backlog);
        Assert.Equal(666.68m + 1m, view.Figures.Revenue);
    }

    [Fact]
    public void Missing_rates_are_listed_by_currency_kind_and_day_and_nothing_is_translated()
    {
        var eur = Totals(Eur, new Figures { Backlog = 1m });
        var jpy = Totals(Jpy, new Figures { Backlog = 1m });
        var rates = new FxRates(Usd, [new(D("2026-11-30"), Eur, 1.1m), new(D("2026-10-31"), Jpy, 0.0067m)]);

        var consolidated = Consolidator.Of([jpy, eur], November, rates);

        Assert.Null(consolidated.View);
        Assert.Equal(
            [new MissingRate(Eur, RateKind.Closing, D("2026-10-31")), new MissingRate(Jpy, RateKind.Closing, D("2026-11-30")), new MissingRate(Jpy, RateKind.Average, D("2026-11-30"))],
            consolidated.MissingRates);
    }

    [Fact]
    public void With_flat_rates_the_fx_effect_is_only_the_rounding_of_the_separately_translated_figures()
    {
        Gen.Select(Gen.Int[1, 1_000_000], Gen.Decimal[0.5m, 2m], Gen.Decimal[0.003m, 0.02m]).Sample(
            c =>
            {
                var (seed, eurRate, jpyRate) = c;
                var (eur, jpy) = (Math.Round(eurRate, 6), Math.Round(jpyRate, 8));
                var events = SampleGenerator.Generate(new SampleSpec(40, 18, seed, new Period(2025, 6)));
                var histories = events.GroupBy(e => e.ContractId).Select(g => ContractHistory.Create(g.Key, g)).ToList();
                var snapshot = new SnapshotCalculator(SnapshotOptions.Default).ForPeriod(histories, November);
                var flat = Enumerable.Range(0, 62).Select(d => D("2026-10-01").AddDays(d))
                    .SelectMany(day => new[] { new FxRate(day, Eur, eur), new FxRate(day, Jpy, jpy), new FxRate(day, Currency.Of("KWD"), 3.25m) });

                var view = Consolidator.Of(snapshot.Totals, November, new FxRates(Usd, flat)).View!;

                // Eight translated terms in each roll-forward, each off by at most half a cent, per currency.
                var bound = 0.005m * 8 * snapshot.Totals.Count;
                Assert.InRange(view.FxEffectBacklog, -bound, bound);
                Assert.InRange(view.FxEffectNetContractPosition, -bound, bound);
                Assert.Equal(snapshot.Totals.Sum(t => Usd.Round(t.Figures.Backlog * (t.Currency == Usd ? 1m : t.Currency == Eur ? eur : t.Currency == Jpy ? jpy : 3.25m))), view.Figures.Backlog);
            },
            iter: 5);
    }

    private static CurrencyTotals Totals(Currency currency, Figures figures) => new()
    {
        Currency = currency,
        Contracts = 1,
        Figures = figures,
        BacklogAging = AgeBuckets.All.ToDictionary(b => b, _ => 0m),
        Concentration = new Concentration(0, null, null, null, []),
        Segments = [],
    };

    private static DateOnly D(string day) => DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
