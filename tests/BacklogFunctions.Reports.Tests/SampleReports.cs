using System.Text;
using BacklogFunctions.Application.Close;
using BacklogFunctions.Application.Journal;
using BacklogFunctions.Application.Reports;
using BacklogFunctions.Application.Presentation;
using BacklogFunctions.Domain.Consolidation;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Recognition;
using BacklogFunctions.Domain.Snapshots;
using BacklogFunctions.Reports;
using BacklogFunctions.Sample;

namespace BacklogFunctions.Reports.Tests;

/// <summary>
/// Report inputs from a generated company, passed through the stored forms exactly as a close leaves them:
/// each month's document as JSON, each contract as its stored row.
/// </summary>
internal static class SampleReports
{
    private static readonly Lock FontLock = new();
    private static ReportFonts? _fonts;

    public static ReportFonts Fonts
    {
        get
        {
            lock (FontLock)
            {
                return _fonts ??= ReportFonts.Load();
            }
        }
    }

    /// <param name="rates">With rates, every month is consolidated into their reporting currency as a close with that setting would.</param>
    /// <param name="projectsAndUsage">With the sample's project and usage businesses (<see cref="SampleSpec.ProjectsAndUsage"/>).</param>
    public static ReportInput Input(int contracts, int months, int seed, Period period, int version = 1, int fiscalYearStartMonth = 1, FxRates? rates = null, bool projectsAndUsage = false)
    {
        var events = SampleGenerator.Generate(new SampleSpec(contracts, months, seed, SampleSpec.DefaultStart) { ProjectsAndUsage = projectsAndUsage });
        var histories = events.GroupBy(e => e.ContractId).Select(g => ContractHistory.Create(g.Key, g)).OrderBy(h => h.ContractId, StringComparer.Ordinal).ToList();
        var calculator = new SnapshotCalculator(SnapshotOptions.Default) { WithForecasts = true };
        var first = period.AddMonths(-ReportRenderer.EarlierMonths) < SampleSpec.DefaultStart ? SampleSpec.DefaultStart : period.AddMonths(-ReportRenderer.EarlierMonths);
        var series = calculator.Series(histories, first, period, includeContracts: true);
        var documents = series.Select(s => Stored(s with
        {
            Contracts = [],
            Waterfalls = calculator.Waterfall(histories, s.AsOf),
            Consolidated = rates is null ? null : Consolidator.Of(s, rates),
        })).ToList();
        var rows = series[^1].Contracts.Select(c => ContractSnapshotJson.Read(ContractSnapshotJson.Write(c))).ToList();
        var closedAt = new DateTimeOffset(period.Next.Year, period.Next.Month, 1, 2, 7, 0, TimeSpan.Zero);
        var opening = series.Count > 1 ? series[^2].Contracts.ToDictionary(c => c.ContractId, c => new ContractFigures(c.Currency, c.Figures), StringComparer.Ordinal) : [];
        return new ReportInput(period, version, closedAt, SnapshotJson.ReadSnapshot(documents[^1]).ToSnapshot(), documents[^1], rows, documents[..^1].Select(d => SnapshotJson.ReadSnapshot(d).ToSnapshot()).ToList(), fiscalYearStartMonth)
        {
            Journal = PeriodJournal.Of(period, version, series.Count > 1 ? 1 : null, SnapshotOptions.Default, rows, opening, JournalDetail.Contract),
        };
    }

    /// <summary>
    /// Business-day rates into USD of EUR, JPY and KWD from <paramref name="from"/> to <paramref name="to"/>: a walk of
    /// small steps from integer arithmetic only (the same rates on every machine), rounded as a rate file holds them.
    /// Days for which <paramref name="skip"/> says so get no rate.
    /// </summary>
    public static FxRates Rates(DateOnly from, DateOnly to, Func<FxRate, bool>? skip = null) =>
        new(Currency.USD, RatePath(from, to).Where(r => skip is null || !skip(r)));

    /// <summary>Rates for a report of <paramref name="period"/>: its months, the twelve before and the year before those (constant currency).</summary>
    public static FxRates RatesFor(Period period, Func<FxRate, bool>? skip = null) => Rates(period.AddMonths(-26).FirstDay, period.LastDay, skip);

    private static IEnumerable<FxRate> RatePath(DateOnly from, DateOnly to)
    {
        var (eur, jpy, kwd) = (1.08m, 0.0067m, 3.25m);
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
            {
                continue;
            }

            long n = day.DayNumber;
            decimal Step(decimal rate, int salt) => rate * (1m + (((((n * 7919) + (salt * 104729)) % 121) - 60) / 10_000m));
            (eur, jpy, kwd) = (Math.Round(Step(eur, 1), 6), Math.Round(Step(jpy, 2), 10), Math.Round(Step(kwd, 3), 6));
            yield return new FxRate(day, Currency.EUR, eur);
            yield return new FxRate(day, Currency.JPY, jpy);
            yield return new FxRate(day, Currency.KWD, kwd);
        }
    }

    private static byte[] Stored(Snapshot snapshot)
    {
        using var buffer = new MemoryStream();
        SnapshotJson.Write(buffer, snapshot);
        return buffer.ToArray();
    }

    public static string Text(byte[] utf8) => Encoding.UTF8.GetString(utf8);
}
