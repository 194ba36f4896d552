using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Domain.Journal;

/// <summary>The general-ledger accounts the journal posts to (journal.md); their names and codes are settings.</summary>
public enum Account
{
    AccountsReceivable,
    Revenue,
    DeferredRevenue,
    UnbilledReceivable,
    Cash,
}

/// <summary>Which movement a journal line posts (journal.md, "Journal entries of a period").</summary>
public enum JournalEntry
{
    Billings,
    Revenue,
    ContractPosition,
    Collections,
}

/// <summary>
/// One line of a journal: one account debited or credited (the other side zero, both never negative), the
/// movement it posts, whether it is a prior-period adjustment, and — at the contract detail level — the contract
/// and its dimensions.
/// </summary>
public sealed record JournalLine
{
    public required Currency Currency { get; init; }

    public required Account Account { get; init; }

    public required JournalEntry Entry { get; init; }

    public required decimal Debit { get; init; }

    public required decimal Credit { get; init; }

    /// <summary>Amounts dated before the period that arrived after the previous period was closed, posted now.</summary>
    public bool PriorPeriod { get; init; }

    /// <summary>The contract at the contract detail level; null in a summary journal.</summary>
    public ContractSnapshot? Contract { get; init; }

    /// <summary>Debit minus credit: the line's net movement of its account.</summary>
    public decimal Net => Debit - Credit;
}

/// <summary>Where each balance account stood at the end of a period (one contract's or one currency's).</summary>
public sealed record LedgerBalances(decimal BilledToDate, decimal RecognizedToDate, decimal CollectedToDate, decimal DeferredRevenue, decimal UnbilledReceivable)
{
    public static LedgerBalances Zero { get; } = new(0m, 0m, 0m, 0m, 0m);

    public static LedgerBalances Of(Figures f) => new(f.BilledToDate, f.RecognizedToDate, f.CollectedToDate, f.DeferredRevenue, f.UnbilledReceivable);

    /// <summary>Accounts receivable: billed but not collected.</summary>
    public decimal Receivables => BilledToDate - CollectedToDate;

    public static LedgerBalances operator +(LedgerBalances a, LedgerBalances b) => new(
        a.BilledToDate + b.BilledToDate,
        a.RecognizedToDate + b.RecognizedToDate,
        a.CollectedToDate + b.CollectedToDate,
        a.DeferredRevenue + b.DeferredRevenue,
        a.UnbilledReceivable + b.UnbilledReceivable);

    public static LedgerBalances Add(LedgerBalances a, LedgerBalances b) => a + b;
}

/// <summary>
/// What a journal must show of one currency (journal.md): both sides of each check, so a reader sees the numbers
/// and not only a verdict. <see cref="ReceivablesMovement"/> and <see cref="ReceivablesChange"/> are zero on the
/// collected basis (no receivable is posted).
/// </summary>
public sealed record JournalCheck(
    Currency Currency,
    decimal Debits,
    decimal Credits,
    decimal DeferredRevenueMovement,
    decimal DeferredRevenueChange,
    decimal UnbilledReceivableMovement,
    decimal UnbilledReceivableChange,
    decimal ReceivablesMovement,
    decimal ReceivablesChange,
    decimal RevenueLines,
    decimal Revenue)
{
    public bool Balances => Debits == Credits;

    public bool Ties => Balances && DeferredRevenueMovement == DeferredRevenueChange && UnbilledReceivableMovement == UnbilledReceivableChange &&
        ReceivablesMovement == ReceivablesChange && RevenueLines == Revenue;
}

/// <summary>
/// The journal entries of a closed period (journal.md): per contract, the movements between the previous period's
/// locked closing and this period's closing, as balanced lines. What was billed, recognized or collected in the
/// period is posted as such; what changed in the cumulative amounts beyond that — amounts dated before the period
/// that arrived after the previous one closed — is posted again as a prior-period adjustment with its own memo.
/// The deferred revenue and unbilled receivable lines post the whole change of each balance, so that every
/// journal balances to the cent by construction: deferred − unbilled changes by exactly billed − recognized
/// (collected − recognized on the collected basis).
/// </summary>
public static class Journal
{
    /// <summary>
    /// The lines of one contract: <paramref name="closing"/> is its snapshot of the period, <paramref name="opening"/>
    /// its balances as the previous closed version stored them (zero when that period did not know it).
    /// </summary>
    public static IReadOnlyList<JournalLine> Of(ContractSnapshot closing, LedgerBalances opening, DeferredBasis basis)
    {
        var f = closing.Figures;
        var lines = new List<JournalLine>(8);
        void Post(Account account, JournalEntry entry, decimal debit, bool priorPeriod = false)
        {
            if (debit != 0m)
            {
                lines.Add(new JournalLine
                {
                    Currency = closing.Currency,
                    Account = account,
                    Entry = entry,
                    Debit = debit > 0m ? debit : 0m,
                    Credit = debit < 0m ? -debit : 0m,
                    PriorPeriod = priorPeriod,
                    Contract = closing,
                });
            }
        }

        var billed = f.BilledToDate - opening.BilledToDate;
        var recognized = f.RecognizedToDate - opening.RecognizedToDate;
        var collected = f.CollectedToDate - opening.CollectedToDate;
        if (basis == DeferredBasis.Billed)
        {
            Post(Account.AccountsReceivable, JournalEntry.Billings, f.Billings);
            Post(Account.AccountsReceivable, JournalEntry.Billings, billed - f.Billings, priorPeriod: true);
        }

        Post(Account.Revenue, JournalEntry.Revenue, -f.Revenue);
        Post(Account.Revenue, JournalEntry.Revenue, -(recognized - f.Revenue), priorPeriod: true);
        Post(Account.DeferredRevenue, JournalEntry.ContractPosition, -(f.DeferredRevenue - opening.DeferredRevenue));
        Post(Account.UnbilledReceivable, JournalEntry.ContractPosition, f.UnbilledReceivable - opening.UnbilledReceivable);

        // Collections: cash against the receivable on the billed basis; on the collected basis cash is the contract position's other side.
        Post(Account.Cash, JournalEntry.Collections, f.Collections);
        Post(Account.Cash, JournalEntry.Collections, collected - f.Collections, priorPeriod: true);
        if (basis == DeferredBasis.Billed)
        {
            Post(Account.AccountsReceivable, JournalEntry.Collections, -f.Collections);
            Post(Account.AccountsReceivable, JournalEntry.Collections, -(collected - f.Collections), priorPeriod: true);
        }

        return lines;
    }

