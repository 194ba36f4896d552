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
/// <param name="Opening">Each currency's balances the journal moves from (the opening version's contract rows, summed).</param>
/// <param name="Closing">Each currency's balances it moves to (this version's contract rows, summed).</param>
public sealed record PeriodJournal(
    Period Period,
    int Version,
    int? OpeningVersion,
    JournalDetail Detail,
    SnapshotOptions Options,
    IReadOnlyList<JournalLine> Lines,
    IReadOnlyDictionary<Currency, LedgerBalances> Opening,
    IReadOnlyDictionary<Currency, LedgerBalances> Closing)
{
    /// <summary>
    /// The journal of <paramref name="contracts"/> (a period's contract snapshots) against <paramref name="opening"/>
    /// (each contract's stored balances of the previous period, with its currency; a contract not in it opens at zero).
    /// </summary>
    public static PeriodJournal Of(Period period, int version, int? openingVersion, SnapshotOptions options, IReadOnlyList<ContractSnapshot> contracts, IReadOnlyDictionary<string, ContractFigures> opening, JournalDetail detail)
    {
        var lines = Domain.Journal.Journal.Of(contracts, id => opening.TryGetValue(id, out var f) ? LedgerBalances.Of(f.Figures) : null, options.DeferredBasis);
        return new PeriodJournal(
            period,
            version,
            openingVersion,
            detail,
            options,
            detail == JournalDetail.Summary ? Domain.Journal.Journal.Summary(lines) : lines,
            Sum(opening.Values.Select(f => (f.Currency, LedgerBalances.Of(f.Figures)))),
            Sum(contracts.Select(c => (c.Currency, LedgerBalances.Of(c.Figures)))));
    }

    /// <summary>The same journal at the other detail level (the contract lines netted into the summary).</summary>
    public PeriodJournal AsSummary() => Detail == JournalDetail.Summary ? this : this with { Detail = JournalDetail.Summary, Lines = Domain.Journal.Journal.Summary(Lines) };

    /// <summary>The checks of each currency, in currency order: balanced, balance accounts moved by their change, revenue lines = revenue.</summary>
    public IReadOnlyList<JournalCheck> Checks(IReadOnlyDictionary<Currency, decimal> revenue) =>
        [.. Closing.Keys.Union(Opening.Keys).OrderBy(c => c.Code, StringComparer.Ordinal).Select(c => Domain.Journal.Journal.Check(
            Lines,
            c,
            Opening.GetValueOrDefault(c) ?? LedgerBalances.Zero,
            Closing.GetValueOrDefault(c) ?? LedgerBalances.Zero,
            revenue.GetValueOrDefault(c),
            Options.DeferredBasis))];

    private static Dictionary<Currency, LedgerBalances> Sum(IEnumerable<(Currency Currency, LedgerBalances Balances)> parts)
    {
        var sums = new Dictionary<Currency, LedgerBalances>();
        foreach (var (currency, balances) in parts)
        {
            sums[currency] = sums.TryGetValue(currency, out var known) ? known + balances : balances;
        }

        return sums;
    }
}

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

        var contracts = await snapshots.ReadContractSnapshotsAsync(period, closed.Version, cancellationToken).ConfigureAwait(false);
        return await OfAsync(closed, contracts, detail, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The journal of a closed version whose contract rows are read already (report rendering).</summary>
    public async Task<PeriodJournal> OfAsync(ClosedPeriod closed, IReadOnlyList<ContractSnapshot> contracts, JournalDetail detail, CancellationToken cancellationToken)
    {
        var opening = (await snapshots.ListVersionsAsync(closed.Period.Previous, cancellationToken).ConfigureAwait(false))
            .Where(v => v.ClosedAt <= closed.ClosedAt)
            .MaxBy(v => v.Version);
        var before = opening is null
            ? new Dictionary<string, ContractFigures>()
            : await snapshots.ReadContractFiguresAsync(opening.Period, opening.Version, cancellationToken).ConfigureAwait(false);
        return PeriodJournal.Of(closed.Period, closed.Version, opening?.Version, closed.Options, contracts, before, detail);
    }

    /// <summary>The journal of a period computed from events (the offline command): the previous month computed the same way is its opening.</summary>
    public static PeriodJournal Compute(IReadOnlyList<Domain.Recognition.ContractHistory> contracts, Period period, SnapshotOptions options, JournalDetail detail)
    {
        var calculator = new SnapshotCalculator(options);
        var before = calculator.ForPeriod(contracts, period.Previous).Contracts.ToDictionary(c => c.ContractId, c => new ContractFigures(c.Currency, c.Figures), StringComparer.Ordinal);
        return PeriodJournal.Of(period, 0, null, options, calculator.ForPeriod(contracts, period).Contracts, before, detail);
    }
}
