using BacklogFunctions.Domain.Forward;
using BacklogFunctions.Domain.Money;
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
        var seen = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        Gen.Select(Gen.Int[1, 1_000_000], Gen.Enum<ProrationPolicy>()).Sample(
            c =>
            {
                var (seed, proration) = c;
                var first = SampleSpec.DefaultStart;
                var events = SampleGenerator.Generate(new SampleSpec(30, Months, seed, first));
                var histories = events.GroupBy(e => e.ContractId).Select(g => ContractHistory.Create(g.Key, g)).ToList();
                var series = new SnapshotCalculator(new SnapshotOptions { Proration = proration }).Series(histories, first, first.AddMonths(Months - 1), includeContracts: true);
                var byId = histories.ToDictionary(h => h.ContractId, StringComparer.Ordinal);

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

                        // The snapshot carries the same figures as the contract's forward view.
                        Assert.True(
                            (figures.NotYetBilled, figures.BilledNotEarned, figures.Receivables, figures.UnappliedCredits, figures.OverdueBilling, figures.ForecastBilling, figures.UnscheduledBilling, figures.OverdueBacklog, figures.Arr) ==
                            (f.NotYetBilled, f.BilledNotEarned, f.Receivables, f.UnappliedCredits, f.OverdueBilling, f.BillingsForecast.Total, f.UnscheduledBilling, f.OverdueBacklog, f.Arr),
                            at);
                        Assert.True(new ReceivablesAging(figures.AgingCurrent, figures.AgingDays1To30, figures.AgingDays31To60, figures.AgingDays61To90, figures.AgingOver90) == f.Aging, at);
                        Assert.Equal(f.OverdueDeliveries, contract.OverdueDeliveries);
                        Assert.True(f.OverdueBacklog <= figures.Backlog || figures.Backlog < 0m, at);
                        Note(seen, f);
                    }

                    // Every identity holds for each currency's totals too, and the snapshot lists every late delivery once.
                    foreach (var total in snapshot.Totals)
                    {
                        var t = total.Figures;
                        var at = $"{total.Currency} {snapshot.AsOf}";
                        Assert.True(t.Backlog == t.NotYetBilled + t.BilledNotEarned, at);
                        Assert.True(t.NotYetBilled == t.OverdueBilling + t.ForecastBilling + t.UnscheduledBilling, at);
                        Assert.True(t.Receivables == t.AgingCurrent + t.AgingDays1To30 + t.AgingDays31To60 + t.AgingDays61To90 + t.AgingOver90 - t.UnappliedCredits, at);
                        Assert.True(t.OverdueBacklog == snapshot.OverdueDeliveries.Where(d => d.Currency == total.Currency).Sum(d => d.Amount), at);
                    }
                }

            },
            iter: 4);

        // The companies exercise every path: the identities were not checked on zeros only. (Their customers
        // never pay more than they are invoiced: unapplied credits have their own rule test.)
        string[] paths = ["forecast", "overdue billing", "ahead of plan", "unscheduled", "open invoice", "past due", "late work", "arr"];
        Assert.True(paths.All(seen.ContainsKey), "not exercised: " + string.Join(", ", paths.Where(p => !seen.ContainsKey(p))));
    }

    [Fact]
    public void Quarters_and_years_open_from_the_month_before_sum_their_months_flows_and_roll_forward_to_the_cent()
    {
        Gen.Select(Gen.Int[1, 1_000_000], Gen.Int[1, 12]).Sample(
            c =>
            {
                var (seed, fiscalStart) = c;
                var first = SampleSpec.DefaultStart;
                var histories = SampleGenerator.Generate(new SampleSpec(30, Months, seed, first)).GroupBy(e => e.ContractId).Select(g => ContractHistory.Create(g.Key, g)).ToList();
                var calculator = new SnapshotCalculator(new SnapshotOptions());
                var months = calculator.Series(histories, first.AddMonths(-1), first.AddMonths(Months - 1)).ToDictionary(s => s.Period!.Value);
                var spans = Enumerable.Range(0, Months / 3).Select(q => first.AddMonths(q * 3)).Select(m => $"{m.Year}-Q{((m.Month - 1) / 3) + 1}")
                    .Concat(Enumerable.Range(first.Year + 1, (Months / 12) - 1).Select(y => $"FY{y}"))
                    .Select(name => ReportingPeriod.Parse(name, fiscalStart))
                    .Where(span => months.ContainsKey(span.First.Previous) && months.ContainsKey(span.Last));

                foreach (var span in spans)
                {
                    var snapshot = calculator.ForSpan(histories, span, includeContracts: false);
                    foreach (var total in snapshot.Totals)
                    {
                        var f = total.Figures;
                        var inSpan = span.Months.Select(m => months[m].Totals.SingleOrDefault(t => t.Currency == total.Currency)?.Figures ?? new Figures()).ToList();
                        var at = $"{span} {total.Currency}";
                        Assert.True(f.BacklogRollForwardDifference == 0m && f.NetContractPositionRollForwardDifference == 0m, at);
                        Assert.True(f.OpeningBacklog == (months[span.First.Previous].Totals.SingleOrDefault(t => t.Currency == total.Currency)?.Figures.Backlog ?? 0m), at);
                        Assert.True(f.Backlog == inSpan[^1].Backlog, at);
                        Assert.True(f.Bookings == inSpan.Sum(m => m.Bookings) && f.Expansions == inSpan.Sum(m => m.Expansions) && f.Contractions == inSpan.Sum(m => m.Contractions), at);
                        Assert.True(f.Cancellations == inSpan.Sum(m => m.Cancellations) && f.Revenue == inSpan.Sum(m => m.Revenue), at);
                        Assert.True(f.Billings == inSpan.Sum(m => m.Billings) && f.Collections == inSpan.Sum(m => m.Collections), at);
                        Assert.True(f.CompletionRevenue == inSpan.Sum(m => m.CompletionRevenue) && f.CompletionRevenueDays == inSpan.Sum(m => m.CompletionRevenueDays), at);
                    }

                    // What the stored months give (SnapshotSpan) is what the events give (ForSpan): every figure,
                    // KPI, segment, aging bucket and concentration share.
                    var combined = SnapshotSpan.Combine(span, [.. span.Months.Select(m => months[m])]);
                    Assert.Equal(snapshot.AsOf, combined.AsOf);
                    Assert.Equal(snapshot.OpeningDate, combined.OpeningDate);
                    Assert.Equal(snapshot.Totals.Count, combined.Totals.Count);
                    foreach (var (expected, actual) in snapshot.Totals.Zip(combined.Totals))
                    {
                        Assert.Equal(expected.Figures, actual.Figures);
                        Assert.Equal((expected.Contracts, expected.Grr, expected.Nrr, expected.Figures.LeadTimeDays, expected.Figures.BookToBill), (actual.Contracts, actual.Grr, actual.Nrr, actual.Figures.LeadTimeDays, actual.Figures.BookToBill));
                        Assert.Equal(expected.BacklogAging, actual.BacklogAging);
                        Assert.Equal(expected.Concentration.TopCustomers, actual.Concentration.TopCustomers);
                        Assert.Equal(expected.Segments.Select(x => (x.Dimension, x.Value, x.Contracts, x.Figures)), actual.Segments.Select(x => (x.Dimension, x.Value, x.Contracts, x.Figures)));
                    }
                }
            },
            iter: 3);
    }

    private static void Note(System.Collections.Concurrent.ConcurrentDictionary<string, bool> seen, ContractForward f)
    {
        if (f.BillingsForecast.Total > 0m) seen.TryAdd("forecast", true);
        if (f.OverdueBilling > 0m) seen.TryAdd("overdue billing", true);
        if (f.UnscheduledBilling > 0m) seen.TryAdd("unscheduled", true);
        if (f.NotYetBilled > 0m && f.OverdueBilling == 0m && f.BillingsForecast.Total + f.UnscheduledBilling == f.NotYetBilled && f.BillingsForecast.Total > 0m) seen.TryAdd("ahead of plan", true);
        if (f.OpenInvoices.Count > 0) seen.TryAdd("open invoice", true);
        if (f.OpenInvoices.Any(i => i.DaysPastDue > 30)) seen.TryAdd("past due", true);
        if (f.OverdueDeliveries.Count > 0) seen.TryAdd("late work", true);
        if (f.Arr > 0m) seen.TryAdd("arr", true);
    }
}
