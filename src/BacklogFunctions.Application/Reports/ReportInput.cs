using BacklogFunctions.Application.Alerts;
using BacklogFunctions.Domain.Alerts;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Application.Reports;

/// <summary>
/// Everything a report of one closed period version is rendered from, all of it as stored by the close: the
/// snapshot document (totals, roll-forwards, RPO, segments, waterfalls) and its raw bytes, the contract rows,
/// and the documents of earlier closed months (their latest versions) for trends and comparisons.
/// <see cref="FiscalYearStartMonth"/> (1-12) sets the quarters and the year the to-date figures run over.
/// </summary>
public sealed record ReportInput(
    Period Period,
    int Version,
    DateTimeOffset ClosedAt,
    Snapshot Snapshot,
    byte[] SnapshotDocument,
    IReadOnlyList<ContractSnapshot> Contracts,
    IReadOnlyList<Snapshot> EarlierPeriods,
    int FiscalYearStartMonth = 1)
{
    /// <summary>The version's journal at the contract detail level (journal.md); null when it was not computed (an empty journal file).</summary>
    public Journal.PeriodJournal? Journal { get; init; }

    /// <summary>The general-ledger accounts' names the journal files use.</summary>
    public Journal.JournalAccounts JournalAccounts { get; init; } = Application.Journal.JournalAccounts.Default;

    /// <summary>
    /// The target version the month's close compared with (the one its stored document names), for the targets of
    /// the quarter and fiscal year this month ends; null when it names none.
    /// </summary>
    public TargetVersion? Plan { get; init; }

    /// <summary>
    /// Plan against actual (alerts.md, "Targets"): the month's targets as the close stored them, then — when this
    /// month is the last month of its quarter (fiscal quarter) or fiscal year — that span's targets against the span
    /// built from the stored months, compared with <see cref="Plan"/>. A span with a month not closed has its
    /// targets with the actual n/a.
    /// </summary>
    public IReadOnlyList<TargetResult> PlanVersusActual()
    {
        var results = new List<TargetResult>(Snapshot.Targets);
        if (Plan is not { } plan)
        {
            return results;
        }

        foreach (var span in new[] { ReportingPeriod.QuarterOf(Period, FiscalYearStartMonth), ReportingPeriod.FiscalYearOf(Period, FiscalYearStartMonth) })
        {
            if (span.Last != Period)
            {
                continue;
            }

            results.AddRange(SnapshotOf(span) is { } snapshot
                ? PlanAndAlerts.ForSpan(snapshot, plan)
                : plan.Targets.Where(t => t.Period == span.Name).Select(t => new TargetResult(t.Period, t.Currency, t.Figure, t.Amount, null)));
        }

        return results;
    }

    /// <summary>From the first month of the period's quarter (a fiscal quarter when the year does not start in January) through the period.</summary>
    public ReportingPeriod QuarterToDate => ReportingPeriod.QuarterOf(Period, FiscalYearStartMonth).Through(Period);

    /// <summary>From the first month of the period's fiscal year through the period.</summary>
    public ReportingPeriod YearToDate => ReportingPeriod.FiscalYearOf(Period, FiscalYearStartMonth).Through(Period);

    /// <summary>
    /// The snapshot of a span that ends with this period, combined from the stored months (balances of this one,
    /// flows of all); null when a month of it is not closed.
    /// </summary>
    public Snapshot? SnapshotOf(ReportingPeriod span)
    {
        var months = new List<Snapshot>();
        foreach (var month in span.Months)
        {
            if ((month == Period ? Snapshot : Earlier(month)) is not { } snapshot)
            {
                return null;
            }

            months.Add(snapshot);
        }

        return SnapshotSpan.Combine(span, months);
    }

    /// <summary>The stored snapshot of an earlier month, when that month is closed.</summary>
    public Snapshot? Earlier(Period period) => EarlierPeriods.FirstOrDefault(s => s.Period == period);

    /// <summary>One currency's totals of a snapshot, when it has any.</summary>
    public static CurrencyTotals? TotalsOf(Snapshot? snapshot, Currency currency) =>
        snapshot?.Totals.FirstOrDefault(t => t.Currency == currency);
}

/// <summary>A rendered file of a report.</summary>
public sealed record ReportFile(string Name, string ContentType, byte[] Content)
{
    public string Sha256 => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Content));
}
