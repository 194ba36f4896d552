using BacklogFunctions.Application.Close;
using BacklogFunctions.Application.Presentation;
using BacklogFunctions.Application.Reports;
using BacklogFunctions.Domain.Consolidation;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Recognition;
using BacklogFunctions.Domain.Snapshots;
using BacklogFunctions.Host;
using BacklogFunctions.Host.Reports;
using BacklogFunctions.Reports;
using BacklogFunctions.Sample;
using Microsoft.Extensions.Options;

namespace BacklogFunctions.Integration.Tests;

/// <summary>
/// The report page's group figures, from stored documents as a close with a reporting currency writes them: the
/// group table comes first with each month's headline figures and FX effects as stored, and a month whose rates
/// were missing says which; the currency tables follow as before. The page is rendered without storage.
/// </summary>
public sealed class ReportPageGroupTests
{
    private static readonly Period June = new(2025, 6);

    [Fact]
    public async Task The_group_figures_come_first_with_the_fx_effects_and_a_month_without_rates_says_which()
    {
        // No EUR rate after 20 June: June's EUR closing rate is missing; April and May have group figures.
        var documents = Documents(rate => !(rate.Currency == Currency.EUR && rate.Date > new DateOnly(2025, 6, 20)));
        var html = await RenderAsync(documents);

        var group = html.IndexOf("<section class=\"group\" data-group=\"USD\">", StringComparison.Ordinal);
        Assert.True(group > 0, "the page has the group figures");
        Assert.True(group < html.IndexOf("<h2>EUR <svg", StringComparison.Ordinal), "before the currency tables");
        var section = html[group..html.IndexOf("</section>", group, StringComparison.Ordinal)];
        Assert.Contains("<h2 id=\"group-USD\">Group figures in USD</h2>", section, StringComparison.Ordinal);

        foreach (var document in documents.Where(d => d.Consolidated!.MissingRates is null))
        {
            var period = document.Period!;
            var consolidated = document.Consolidated!;
            foreach (var figure in new[] { "backlog", "deferredRevenue", "revenue", "bookings", "arr" })
            {
                Assert.Contains(Cell(period, figure, consolidated.Figures[figure]!), section, StringComparison.Ordinal);
            }

            Assert.Contains(Cell(period, GroupView.FxEffectBacklog, consolidated.FxEffectBacklog!), section, StringComparison.Ordinal);
            Assert.Contains(Cell(period, GroupView.FxEffectNetContractPosition, consolidated.FxEffectNetContractPosition!), section, StringComparison.Ordinal);
        }

        Assert.Equal(2, documents.Count(d => d.Consolidated!.MissingRates is null));
        Assert.Contains($"<td class=\"text missing-rates\" colspan=\"7\" data-period=\"{June}\" data-group=\"USD\">Missing rates: EUR closing rate for 2025-06-30</td>", section, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-period=\"{June}\" data-group=\"USD\" data-figure=", section, StringComparison.Ordinal);
        Assert.True(section.IndexOf($"<tr data-period=\"{June}\">", StringComparison.Ordinal) < section.IndexOf($"<tr data-period=\"{June.Previous}\">", StringComparison.Ordinal), "newest first");
        Assert.DoesNotContain("data-currency", section, StringComparison.Ordinal);

        // The currency tables as before, each in its own currency.
        var may = documents.Single(d => d.Period == June.Previous.ToString());
        foreach (var totals in may.Totals)
        {
            var currency = Currency.Of(totals.Currency);
            Assert.Contains($"data-period=\"{June.Previous}\" data-currency=\"{currency.Code}\" data-figure=\"backlog\">{FinanceFormat.Money(StoredMoney.Parse(totals.Figures["backlog"]!), currency)}<", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Without_a_reporting_currency_the_page_has_no_group_figures()
    {
        var documents = Documents(skip: null).Select(d => d with { Consolidated = null }).ToList();
        var html = await RenderAsync(documents);

        Assert.DoesNotContain("class=\"group\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-group", html, StringComparison.Ordinal);
        Assert.Contains("Amounts per currency, never converted", html, StringComparison.Ordinal);
    }

    private static string Cell(string period, string figure, string stored) =>
        $"<td data-period=\"{period}\" data-group=\"USD\" data-figure=\"{figure}\" data-value=\"{stored}\">{FinanceFormat.Money(StoredMoney.Parse(stored), Currency.USD)}</td>";

    /// <summary>April to June 2025 as a close into USD stores them, from a generated company; <paramref name="skip"/> leaves rates out.</summary>
    private static List<SnapshotDocument> Documents(Func<FxRate, bool>? skip)
    {
        var events = SampleGenerator.Generate(new SampleSpec(40, 8, 77, new Period(2024, 11)));
        var histories = events.GroupBy(e => e.ContractId).Select(g => ContractHistory.Create(g.Key, g)).OrderBy(h => h.ContractId, StringComparer.Ordinal).ToList();
        var series = new SnapshotCalculator(SnapshotOptions.Default) { WithForecasts = true }.Series(histories, June.AddMonths(-2), June, includeContracts: true);
        var rates = new FxRates(Currency.USD, Rates(new DateOnly(2024, 1, 1), June.LastDay).Where(r => skip is null || skip(r)));
        return [.. series.Select(s => SnapshotDocument.From(s with { Contracts = [], Consolidated = Consolidator.Of(s, rates) }))];
    }

    /// <summary>Business-day rates of EUR, JPY and KWD into USD that move a little every day.</summary>
    private static IEnumerable<FxRate> Rates(DateOnly from, DateOnly to)
    {
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
            {
                continue;
            }

            var step = (day.DayNumber % 50) - 25;
            yield return new FxRate(day, Currency.EUR, 1.08m + (step / 1000m));
            yield return new FxRate(day, Currency.JPY, 0.0067m + (step / 1_000_000m));
            yield return new FxRate(day, Currency.KWD, 3.25m + (step / 500m));
        }
    }

    private static async Task<string> RenderAsync(IReadOnlyList<SnapshotDocument> documents)
    {
        var page = new ReportPage(new StoredMonths(documents), new NoReports(), Options.Create(new ReportsOptions()), TimeProvider.System);
        return await page.RenderAsync(PageAccess.Session, null, CancellationToken.None);
    }

    /// <summary>Closed months with their stored documents, version 1 each; nothing else is asked for.</summary>
    private sealed class StoredMonths(IReadOnlyList<SnapshotDocument> documents) : ISnapshotQueries
    {
        private readonly Dictionary<Period, SnapshotDocument> _byPeriod = documents.ToDictionary(d => Period.Parse(d.Period!));

        public Task<IReadOnlyList<ClosedPeriod>> ListClosedAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<ClosedPeriod>>([.. _byPeriod.Keys.Order().Select(p => new ClosedPeriod(p, 1, new DateTimeOffset(p.Next.FirstDay, TimeOnly.MinValue, TimeSpan.Zero), 40, 400, SnapshotOptions.Default))]);

        public Task<StoredSnapshot?> ReadSnapshotDocumentAsync(Period period, int version, CancellationToken cancellationToken) =>
            Task.FromResult(_byPeriod.TryGetValue(period, out var document) ? new StoredSnapshot(document, SnapshotJson.Write(document)) : null);

        public Task<ClosedPeriod?> FindClosedAsync(Period period, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<ClosedPeriod>> ListVersionsAsync(Period period, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<ContractSnapshot>> ReadContractSnapshotsAsync(Period period, int version, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyDictionary<string, LockedClosing>> ReadLockedClosingsAsync(Period period, int version, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyDictionary<string, ContractFigures>> ReadContractFiguresAsync(Period period, int version, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<FigureDifference>?> ReadDifferencesAsync(Period period, int version, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ContractRow?> ReadContractAsync(Period period, int version, string contractId, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    /// <summary>No report published yet: the page offers "Render now".</summary>
    private sealed class NoReports : IReportStore
    {
        public Task<IReadOnlyList<(Period Period, int Version)>> ListAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<(Period, int)>>([]);

        public Task WriteFileAsync(Period period, int version, ReportFile file, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task WriteManifestAsync(ReportManifest manifest, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ReportManifest?> ReadManifestAsync(Period period, int version, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<ReportLink>> LinksAsync(Period period, int version, IEnumerable<string> names, TimeSpan lifetime, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
