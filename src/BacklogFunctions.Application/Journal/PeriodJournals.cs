using BacklogFunctions.Application.Close;
using BacklogFunctions.Domain.Journal;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Application.Journal;

/// <summary>How much of a journal: one line per currency, account and movement, or every contract's lines.</summary>
public enum JournalDetail
{
    Summary,
    Contract,
}

/// <summary>
/// The general-ledger accounts' names, codes included (<c>4000 Subscription revenue</c>): settings
/// <c>Journal:Accounts:*</c>, the plain names of journal.md by default.
/// </summary>
public sealed record JournalAccounts
{
    public static JournalAccounts Default { get; } = new();

    public string AccountsReceivable { get; init; } = "Accounts receivable";

    public string Revenue { get; init; } = "Revenue";

    public string DeferredRevenue { get; init; } = "Deferred revenue";

    public string UnbilledReceivable { get; init; } = "Unbilled receivable";

    public string Cash { get; init; } = "Cash";

    public string NameOf(Account account) => account switch
    {
        Account.AccountsReceivable => AccountsReceivable,
        Account.Revenue => Revenue,
        Account.DeferredRevenue => DeferredRevenue,
        Account.UnbilledReceivable => UnbilledReceivable,
        _ => Cash,
    };
}

/// <summary>The journal of one closed period version, at one detail level, with the version it opens from.</summary>
/// <param name="OpeningVersion">The version of the previous month whose closing the period opened from; null for the first month.</param>
public sealed record PeriodJournal(Period Period, int Version, int? OpeningVersion, JournalDetail Detail, SnapshotOptions Options, IReadOnlyList<JournalLine> Lines);

/// <summary>
/// Journals of closed periods from what the closes stored (journal.md): each contract's row of the version
/// against its row in the previous month's version that was the latest when this one closed — the closing it
/// opened from — so the balance accounts move by exactly the change between the two stored snapshots.
/// </summary>
public sealed class PeriodJournals(ISnapshotQueries snapshots)
{
    /// <summary>The journal of a closed version (the latest when <paramref name="version"/> is null); null when there is no such version.</summary>
    public async Task<PeriodJournal?> ReadAsync(Period period, int? version, JournalDetail detail, CancellationToken cancellationToken)
    {
        var versions = await snapshots.ListVersionsAsync(period, cancellationToken).ConfigureAwait(false);
        var closed = version is { } wanted ? versions.FirstOrDefault(v => v.Version == wanted) : versions.Count > 0 ? versions[^1] : null;
        if (closed is null)
        {
            return null;
        }

        var opening = (await snapshots.ListVersionsAsync(period.Previous, cancellationToken).ConfigureAwait(false))
            .Where(v => v.ClosedAt <= closed.ClosedAt)
            .MaxBy(v => v.Version);
        var contracts = await snapshots.ReadContractSnapshotsAsync(period, closed.Version, cancellationToken).ConfigureAwait(false);
        var before = opening is null
            ? new Dictionary<string, ContractFigures>()
            : await snapshots.ReadContractFiguresAsync(opening.Period, opening.Version, cancellationToken).ConfigureAwait(false);
        var lines = Domain.Journal.Journal.Of(contracts, id => before.TryGetValue(id, out var f) ? LedgerBalances.Of(f.Figures) : null, closed.Options.DeferredBasis);
        return new PeriodJournal(period, closed.Version, opening?.Version, detail, closed.Options, detail == JournalDetail.Summary ? Domain.Journal.Journal.Summary(lines) : lines);
    }

    /// <summary>The journal of a period computed from events (the offline command): the previous month computed the same way is its opening.</summary>
    public static PeriodJournal Compute(IReadOnlyList<Domain.Recognition.ContractHistory> contracts, Period period, SnapshotOptions options, JournalDetail detail)
    {
        var calculator = new SnapshotCalculator(options);
        var before = calculator.ForPeriod(contracts, period.Previous).Contracts.ToDictionary(c => c.ContractId, c => LedgerBalances.Of(c.Figures), StringComparer.Ordinal);
        var lines = Domain.Journal.Journal.Of(calculator.ForPeriod(contracts, period).Contracts, id => before.GetValueOrDefault(id), options.DeferredBasis);
        return new PeriodJournal(period, 0, null, detail, options, detail == JournalDetail.Summary ? Domain.Journal.Journal.Summary(lines) : lines);
    }
}
