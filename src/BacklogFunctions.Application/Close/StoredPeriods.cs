using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Application.Close;

/// <summary>A quarter or year built from the closed months it names, or the months that are not closed yet.</summary>
/// <param name="Snapshot">The span's snapshot; null when a month is not closed.</param>
/// <param name="Months">The version of each closed month it was built from, in month order.</param>
/// <param name="NotClosed">The months of the span that are not closed (empty when the snapshot is there).</param>
public sealed record StoredSpan(Snapshot? Snapshot, IReadOnlyList<ClosedPeriod> Months, IReadOnlyList<Period> NotClosed);

/// <summary>Answers about spans of closed months from what the closes stored: no event is replayed.</summary>
public sealed class StoredPeriods(ISnapshotQueries snapshots)
{
    /// <summary>
    /// The snapshot of <paramref name="span"/> from the latest closed version of each of its months (forward.md,
    /// "Quarters and years"); when a month is not closed, which ones.
    /// </summary>
    public async Task<StoredSpan> ReadSpanAsync(ReportingPeriod span, CancellationToken cancellationToken)
    {
        var closed = (await snapshots.ListClosedAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(c => c.Period);
        var months = span.Months.ToList();
        var missing = months.Where(m => !closed.ContainsKey(m)).ToList();
        if (missing.Count > 0)
        {
            return new StoredSpan(null, [.. months.Where(closed.ContainsKey).Select(m => closed[m])], missing);
        }

        var versions = months.Select(m => closed[m]).ToList();
        var snapshotsOfMonths = new List<Snapshot>(versions.Count);
        foreach (var version in versions)
        {
            var stored = await snapshots.ReadSnapshotDocumentAsync(version.Period, version.Version, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidDataException($"{version.Period} v{version.Version} is closed but has no snapshot document");
            snapshotsOfMonths.Add(stored.Document.ToSnapshot());
        }

        return new StoredSpan(SnapshotSpan.Combine(span, snapshotsOfMonths), versions, []);
    }
}
