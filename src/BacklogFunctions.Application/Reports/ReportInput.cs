using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Application.Reports;

/// <summary>
/// Everything a report of one closed period version is rendered from, all of it as stored by the close: the
/// snapshot document (totals, roll-forwards, RPO, segments, waterfalls) and its raw bytes, the contract rows,
/// and the documents of earlier closed months (their latest versions) for trends and comparisons.
/// </summary>
public sealed record ReportInput(
    Period Period,
    int Version,
    DateTimeOffset ClosedAt,
    Snapshot Snapshot,
    byte[] SnapshotDocument,
    IReadOnlyList<ContractSnapshot> Contracts,
    IReadOnlyList<Snapshot> EarlierPeriods)
{
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