    /// <summary>
    /// The journal of a period at the contract detail level: every contract of <paramref name="closing"/> (in
    /// contract order), each against its balances in <paramref name="opening"/> (null: the previous period did
    /// not know it). A contract, once in a snapshot, stays in every later one, so no balance is left behind.
    /// </summary>
    public static IReadOnlyList<JournalLine> Of(IReadOnlyList<ContractSnapshot> closing, Func<string, LedgerBalances?> opening, DeferredBasis basis) =>
        [.. closing.OrderBy(c => c.ContractId, StringComparer.Ordinal).SelectMany(c => Of(c, opening(c.ContractId) ?? LedgerBalances.Zero, basis))];

    /// <summary>The summary journal: the contract lines added up per currency, account, entry and adjustment, in that order.</summary>
    public static IReadOnlyList<JournalLine> Summary(IEnumerable<JournalLine> lines) =>
        [.. lines
            .GroupBy(l => (l.Currency.Code, l.Account, l.Entry, l.PriorPeriod))
            .OrderBy(g => g.Key.Code, StringComparer.Ordinal)
            .ThenBy(g => g.Key.PriorPeriod)
            .ThenBy(g => g.Key.Entry)
            .ThenBy(g => g.Key.Account)
            .Select(g =>
            {
                var net = g.Sum(l => l.Net);
                var first = g.First();
                return first with { Debit = net > 0m ? net : 0m, Credit = net < 0m ? -net : 0m, Contract = null };
            })
            .Where(l => l.Net != 0m)];

    /// <summary>Σ debits and Σ credits per currency: equal in every journal.</summary>
    public static IReadOnlyDictionary<Currency, (decimal Debits, decimal Credits)> Totals(IEnumerable<JournalLine> lines) =>
        lines.GroupBy(l => l.Currency).ToDictionary(g => g.Key, g => (g.Sum(l => l.Debit), g.Sum(l => l.Credit)));

    /// <summary>The net movement (debit − credit) of one account in one currency.</summary>
    public static decimal Movement(IEnumerable<JournalLine> lines, Currency currency, Account account) =>
        lines.Where(l => l.Currency == currency && l.Account == account).Sum(l => l.Net);

    /// <summary>
    /// The checks of one currency's journal against the balances it moves between: deferred revenue credited by
    /// its increase, unbilled receivable and receivables debited by theirs, the revenue lines (adjustments aside)
    /// equal to the period's revenue.
    /// </summary>
    public static JournalCheck Check(IReadOnlyList<JournalLine> lines, Currency currency, LedgerBalances opening, LedgerBalances closing, decimal revenue, DeferredBasis basis)
    {
        var own = lines.Where(l => l.Currency == currency).ToList();
        var billed = basis == DeferredBasis.Billed;
        return new JournalCheck(
            currency,
            own.Sum(l => l.Debit),
            own.Sum(l => l.Credit),
            -Movement(own, currency, Account.DeferredRevenue),
            closing.DeferredRevenue - opening.DeferredRevenue,
            Movement(own, currency, Account.UnbilledReceivable),
            closing.UnbilledReceivable - opening.UnbilledReceivable,
            billed ? Movement(own, currency, Account.AccountsReceivable) : 0m,
            billed ? closing.Receivables - opening.Receivables : 0m,
            -Movement(own.Where(l => !l.PriorPeriod), currency, Account.Revenue),
            revenue);
    }

    /// <summary>The memo of a line, in the words an accountant reads in the ledger.</summary>
    public static string Memo(JournalLine line, Period period)
    {
        var what = line.Entry switch
        {
            JournalEntry.Billings => "Billings",
            JournalEntry.Revenue => "Revenue recognized",
            JournalEntry.Collections => "Collections",
            _ => line.Account == Account.DeferredRevenue ? "Change of deferred revenue" : "Change of unbilled receivable",
        };
        var memo = line.PriorPeriod
            ? $"Prior-period adjustment: {what.ToLowerInvariant()} dated before {period} that arrived after {period.Previous} was closed"
            : $"{what} {period}";
        return line.Contract is { } c ? $"{memo} · {c.ContractId} {c.Customer.Name}" : memo;
    }
}
