using BacklogFunctions.Domain.Journal;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Recognition;
using BacklogFunctions.Domain.Snapshots;
using BacklogFunctions.Sample;
using CsCheck;
using JournalOf = BacklogFunctions.Domain.Journal.Journal;

namespace BacklogFunctions.Domain.Tests.Journal;

/// <summary>The journal entries of journal.md: balanced by construction, movements equal to the balances' changes.</summary>
public class JournalTests
{
    private static readonly Period November = new(2026, 11);

    [Theory]
    // name, opening billed/recognized/collected/deferred/unbilled, closing the same, flows billings/revenue/collections,
    // expected AR, revenue, deferred, unbilled, cash net movements
    [InlineData("invoice ahead of service: deferred up", "0,0,0,0,0", "1200,100,0,1100,0", "1200,100,0", "1200,-100,-1100,0,0")]
    [InlineData("revenue ahead of billing: unbilled up", "0,0,0,0,0", "0,300,0,0,300", "0,300,0", "0,-300,0,300,0")]
    [InlineData("asset to liability in one month", "100,400,0,0,300", "1000,500,0,500,0", "900,100,0", "900,-100,-500,-300,0")]
    [InlineData("credit note", "1000,200,0,800,0", "700,300,0,400,0", "-300,100,0", "-300,-100,400,0,0")]
    [InlineData("collection and refund", "1000,200,1000,800,0", "1000,300,900,700,0", "0,100,-100", "100,-100,100,0,-100")]
    [InlineData("cancellation reverses revenue", "1000,600,1000,400,0", "1000,500,1000,500,0", "0,-100,0", "0,100,-100,0,0")]
    public void Each_movement_posts_to_its_accounts_and_the_journal_balances(string name, string opening, string closing, string flows, string expected)
    {
        _ = name;
        var (open, close, (billings, revenue, collections)) = (Balances(opening), Balances(closing), Three(flows));
        var contract = Contract(close, billings, revenue, collections);

        var lines = JournalOf.Of(contract, open, DeferredBasis.Billed);

        var e = Numbers(expected);
        Assert.Equal(e, new[] { Account.AccountsReceivable, Account.Revenue, Account.DeferredRevenue, Account.UnbilledReceivable, Account.Cash }.Select(a => JournalOf.Movement(lines, Currency.USD, a)).ToArray());
        Assert.Equal(lines.Sum(l => l.Debit), lines.Sum(l => l.Credit));
        Assert.All(lines, l => Assert.True((l.Debit == 0m) != (l.Credit == 0m) && l.Debit >= 0m && l.Credit >= 0m));
        Assert.DoesNotContain(lines, l => l.PriorPeriod);
    }

    [Fact]
    public void What_arrived_late_for_an_earlier_period_is_posted_now_as_a_prior_period_adjustment()
    {
        // The previous close stored billed 1,000; an invoice of 200 dated in October arrived in November, plus 300 billed in November.
        var opening = new LedgerBalances(1000m, 400m, 0m, 600m, 0m);
        var contract = Contract(new LedgerBalances(1500m, 500m, 0m, 1000m, 0m), billings: 300m, revenue: 100m, collections: 0m);

        var lines = JournalOf.Of(contract, opening, DeferredBasis.Billed);

        var late = Assert.Single(lines, l => l.PriorPeriod);
        Assert.Equal((Account.AccountsReceivable, 200m, 0m), (late.Account, late.Debit, late.Credit));
        Assert.Equal("Prior-period adjustment: billings dated before 2026-11 that arrived after 2026-10 was closed · C-1 Contoso", JournalOf.Memo(late, November));
        Assert.Equal(400m, -JournalOf.Movement(lines, Currency.USD, Account.DeferredRevenue));
        Assert.Equal(lines.Sum(l => l.Debit), lines.Sum(l => l.Credit));
    }

    [Fact]
    public void On_the_collected_basis_cash_stands_for_the_receivable_and_there_are_no_billing_lines()
    {
        var contract = Contract(new LedgerBalances(1000m, 300m, 800m, 500m, 0m), billings: 1000m, revenue: 300m, collections: 800m);

        var lines = JournalOf.Of(contract, LedgerBalances.Zero, DeferredBasis.Collected);

        Assert.DoesNotContain(lines, l => l.Account == Account.AccountsReceivable);
        Assert.Equal((800m, -300m, -500m), (JournalOf.Movement(lines, Currency.USD, Account.Cash), JournalOf.Movement(lines, Currency.USD, Account.Revenue), JournalOf.Movement(lines, Currency.USD, Account.DeferredRevenue)));
    }

