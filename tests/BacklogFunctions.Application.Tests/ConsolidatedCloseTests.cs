using BacklogFunctions.Application.Close;
using BacklogFunctions.Application.Consolidation;
using BacklogFunctions.Application.Presentation;
using BacklogFunctions.Domain.Consolidation;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Application.Tests;

/// <summary>
/// The close with a reporting currency (consolidation.md): every closed version stores its group figures and the
/// rates it used, equal to the engine's from the same events and rates, in one process or fanned out; a missing rate
/// leaves the currency figures as they are and names itself; a late rate changes nothing until a restatement.
/// </summary>
public sealed class ConsolidatedCloseTests
{
    private static readonly DateTimeOffset March2026 = new(2026, 3, 2, 6, 0, 0, TimeSpan.Zero);
    private static readonly Currency Usd = Currency.USD;

    [Fact]
    public async Task Every_closed_month_stores_the_engines_group_figures_and_the_months_chain()
    {
        var lines = UseCases.Sample();
        var rates = Path(seed: 3).ToList();
        var world = new UseCases(March2026, Usd);
        await world.IngestAsync(lines);
        await world.FxRates.AppendAsync(Usd, rates, March2026, CancellationToken.None);

        var result = await world.Closer.CloseDueAsync(CancellationToken.None);

        var offline = UseCases.Offline(lines);
        var calculator = new SnapshotCalculator(UseCases.Options) { WithForecasts = true };
        IReadOnlyDictionary<Currency, decimal>? opening = null;
        ConsolidatedView? previous = null;
        foreach (var closed in result.Closed)
        {
            var expected = Consolidator.Of(calculator.ForPeriod(offline, closed.Period), new FxRates(Usd, rates), opening).View!;
            var stored = (await world.DocumentAsync(closed.Period)).Consolidated!.View!;

            Assert.Equal(Amounts(expected.Figures), Amounts(stored.Figures));
            Assert.Equal(expected.FxEffectBacklog, stored.FxEffectBacklog);
            Assert.Equal(expected.Rates, stored.Rates);
            Assert.Equal(expected.Totals.Segments.Select(s => (s.Dimension, s.Value, s.Figures.Backlog)), stored.Totals.Segments.Select(s => (s.Dimension, s.Value, s.Figures.Backlog)));
            Assert.Equal(expected.Totals.Concentration, stored.Totals.Concentration with { TopCustomers = [.. stored.Totals.Concentration.TopCustomers] }, ConcentrationComparer.Instance);
            Assert.Equal(expected.ConstantCurrency is null ? null : Amounts(expected.ConstantCurrency), stored.ConstantCurrency is null ? null : Amounts(stored.ConstantCurrency));
            if (previous is not null)
            {
                Assert.Equal(previous.Figures.Backlog, stored.Figures.OpeningBacklog);
                Assert.Equal(previous.Figures.NetContractPosition, stored.Figures.OpeningNetContractPosition);
            }

            opening = expected.Rates.ToDictionary(r => r.Currency, r => r.Closing);
            previous = stored;
        }
    }

    [Theory]
    [InlineData(3, 5)]
    public async Task A_fanned_out_close_stores_the_same_group_figures(int shards, int seed)
    {
        var lines = UseCases.Sample();
        var rates = Path(seed).ToList();
        var one = new UseCases(March2026, Usd);
        var fanned = new UseCases(March2026, Usd);
        foreach (var world in new[] { one, fanned })
        {
            await world.IngestAsync(lines);
            await world.FxRates.AppendAsync(Usd, rates, March2026, CancellationToken.None);
        }

        var closed = (await one.Closer.CloseDueAsync(CancellationToken.None)).Closed;
        for (var i = 0; i < closed.Count; i++)
        {
            await fanned.Sharded.StartDueAsync(shards, CancellationToken.None);
            await fanned.DrainShardsAsync(new Random(seed + i));
        }

        foreach (var month in closed)
        {
            var expected = SnapshotJson.Write(SnapshotDocument.From((await one.DocumentAsync(month.Period)) with { Waterfalls = [] }) with { Totals = [] });
            var actual = SnapshotJson.Write(SnapshotDocument.From((await fanned.DocumentAsync(month.Period)) with { Waterfalls = [] }) with { Totals = [] });
            Assert.Equal(System.Text.Encoding.UTF8.GetString(expected), System.Text.Encoding.UTF8.GetString(actual));
        }
    }

