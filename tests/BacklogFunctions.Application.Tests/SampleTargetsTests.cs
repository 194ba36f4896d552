using System.Globalization;
using BacklogFunctions.Application.Alerts;
using BacklogFunctions.Domain.Alerts;
using BacklogFunctions.Domain.Consolidation;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Recognition;
using BacklogFunctions.Domain.Snapshots;
using BacklogFunctions.Sample;

namespace BacklogFunctions.Application.Tests;

/// <summary>The sample company's target file: readable as an upload, deterministic, near the actuals, complete.</summary>
public sealed class SampleTargetsTests
{
    private static readonly SampleSpec Spec = new(120, 14, 11, new Period(2025, 1));

    private static string File(SampleSpec spec, bool consolidated = false, int fiscalYearStartMonth = 1)
    {
        var rates = consolidated ? new FxRates(SampleFxRates.Reporting, SampleFxRates.Generate(spec)) : null;
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        TargetFile.Write(writer, SampleTargets.Generate(spec, SampleGenerator.Generate(spec), rates, fiscalYearStartMonth));
        return writer.ToString();
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 1)]
    [InlineData(true, 7)]
    public void The_file_reads_as_an_upload(bool consolidated, int fiscalYearStartMonth)
    {
        var text = File(Spec, consolidated, fiscalYearStartMonth);

        var file = TargetFile.Parse(text, fiscalYearStartMonth);

        Assert.True(file.IsValid, string.Join("\n", file.Errors));
        Assert.Equal(text.Count(c => c == '\n') - 1, file.Rows.Count);
        Assert.StartsWith(TargetFile.Header + "\n2025-01,EUR,bookings,", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_seed_gives_the_same_file_and_another_seed_another()
    {
        Assert.Equal(File(Spec, consolidated: true), File(Spec, consolidated: true));
        Assert.NotEqual(File(Spec), File(Spec with { Seed = 12 }));
    }

    [Fact]
    public void Every_month_complete_quarter_and_year_has_every_currency_and_figure()
    {
        var targets = SampleTargets.Generate(Spec, SampleGenerator.Generate(Spec));

        var periods = targets.Select(t => t.Period).Distinct().ToList();
        var months = Enumerable.Range(0, Spec.Months).Select(i => Spec.Start.AddMonths(i).ToString()).ToList();
        Assert.Equal([.. months, "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "FY2025"], periods);
        Assert.Equal(["EUR", "JPY", "KWD", "USD"], targets.Select(t => t.Currency.Code).Distinct().Order(StringComparer.Ordinal));
        foreach (var period in periods)
        {
            foreach (var currency in new[] { "EUR", "JPY", "KWD", "USD" })
            {
                var figures = targets.Where(t => t.Period == period && t.Currency.Code == currency).Select(t => t.Figure).ToList();

                // Only a negative actual (net bookings of a month) goes without a target.
                Assert.Superset(TargetFigures.All.Where(f => f != TargetFigure.Bookings).ToHashSet(), figures.ToHashSet());
            }
        }
    }

    [Fact]
    public void Fiscal_quarters_and_years_follow_the_fiscal_year_start()
    {
        var targets = SampleTargets.Generate(Spec, SampleGenerator.Generate(Spec), fiscalYearStartMonth: 4);

        var spans = targets.Select(t => t.Period).Distinct().Where(p => p.StartsWith("FY", StringComparison.Ordinal)).ToList();
        Assert.Equal(["FY2025-Q4", "FY2026-Q1", "FY2026-Q2", "FY2026-Q3"], spans);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Each_target_is_three_to_twelve_percent_above_or_below_its_actual(bool consolidated)
    {
        var events = SampleGenerator.Generate(Spec);
        var rates = consolidated ? new FxRates(SampleFxRates.Reporting, SampleFxRates.Generate(Spec)) : null;
        var targets = SampleTargets.Generate(Spec, events, rates);
        var actuals = Actuals(events, rates);

        Assert.NotEmpty(targets);
        var above = 0;
        var moved = 0;
        foreach (var target in targets)
        {
            var actual = actuals[(target.Period, target.Currency.Code)];
            var value = TargetFigures.ValueOf(target.Figure, actual);
            Assert.True(value >= 0m, $"{target} has a negative actual");
            Assert.Equal(target.Currency.Round(target.Amount), target.Amount);
            if (value == 0m)
            {
                Assert.Equal(0m, target.Amount);
                continue;
            }

            // Rounded to the currency's minor unit: at most half of it beyond the band.
            var slack = 0.5m / (decimal)Math.Pow(10, target.Currency.MinorUnit);
            var deviation = Math.Abs(target.Amount - value);
            Assert.True(
                deviation >= (SampleTargets.MinDeviation * value) - slack && deviation <= (SampleTargets.MaxDeviation * value) + slack,
                $"{target}: actual {value}, off by {deviation}");
            above += target.Amount > value ? 1 : 0;
            moved++;
        }

        // Both ways: a plan a little above and a little below.
        Assert.InRange(above, moved / 4, moved * 3 / 4);
    }

    [Fact]
    public void With_rates_the_reporting_currency_rows_are_the_group_figures()
    {
        var events = SampleGenerator.Generate(Spec);
        var rates = new FxRates(SampleFxRates.Reporting, SampleFxRates.Generate(Spec));
        var own = SampleTargets.Generate(Spec, events).Single(t => t is { Period: "2025-06", Figure: TargetFigure.Backlog, Currency.Code: "USD" });
        var group = SampleTargets.Generate(Spec, events, rates).Single(t => t is { Period: "2025-06", Figure: TargetFigure.Backlog, Currency.Code: "USD" });

        // The group backlog holds every currency's, translated: well above the USD contracts' alone.
        Assert.True(group.Amount > own.Amount * 1.2m, $"group {group.Amount}, USD contracts {own.Amount}");
    }

    /// <summary>The actuals of every month, quarter and year, computed here as the close and the API do.</summary>
    private static Dictionary<(string Period, string Currency), Figures> Actuals(IReadOnlyList<Domain.Events.ContractEvent> events, FxRates? rates)
    {
        var contracts = events.GroupBy(e => e.ContractId, StringComparer.Ordinal).Select(g => ContractHistory.Create(g.Key, g)).ToList();
        var calculator = new SnapshotCalculator(SnapshotOptions.Default);
        var months = new List<Snapshot>();
        IReadOnlyDictionary<Currency, decimal>? opening = null;
        for (var i = 0; i < Spec.Months; i++)
        {
            var month = calculator.ForPeriod(contracts, Spec.Start.AddMonths(i));
            if (rates is not null)
            {
                var consolidated = Consolidator.Of(month, rates, opening);
                opening = consolidated.View!.Rates.ToDictionary(r => r.Currency, r => r.Closing);
                month = month with { Consolidated = consolidated };
            }

            months.Add(month with { Contracts = [] });
        }

        var spans = months.Select(m => (Name: m.Period!.Value.ToString(), Snapshot: m)).ToList();
        foreach (var name in new[] { "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "FY2025" })
        {
            var span = ReportingPeriod.Parse(name);
            spans.Add((name, SnapshotSpan.Combine(span, [.. months.Where(m => span.Months.Contains(m.Period!.Value))])));
        }

        var actuals = new Dictionary<(string, string), Figures>();
        foreach (var (name, snapshot) in spans)
        {
            foreach (var code in new[] { "EUR", "JPY", "KWD", "USD" })
            {
                actuals[(name, code)] = rates is not null && code == rates.Reporting.Code
                    ? snapshot.Consolidated!.View!.Totals.Figures
                    : snapshot.Totals.FirstOrDefault(t => t.Currency.Code == code)?.Figures ?? Figures.Zero;
            }
        }

        return actuals;
    }
}