    [Fact]
    public void Every_journal_of_36_months_balances_and_moves_each_balance_account_by_its_change()
    {
        Gen.Int[1, 1_000_000].Sample(
            seed =>
            {
                var start = new Period(2023, 1);
                var histories = SampleGenerator.Generate(new SampleSpec(40, 36, seed, start)).GroupBy(e => e.ContractId).Select(g => ContractHistory.Create(g.Key, g)).ToList();
                foreach (var basis in new[] { DeferredBasis.Billed, DeferredBasis.Collected })
                {
                    var calculator = new SnapshotCalculator(SnapshotOptions.Default with { DeferredBasis = basis });
                    Snapshot? previous = null;
                    for (var month = start; month <= start.AddMonths(35); month = month.Next)
                    {
                        var snapshot = calculator.ForPeriod(histories, month);
                        var before = previous?.Contracts.ToDictionary(c => c.ContractId, c => LedgerBalances.Of(c.Figures)) ?? [];
                        var lines = JournalOf.Of(snapshot.Contracts, id => before.GetValueOrDefault(id), basis);
                        var summary = JournalOf.Summary(lines);

                        foreach (var total in snapshot.Totals)
                        {
                            var c = total.Currency;
                            var f = total.Figures;
                            var was = previous?.Totals.FirstOrDefault(t => t.Currency == c)?.Figures ?? Figures.Zero;
                            var (debits, credits) = JournalOf.Totals(lines).GetValueOrDefault(c);
                            Assert.Equal(debits, credits);
                            var (summaryDebits, summaryCredits) = JournalOf.Totals(summary).GetValueOrDefault(c);
                            Assert.Equal(summaryDebits, summaryCredits);
                            Assert.Equal(f.DeferredRevenue - was.DeferredRevenue, -JournalOf.Movement(summary, c, Account.DeferredRevenue));
                            Assert.Equal(f.UnbilledReceivable - was.UnbilledReceivable, JournalOf.Movement(summary, c, Account.UnbilledReceivable));
                            Assert.Equal(-f.Revenue, JournalOf.Movement(summary.Where(l => !l.PriorPeriod), c, Account.Revenue));
                            if (basis == DeferredBasis.Billed)
                            {
                                Assert.Equal(f.Receivables - was.Receivables, JournalOf.Movement(summary, c, Account.AccountsReceivable));
                            }

                            foreach (var account in Enum.GetValues<Account>())
                            {
                                Assert.Equal(JournalOf.Movement(lines, c, account), JournalOf.Movement(summary, c, account));
                            }
                        }

                        Assert.DoesNotContain(lines, l => l.PriorPeriod);
                        previous = snapshot;
                    }
                }
            },
            iter: 3);
    }

    private static ContractSnapshot Contract(LedgerBalances closing, decimal billings, decimal revenue, decimal collections) => new()
    {
        ContractId = "C-1",
        Currency = Currency.USD,
        Customer = new Domain.Events.Customer("CUST-1", "Contoso", null, null),
        Attributes = new Dictionary<string, string>(),
        SignedDate = new DateOnly(2026, 1, 1),
        IsSigned = true,
        TermLength = TermLength.UpTo12Months,
        BacklogAge = BacklogAge.Days0To90,
        Lines = [],
        Figures = new Figures
        {
            BilledToDate = closing.BilledToDate,
            RecognizedToDate = closing.RecognizedToDate,
            CollectedToDate = closing.CollectedToDate,
            DeferredRevenue = closing.DeferredRevenue,
            UnbilledReceivable = closing.UnbilledReceivable,
            Billings = billings,
            Revenue = revenue,
            Collections = collections,
        },
    };

    private static LedgerBalances Balances(string text)
    {
        var n = Numbers(text);
        return new LedgerBalances(n[0], n[1], n[2], n[3], n[4]);
    }

    private static (decimal, decimal, decimal) Three(string text)
    {
        var n = Numbers(text);
        return (n[0], n[1], n[2]);
    }

    private static decimal[] Numbers(string text) => [.. text.Split(',').Select(t => decimal.Parse(t, System.Globalization.CultureInfo.InvariantCulture))];
}
