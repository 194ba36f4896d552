using System.Globalization;
using BacklogFunctions.Application.Consolidation;
using BacklogFunctions.Domain.Consolidation;
using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Sample;

namespace BacklogFunctions.Application.Tests;

/// <summary>The sample company's rate file: deterministic, business days only, readable as an upload, covering its months.</summary>
public sealed class SampleFxRatesTests
{
    private static readonly SampleSpec Spec = new(300, 36, 7, SampleSpec.DefaultStart);

    private static string File(SampleSpec spec)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        FxRateFile.Write(writer, SampleFxRates.Generate(spec));
        return writer.ToString();
    }

    [Fact]
    public void The_same_seed_gives_the_same_file_and_the_number_of_contracts_does_not_change_it()
    {
        Assert.Equal(File(Spec), File(Spec));
        Assert.Equal(File(Spec), File(Spec with { Contracts = 5 }));
        Assert.NotEqual(File(Spec), File(Spec with { Seed = 8 }));
    }

    [Theory]
    [InlineData(7, 36, 2024, 1)]
    [InlineData(515, 24, 2024, 1)]
    [InlineData(99, 12, 2025, 1)]
    [InlineData(3, 1, 2026, 2)]
    public void The_file_reads_as_an_upload_and_gives_every_month_its_closing_and_average_rates(int seed, int months, int year, int month)
    {
        var spec = new SampleSpec(100, months, seed, new Period(year, month));

        var file = FxRateFile.Parse(File(spec), SampleFxRates.Reporting);

        Assert.True(file.IsValid, string.Join("; ", file.Errors.Take(5)));
        Assert.All(file.Rows, r => Assert.True(r.Date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday), $"{r.Date} is a weekend"));
        Assert.Equal(SampleFxRates.Currencies, file.Rows.Select(r => r.Currency).Distinct());
        var first = file.Rows.Min(r => r.Date);
        Assert.Equal((spec.Start.AddMonths(-1), true), (new Period(first.Year, first.Month), first.Day <= 3));
        Assert.True(spec.LastDay.DayNumber - file.Rows.Max(r => r.Date).DayNumber <= 2, "the last business day of the span has rates");

        // Every month of the sample, and the month before it (the first month's opening), can be translated.
        var rates = new FxRates(SampleFxRates.Reporting, file.Rows);
        for (var period = spec.Start.AddMonths(-1); period <= spec.Start.AddMonths(months - 1); period = period.Next)
        {
            foreach (var currency in SampleFxRates.Currencies)
            {
                var closing = rates.Closing(currency, period.LastDay);
                Assert.True(closing is not null, $"{currency} has no closing rate for {period}");
                Assert.True(period.LastDay.DayNumber - closing!.Value.Date.DayNumber <= 2, $"{currency} {period}: closing rate of {closing.Value.Date}");
                Assert.NotNull(rates.Average(currency, period));
            }
        }
    }

    [Fact]
    public void The_currencies_are_those_of_the_sample_companys_contracts_other_than_usd()
    {
        var used = SampleGenerator.Generate(Spec).OfType<ContractSigned>().Select(s => s.Currency).Distinct().Where(c => c != Currency.USD).OrderBy(c => c.Code, StringComparer.Ordinal);

        Assert.Equal(SampleFxRates.Currencies.OrderBy(c => c.Code, StringComparer.Ordinal), used);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(42)]
    [InlineData(515)]
    [InlineData(2024)]
    public void Levels_are_realistic_days_move_a_little_and_two_or_three_days_jump(int seed)
    {
        var rates = SampleFxRates.Generate(Spec with { Seed = seed });

        (decimal Low, decimal High, int Decimals)[] expected = [(1.05m, 1.20m, 4), (0.0062m, 0.0075m, 10), (3.23m, 3.28m, 4)];
        var jumps = 0;
        foreach (var (currency, (low, high, decimals)) in SampleFxRates.Currencies.Zip(expected))
        {
            var series = rates.Where(r => r.Currency == currency).Select(r => r.Rate).ToList();
            Assert.All(series, r => Assert.InRange(r, low, high));
            Assert.All(series, r => Assert.Equal(r, Math.Round(r, decimals)));
            var moves = series.Zip(series.Skip(1), (a, b) => Math.Abs((b / a) - 1m)).ToList();
            jumps += moves.Count(m => m > 0.015m);
            Assert.All(moves.Where(m => m <= 0.015m), m => Assert.True(m < 0.01m, $"{currency}: a daily move of {m:P2}"));
            Assert.True(series.Max() - series.Min() > 0m, $"{currency} never moves");
        }

        Assert.InRange(jumps, 2, 3);
    }
}
