using BacklogFunctions.Domain.Forward;
using BacklogFunctions.Domain.Recognition;
using BacklogFunctions.Domain.Snapshots;
using BacklogFunctions.Sample;
using CsCheck;

namespace BacklogFunctions.Domain.Tests.Properties;

/// <summary>
/// The identities of forward.md over generated companies (billing plans, payment terms, late payers, credit
/// notes, refunds, amendments and cancellations): for every contract, every month end for 36 months, against the
/// snapshot the close computes.
/// </summary>
public class ForwardInvariantTests
{
    private const int Months = 36;

    [Fact]
    public void Every_forward_identity_holds_for_every_contract_every_month()
    {
        Gen.Select(Gen.Int[1, 1_000_000], Gen.Enum<ProrationPolicy>()).Sample(
            c =>
            {
                var (seed, proration) = c;
                var first = SampleSpec.DefaultStart;
                var events = SampleGenerator.Generate(new SampleSpec(30, Months, seed, first));
                var histories = events.GroupBy(e => e.ContractId).Select(g => ContractHistory.Create(g.Key, g)).ToList();
                var series = new SnapshotCalculator(new SnapshotOptions { Proration = proration }).Series(histories, first, first.AddMonths(Months - 1), includeContracts: true);
                var byId = histories.ToDictionary(h => h.ContractId, StringComparer.Ordinal);
                var seen = new HashSet<string>(StringComparer.Ordinal);

                foreach (var snapshot in series)
                {
                    foreach (var contract in snapshot.Contracts.Where(x => x.IsSigned))
                    {
                        var f = ContractForward.Of(byId[contract.ContractId], snapshot.AsOf, proration);
                        var figures = contract.Figures;
                        var at = $"{contract.ContractId} {snapshot.AsOf}";

                        // Backlog split, per contract.
                        Assert.True(figures.Backlog == f.NotYetBilled + f.BilledNotEarned, at);
                        Assert.True(figures.Tcv - figures.BilledToDate == f.NotYetBilled, at);

                        // Not yet billed = overdue billing + Σ forecast + unscheduled.
                        Assert.True(f.NotYetBilled == f.OverdueBilling + f.BillingsForecast.Total + f.UnscheduledBilling, at);
                        Assert.True(f.OverdueBilling >= 0m && f.BillingsForecast.Months.All(m => m >= 0m) && f.BillingsForecast.Later >= 0m, at);
                        Assert.True(f.NotYetBilled <= 0m ? f.OverdueBilling == 0m && f.BillingsForecast.Total == 0m : f.UnscheduledBilling >= 0m, at);

                        // Receivables = billed − collected = Σ open balances − unapplied credits = Σ aging − unapplied.
                        Assert.True(f.Receivables == figures.BilledToDate - figures.CollectedToDate, at);
                        Assert.True(f.Receivables == f.OpenInvoices.Sum(i => i.OpenBalance) - f.UnappliedCredits, at);
                        Assert.True(f.Receivables == f.Aging.Total - f.UnappliedCredits, at);

                        // Σ collections forecast = Σ open balances + overdue billing + Σ billings forecast.
                        Assert.True(f.CollectionsOverdue + f.CollectionsForecast.Total == f.OpenInvoices.Sum(i => i.OpenBalance) + f.OverdueBilling + f.BillingsForecast.Total, at);

                        Assert.True(f.Arr >= 0m && f.OverdueDeliveries.All(d => d.DaysLate > 0), at);
                        Assert.True(f.OverdueBacklog <= figures.Backlog || figures.Backlog < 0m, at);
                        Note(seen, f);
                    }
                }

                // The company exercises every path: the identities were not checked on zeros only. (Its customers
                // never pay more than they are invoiced: unapplied credits have their own rule test.)
                string[] paths = ["forecast", "overdue billing", "ahead of plan", "unscheduled", "open invoice", "past due", "late work", "arr"];
                Assert.True(paths.All(seen.Contains), "not exercised: " + string.Join(", ", paths.Where(p => !seen.Contains(p))));
            },
            iter: 4);
    }

    private static void Note(HashSet<string> seen, ContractForward f)
    {
        if (f.BillingsForecast.Total > 0m) seen.Add("forecast");
        if (f.OverdueBilling > 0m) seen.Add("overdue billing");
        if (f.UnscheduledBilling > 0m) seen.Add("unscheduled");
        if (f.NotYetBilled > 0m && f.OverdueBilling == 0m && f.BillingsForecast.Total + f.UnscheduledBilling == f.NotYetBilled && f.BillingsForecast.Total > 0m) seen.Add("ahead of plan");
        if (f.OpenInvoices.Count > 0) seen.Add("open invoice");
        if (f.OpenInvoices.Any(i => i.DaysPastDue > 30)) seen.Add("past due");
        if (f.OverdueDeliveries.Count > 0) seen.Add("late work");
        if (f.Arr > 0m) seen.Add("arr");
    }
}
