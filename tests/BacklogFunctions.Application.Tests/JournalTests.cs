using BacklogFunctions.Application.Journal;
using BacklogFunctions.Domain.Journal;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Application.Tests;

/// <summary>
/// The journal of stored closes (journal.md): every closed month's journal balances and moves each balance account
/// from the version it opened from; a late invoice is posted in the month where it lands as a prior-period
/// adjustment, and a restatement's journal moves from the same opening.
/// </summary>
public sealed class JournalTests
{
    private static readonly DateTimeOffset March2026 = new(2026, 3, 2, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Every_stored_month_has_a_balanced_journal_that_moves_each_balance_by_its_change()
    {
        var world = new UseCases(March2026);
        await world.IngestAsync(UseCases.Sample());
        var closed = (await world.Closer.CloseDueAsync(CancellationToken.None)).Closed;
        var journals = new PeriodJournals(world.Snapshots);

        foreach (var month in closed)
        {
            var journal = (await journals.ReadAsync(month.Period, null, JournalDetail.Contract, CancellationToken.None))!;
            var document = await world.DocumentAsync(month.Period);
            var checks = journal.Checks(document.Totals.ToDictionary(t => t.Currency, t => t.Figures.Revenue));

            Assert.All(checks, c => Assert.True(c.Ties, $"{month.Period} {c}"));
            Assert.Equal(month.Period == closed[0].Period ? null : 1, journal.OpeningVersion);
            var summary = (await journals.ReadAsync(month.Period, null, JournalDetail.Summary, CancellationToken.None))!;
            foreach (var currency in journal.Closing.Keys)
            {
                foreach (var account in Enum.GetValues<Account>())
                {
                    Assert.Equal(Domain.Journal.Journal.Movement(journal.Lines, currency, account), Domain.Journal.Journal.Movement(summary.Lines, currency, account));
                }
            }

            // The same figures as the offline command's journal from the same events.
            var offline = PeriodJournals.Compute(UseCases.Offline(UseCases.Sample()), month.Period, UseCases.Options, JournalDetail.Summary);
            Assert.Equal(offline.Lines.Select(l => (l.Currency, l.Account, l.Entry, l.Debit, l.Credit)), summary.Lines.Select(l => (l.Currency, l.Account, l.Entry, l.Debit, l.Credit)));
        }

        Assert.Null(await journals.ReadAsync(new Period(2026, 3), null, JournalDetail.Summary, CancellationToken.None));
    }

    [Fact]
    public async Task A_late_invoice_is_a_prior_period_adjustment_of_the_month_where_it_lands()
    {
        var lines = UseCases.Sample();
        var world = new UseCases(March2026);
        await world.IngestAsync(lines);
        await world.Closer.CloseDueAsync(CancellationToken.None);
        var contract = UseCases.Offline(lines).First(c => c.Signing is { } s && s.Currency == Currency.USD && s.SignedDate < new DateOnly(2025, 6, 1));

        // An invoice dated in February 2026 arrives in March, after February closed.
        world.Clock.SetUtcNow(new DateTimeOffset(2026, 4, 2, 6, 0, 0, TimeSpan.Zero));
        await world.IngestAsync([$$$"""{"id":"late-j","type":"invoice.issued","source":"billing-late","occurredAt":"2026-03-10T09:00:00Z","contractId":"{{{contract.ContractId}}}","data":{"invoiceId":"INV-LATE-J","issueDate":"2026-02-20","amount":"555.00"}}"""]);
        await world.Closer.CloseDueAsync(CancellationToken.None);

        var march = (await new PeriodJournals(world.Snapshots).ReadAsync(new Period(2026, 3), null, JournalDetail.Contract, CancellationToken.None))!;
        var late = Assert.Single(march.Lines, l => l.PriorPeriod);
        Assert.Equal((Account.AccountsReceivable, JournalEntry.Billings, 555m, 0m, contract.ContractId), (late.Account, late.Entry, late.Debit, late.Credit, late.Contract!.ContractId));
        Assert.StartsWith("Prior-period adjustment: billings dated before 2026-03 that arrived after 2026-02 was closed", Domain.Journal.Journal.Memo(late, march.Period), StringComparison.Ordinal);
        var document = await world.DocumentAsync(new Period(2026, 3));
        Assert.All(march.Checks(document.Totals.ToDictionary(t => t.Currency, t => t.Figures.Revenue)), c => Assert.True(c.Ties, c.ToString()));

        // Restating February (later) moves its own journal from January; March's journal still opens from February v1.
        world.Clock.Advance(TimeSpan.FromHours(1));
        await world.Closer.RestateAsync(new Period(2026, 2), CancellationToken.None);
        var february2 = (await new PeriodJournals(world.Snapshots).ReadAsync(new Period(2026, 2), 2, JournalDetail.Summary, CancellationToken.None))!;
        Assert.Contains(february2.Lines, l => l.Currency == Currency.USD && l.Account == Account.AccountsReceivable && l.Entry == JournalEntry.Billings && !l.PriorPeriod);
        Assert.Equal(1, (await new PeriodJournals(world.Snapshots).ReadAsync(new Period(2026, 3), null, JournalDetail.Summary, CancellationToken.None))!.OpeningVersion);
    }
}
