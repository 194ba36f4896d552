using BacklogFunctions.Domain.Alerts;
using BacklogFunctions.Domain.Consolidation;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Snapshots;
using CsCheck;

namespace BacklogFunctions.Domain.Tests.Alerts;

/// <summary>Targets against actuals (alerts.md, "Targets"): variance, variance % and what is n/a.</summary>
public class PlanVersusActualTests
{
    private static readonly Currency Eur = Currency.EUR;
    private static readonly Currency Usd = Currency.USD;

    private static CurrencyTotals Totals(Currency currency, Figures figures) => new()
    {
        Currency = currency,
        Contracts = 1,
        Figures = figures,
        BacklogAging = new Dictionary<BacklogAge, decimal>(),
        Concentration = Concentration.None,
        Segments = [],
    };

    [Theory]
    [InlineData("1000.00", "1100.00", "100.00", "0.1000")]
    [InlineData("1000.00", "950.00", "-50.00", "-0.0500")]
    [InlineData("3000.00", "1000.00", "-2000.00", "-0.6667")]
    [InlineData("0", "250.00", "250.00", null)] // variance % of a zero target is n/a
    [InlineData("1000.00", "1000.00", "0.00", "0.0000")]
    public void Variance_is_actual_minus_target_and_its_percent_is_over_the_absolute_target(string target, string actual, string variance, string? pct)
    {
        var result = new TargetResult("2026-11", Eur, TargetFigure.Revenue, decimal.Parse(target, System.Globalization.CultureInfo.InvariantCulture), decimal.Parse(actual, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(decimal.Parse(variance, System.Globalization.CultureInfo.InvariantCulture), result.Variance);
        Assert.Equal(pct is null ? null : decimal.Parse(pct, System.Globalization.CultureInfo.InvariantCulture), result.VariancePct);
    }

    [Fact]
    public void Each_figure_is_read_from_its_currency_and_the_reporting_currency_means_the_group()
    {
        var eur = Totals(Eur, new Figures { Revenue = 900m, Backlog = 12_000m, Bookings = 50m, Billings = 70m, Collections = 60m, DeferredRevenue = 40m, Arr = 10_000m });
        var group = new Consolidated(Usd, null, [new MissingRate(Eur, RateKind.Closing, new DateOnly(2026, 11, 30))]);
        Target[] targets =
        [
            new("2026-11", Eur, TargetFigure.Revenue, 1000m),
            new("2026-11", Eur, TargetFigure.Backlog, 10_000m),
            new("2026-11", Eur, TargetFigure.Arr, 10_000m),
            new("2026-12", Eur, TargetFigure.Revenue, 1000m), // another period: not this one's
            new("2026-11", Currency.JPY, TargetFigure.Revenue, 5000m), // no JPY contracts: actual 0
            new("2026-11", Usd, TargetFigure.Revenue, 2000m), // the group, lacking a rate: n/a
        ];

        var results = PlanVersusActual.Of(targets, "2026-11", [eur], group);

        Assert.Equal([900m, 12_000m, 10_000m, 0m, null], results.Select(r => r.Actual));
        Assert.Null(results[^1].Variance);
        Assert.Null(results[^1].VariancePct);
    }

    [Fact]
    public void Variance_adds_back_to_the_actual() =>
        Gen.Select(Gen.Decimal[0m, 10_000_000m], Gen.Decimal[-10_000_000m, 10_000_000m])
            .Sample((target, actual) =>
            {
                var result = new TargetResult("2026-11", Eur, TargetFigure.Bookings, Math.Round(target, 2), Math.Round(actual, 2));

                Assert.Equal(result.Actual, result.Target + result.Variance);
                if (result.Target != 0m)
                {
                    Assert.True(Math.Abs(result.VariancePct!.Value - (result.Variance!.Value / result.Target)) <= 0.00005m);
                }
            });
}