    [Fact]
    public async Task A_missing_rate_leaves_the_currency_figures_and_names_the_currency_kind_and_day()
    {
        var lines = UseCases.Sample();
        var august = new Period(2025, 8);
        // No KWD rate from 20 August to the end of August: August lacks its closing rate, September its opening.
        var rates = Path(seed: 4).Where(r => !(r.Currency.Code == "KWD" && r.Date >= new DateOnly(2025, 8, 20) && r.Date <= august.LastDay)).ToList();
        var world = new UseCases(March2026, Usd);
        await world.IngestAsync(lines);
        await world.FxRates.AppendAsync(Usd, rates, March2026, CancellationToken.None);

        await world.Closer.CloseDueAsync(CancellationToken.None);

        var offline = UseCases.Offline(lines);
        var calculator = new SnapshotCalculator(UseCases.Options);
        var kwd = Currency.Of("KWD");
        var augustDocument = await world.DocumentAsync(august);
        Assert.Null(augustDocument.Consolidated!.View);
        Assert.Equal([new MissingRate(kwd, RateKind.Closing, august.LastDay)], augustDocument.Consolidated.MissingRates);
        Assert.Equal(UseCases.Figures(calculator.ForPeriod(offline, august, includeContracts: false)), UseCases.Figures(augustDocument));
        Assert.Equal([new MissingRate(kwd, RateKind.Closing, august.LastDay)], (await world.DocumentAsync(august.Next)).Consolidated!.MissingRates);
        Assert.NotNull((await world.DocumentAsync(august.Next.Next)).Consolidated!.View);
    }

    [Fact]
    public async Task A_late_rate_changes_nothing_until_a_restatement_whose_differences_include_the_group_figures()
    {
        var lines = UseCases.Sample();
        var june = new Period(2025, 6);
        var world = new UseCases(March2026, Usd);
        await world.IngestAsync(lines);
        await world.FxRates.AppendAsync(Usd, [.. Path(seed: 6)], March2026, CancellationToken.None);
        await world.Closer.CloseDueAsync(CancellationToken.None);
        var before = (await world.DocumentAsync(june)).Consolidated!.View!;

        // EUR's rate of 30 June corrected after the close: a later upload of the same date supersedes it.
        var corrected = new FxRate(june.LastDay, Currency.EUR, 1.5m);
        await world.FxRates.AppendAsync(Usd, [corrected], March2026.AddDays(1), CancellationToken.None);
        await world.Closer.CloseDueAsync(CancellationToken.None);
        Assert.Equal(Amounts(before.Figures), Amounts((await world.DocumentAsync(june)).Consolidated!.View!.Figures));

        var restated = (await world.Closer.RestateAsync(june, CancellationToken.None))!.Value;

        var after = (await world.DocumentAsync(june, 2)).Consolidated!.View!;
        Assert.Equal(2, restated.Closed.Version);
        Assert.Equal((1.5m, june.LastDay), after.Rates.Where(r => r.Currency == Currency.EUR).Select(r => (r.Closing, r.ClosingDate)).Single());
        var backlog = Assert.Single(restated.Differences, d => d.ContractId == GroupFigures.DifferencesKey && d.Figure == "backlog");
        Assert.Equal(("USD", before.Figures.Backlog, after.Figures.Backlog), (backlog.Currency, backlog.Before, backlog.After));
        Assert.Contains(restated.Differences, d => d.ContractId == GroupFigures.DifferencesKey && d.Figure == "fxEffectBacklog");
        Assert.DoesNotContain(restated.Differences, d => d.ContractId != GroupFigures.DifferencesKey);
        Assert.Equal(Amounts(before.Figures), Amounts((await world.DocumentAsync(june, 1)).Consolidated!.View!.Figures));
    }

    /// <summary>Business-day rates of EUR, JPY and KWD into USD from December 2024: a seeded random walk.</summary>
    private static IEnumerable<FxRate> Path(int seed)
    {
        var random = new Random(seed);
        var (eur, jpy, kwd) = (1.08m, 0.0066m, 3.25m);
        for (var day = new DateOnly(2024, 12, 1); day <= new DateOnly(2026, 3, 1); day = day.AddDays(1))
        {
            if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
            {
                continue;
            }

            decimal Step(decimal rate) => rate * (1m + ((decimal)random.Next(-50, 51) / 10_000m));
            (eur, jpy, kwd) = (Math.Round(Step(eur), 6), Math.Round(Step(jpy), 10), Math.Round(Step(kwd), 6));
            yield return new FxRate(day, Currency.EUR, eur);
            yield return new FxRate(day, Currency.JPY, jpy);
            yield return new FxRate(day, Currency.KWD, kwd);
        }
    }

    private static Dictionary<string, decimal> Amounts(Figures figures) =>
        FigureColumns.All.ToDictionary(c => c.Name, c => c.Value(figures), StringComparer.Ordinal);

    private sealed class ConcentrationComparer : IEqualityComparer<Concentration>
    {
        public static readonly ConcentrationComparer Instance = new();

        public bool Equals(Concentration? x, Concentration? y) =>
            x is not null && y is not null && x.Customers == y.Customers && x.LargestShare == y.LargestShare && x.Top10Share == y.Top10Share &&
            x.Herfindahl == y.Herfindahl && x.TopCustomers.SequenceEqual(y.TopCustomers);

        public int GetHashCode(Concentration obj) => obj.Customers;
    }
}
