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

    [Fact]
    public void Consolidated_roll_forwards_tie_every_month_for_36_months_with_random_rate_paths()
    {
        Gen.Select(Gen.Int[1, 1_000_000], Gen.Int[1, 1_000_000]).Sample(
            c =>
            {
                var (seed, rateSeed) = c;
                var start = new Period(2023, 1);
                var histories = Histories(new SampleSpec(30, 36, seed, start));
                var rates = new FxRates(Usd, RandomPath(rateSeed, start.Previous.FirstDay, start.AddMonths(35).LastDay));
                var calculator = new SnapshotCalculator(SnapshotOptions.Default);
                ConsolidatedView? previous = null;
                for (var month = start; month <= start.AddMonths(35); month = month.Next)
                {
                    var snapshot = calculator.ForPeriod(histories, month) with { Period = month };
                    var view = Consolidator.Of(snapshot, rates, previous?.Rates.ToDictionary(r => r.Currency, r => r.Closing)).View!;
                    var f = view.Figures;

                    // Each roll-forward ties with its FX line; the opening is last month's consolidated closing.
                    Assert.Equal(f.Backlog, f.OpeningBacklog + f.BacklogPriorPeriodAdjustment + f.Bookings + f.Expansions - f.Contractions - f.Cancellations - f.Revenue + view.FxEffectBacklog);
                    Assert.Equal(f.NetContractPosition, f.OpeningNetContractPosition + f.NetContractPositionPriorPeriodAdjustment + f.ContractPositionInflow - f.Revenue + view.FxEffectNetContractPosition);
                    if (previous is not null && previous.ByCurrency.Select(t => t.Currency).SequenceEqual(view.ByCurrency.Select(t => t.Currency)))
                    {
                        Assert.Equal(previous.Figures.Backlog, f.OpeningBacklog);
                        Assert.Equal(previous.Figures.NetContractPosition, f.OpeningNetContractPosition);
                    }

                    // Consolidated = the sum of the translated currency totals, each translated figure rounded.
                    Assert.Equal(f, view.ByCurrency.Aggregate(Figures.Zero, (sum, t) => sum + t.Figures));
                    foreach (var total in snapshot.Totals)
                    {
                        var rate = view.Rates.Single(r => r.Currency == total.Currency);
                        Assert.Equal(Usd.Round(total.Figures.Backlog * rate.Closing), view.ByCurrency.Single(t => t.Currency == total.Currency).Figures.Backlog);
                        Assert.Equal(Usd.Round(total.Figures.Revenue * rate.Average), view.ByCurrency.Single(t => t.Currency == total.Currency).Figures.Revenue);
                    }

                    // Every contract dimension's segments, with the rounding line, add up to the consolidated total.
                    foreach (var dimension in view.Totals.Segments.Where(s => s.IncludesBilling).GroupBy(s => s.Dimension))
                    {
                        Assert.Equal(f, dimension.Aggregate(Figures.Zero, (sum, s) => sum + s.Figures));
                        Assert.True(dimension.Count(s => s.Value == SegmentDimensions.Rounding) <= 1);
                    }

                    // Customers' shares add up to one, and the top customer's is the largest share.
                    if (view.Totals.Concentration.TopCustomers.Count > 0)
                    {
                        Assert.Equal(view.Totals.Concentration.LargestShare, view.Totals.Concentration.TopCustomers[0].Share);
                    }

                    previous = view;
                }
            },
            iter: 3);
    }

    [Fact]
    public void A_rounding_line_makes_the_segments_add_up_when_translated_parts_do_not()
    {
        // Three EUR segments of 0.01 each at 1.5: each translates to 0.02 (0.015 rounded away from zero), the whole to 0.05.
        var segments = new[] { "a", "b", "c" }.Select(v => new SegmentFigures(SegmentDimensions.Region, v, 1, new Figures { Backlog = 0.01m }, IncludesBilling: true)).ToList();
        var eur = Totals(Eur, new Figures { Backlog = 0.03m }) with { Segments = segments, Contracts = 3 };
        var rates = new FxRates(Usd, [new(D("2026-10-31"), Eur, 1.5m), new(D("2026-11-30"), Eur, 1.5m)]);

        var view = Consolidator.Of([eur], November, rates).View!;

        Assert.Equal(0.05m, view.Figures.Backlog);
        Assert.Equal([0.02m, 0.02m, 0.02m, -0.01m], view.Totals.Segments.Select(s => s.Figures.Backlog));
        Assert.Equal(SegmentDimensions.Rounding, view.Totals.Segments[^1].Value);
    }

    [Fact]
    public void Constant_currency_translates_this_period_at_last_years_rates_and_is_absent_without_them()
    {
        var eur = Totals(Eur, new Figures { OpeningBacklog = 1_000_000m, Backlog = 900_000m, Revenue = 100_000m });
        var thisYear = new FxRate[] { new(D("2026-10-31"), Eur, 1.05m), new(D("2026-11-30"), Eur, 1.10m) };
        var lastYear = new FxRate[] { new(D("2025-10-31"), Eur, 1.20m), new(D("2025-11-14"), Eur, 1.30m), new(D("2025-11-28"), Eur, 1.25m) };

        var view = Consolidator.Of([eur], November, new FxRates(Usd, [.. thisYear, .. lastYear])).View!;
        var without = Consolidator.Of([eur], November, new FxRates(Usd, thisYear)).View!;

        Assert.Equal((1_200_000.00m, 1_125_000.00m, 127_500.00m), (view.ConstantCurrency!.OpeningBacklog, view.ConstantCurrency.Backlog, view.ConstantCurrency.Revenue));
        Assert.Equal((990_000.00m, 110_000.00m), (view.Figures.Backlog, view.Figures.Revenue));
        Assert.Null(without.ConstantCurrency);
        Assert.Equal(
            [new MissingRate(Eur, RateKind.Closing, D("2025-11-30")), new MissingRate(Eur, RateKind.Average, D("2025-11-30")), new MissingRate(Eur, RateKind.Closing, D("2025-10-31"))],
            without.ConstantCurrencyMissing);
    }

    [Fact]
    public void A_quarter_sums_its_months_translated_flows_and_takes_the_last_months_balances()
    {
        var histories = Histories(new SampleSpec(40, 18, 7, new Period(2025, 6)));
        var rates = new FxRates(Usd, RandomPath(11, new Period(2024, 1).FirstDay, new Period(2026, 12).LastDay));
        var calculator = new SnapshotCalculator(SnapshotOptions.Default);
        var quarter = ReportingPeriod.QuarterOf(new Period(2026, 8), 1);
        var months = new List<Snapshot>();
        IReadOnlyDictionary<Currency, decimal>? opening = null;
        foreach (var month in quarter.Months)
        {
            var snapshot = calculator.ForPeriod(histories, month) with { Period = month };
            var consolidated = Consolidator.Of(snapshot, rates, opening);
            months.Add(snapshot with { Consolidated = consolidated });
            opening = consolidated.View!.Rates.ToDictionary(r => r.Currency, r => r.Closing);
        }

        var span = SnapshotSpan.Combine(quarter, months).Consolidated!.View!;
        var views = months.Select(m => m.Consolidated!.View!).ToList();

        Assert.Equal(views.Sum(v => v.Figures.Revenue), span.Figures.Revenue);
        Assert.Equal(views.Sum(v => v.Figures.Bookings), span.Figures.Bookings);
        Assert.Equal(views[^1].Figures.Backlog, span.Figures.Backlog);
        Assert.Equal(views[0].Figures.OpeningBacklog, span.Figures.OpeningBacklog);
        Assert.Equal(views.Sum(v => v.FxEffectBacklog), span.FxEffectBacklog);
        Assert.Equal(views[^1].Rates, span.Rates);
    }

    [Fact]
    public void A_quarter_with_a_month_missing_a_rate_is_missing_with_that_rate()
    {
        var eur = Totals(Eur, new Figures { Backlog = 1m });
        var rates = new FxRates(Usd, [new(D("2026-09-30"), Eur, 1.1m), new(D("2026-10-31"), Eur, 1.1m), new(D("2026-11-30"), Eur, 1.1m)]);
        var quarter = ReportingPeriod.QuarterOf(November, 1);
        var months = quarter.Months.Select(m => new Snapshot
        {
            AsOf = m.LastDay,
            OpeningDate = m.Previous.LastDay,
            Period = m,
            Options = SnapshotOptions.Default,
            Totals = [eur],
            Contracts = [],
            Consolidated = Consolidator.Of([eur], m, rates),
        }).ToList();

        var span = SnapshotSpan.Combine(quarter, months).Consolidated!;

        Assert.Null(span.View);
        Assert.Equal([new MissingRate(Eur, RateKind.Closing, D("2026-12-31")), new MissingRate(Eur, RateKind.Average, D("2026-12-31"))], span.MissingRates);
    }

    /// <summary>Business-day rates of EUR, JPY and KWD: a random walk with now and then a jump.</summary>
    private static IEnumerable<FxRate> RandomPath(int seed, DateOnly from, DateOnly to)
    {
        var random = new Random(seed);
        var (eur, jpy, kwd) = (1.10m, 0.0068m, 3.25m);
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
            {
                continue;
            }

            decimal Step(decimal rate) => rate * (1m + ((decimal)random.Next(-60, 61) / 10_000m) + (random.Next(200) == 0 ? 0.05m : 0m));
            (eur, jpy, kwd) = (Math.Round(Step(eur), 6), Math.Round(Step(jpy), 10), Math.Round(Step(kwd), 6));
            yield return new FxRate(day, Eur, eur);
            yield return new FxRate(day, Jpy, jpy);
            yield return new FxRate(day, Currency.Of("KWD"), kwd);
        }
    }

    private static List<ContractHistory> Histories(SampleSpec spec) =>
        [.. SampleGenerator.Generate(spec).GroupBy(e => e.ContractId).Select(g => ContractHistory.Create(g.Key, g))];

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
