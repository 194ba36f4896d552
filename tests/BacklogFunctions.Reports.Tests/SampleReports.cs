using System.Text;
using BacklogFunctions.Application.Reports;
using BacklogFunctions.Application.Presentation;
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

    public static ReportInput Input(int contracts, int months, int seed, Period period, int version = 1, int fiscalYearStartMonth = 1)
    {
        var events = SampleGenerator.Generate(new SampleSpec(contracts, months, seed, SampleSpec.DefaultStart));
        var histories = events.GroupBy(e => e.ContractId).Select(g => ContractHistory.Create(g.Key, g)).OrderBy(h => h.ContractId, StringComparer.Ordinal).ToList();
        var calculator = new SnapshotCalculator(SnapshotOptions.Default) { WithForecasts = true };
        var first = period.AddMonths(-ReportRenderer.EarlierMonths) < SampleSpec.DefaultStart ? SampleSpec.DefaultStart : period.AddMonths(-ReportRenderer.EarlierMonths);
        var series = calculator.Series(histories, first, period, includeContracts: true);
        var documents = series.Select(s => Stored(s with { Contracts = [], Waterfalls = calculator.Waterfall(histories, s.AsOf) })).ToList();
        var rows = series[^1].Contracts.Select(c => ContractSnapshotJson.Read(ContractSnapshotJson.Write(c))).ToList();
        var closedAt = new DateTimeOffset(period.Next.Year, period.Next.Month, 1, 2, 7, 0, TimeSpan.Zero);
        return new ReportInput(period, version, closedAt, SnapshotJson.ReadSnapshot(documents[^1]).ToSnapshot(), documents[^1], rows, documents[..^1].Select(d => SnapshotJson.ReadSnapshot(d).ToSnapshot()).ToList(), fiscalYearStartMonth);
    }

    private static byte[] Stored(Snapshot snapshot)
    {
        using var buffer = new MemoryStream();
        SnapshotJson.Write(buffer, snapshot);
        return buffer.ToArray();
    }

    public static string Text(byte[] utf8) => Encoding.UTF8.GetString(utf8);
}
