using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Recognition;
using BacklogFunctions.Domain.Snapshots;
using BacklogFunctions.Sample;
using CsCheck;
using static BacklogFunctions.Domain.Tests.ContractScenario;

namespace BacklogFunctions.Domain.Tests.Snapshots;

/// <summary>
/// A closed period is locked: the next period opens from its stored closing, and what events arriving later
/// changed in it is a prior-period adjustment on its own line.
/// </summary>
public class LockedPeriodTests
{
    private static readonly SnapshotOptions Monthly = new() { Proration = ProrationPolicy.Monthly };

    /// <summary>Closes January with what had arrived, then computes February with everything.</summary>
    private static (Figures January, Figures February) CloseJanuaryThenFebruary(ContractScenario arrivedInTime, ContractScenario everything)
    {
        var calculator = new SnapshotCalculator(Monthly);
        var january = calculator.ForPeriod([arrivedInTime.History()], new Period(2026, 1)).Contracts.Single();
        var locked = LockedClosing.Of(january);
        var february = calculator.ForPeriodAfterLocked([everything.History()], new Period(2026, 2), _ => locked).Contracts.Single();
        return (january.Figures, february.Figures);
    }

    [Fact]
    public void A_late_invoice_dated_in_a_locked_month_is_a_net_contract_position_adjustment_of_the_next()
    {
        ContractScenario Base() => new ContractScenario().Signed("2026-01-01", Ratable("L1", 1200m, "2026-01-01", "2026-12-31"));

        var (january, february) = CloseJanuaryThenFebruary(Base(), Base().Invoiced("2026-01-20", 300m));

        Assert.Equal(-100m, january.NetContractPosition);
        Assert.Equal(-100m, february.OpeningNetContractPosition);
        Assert.Equal(300m, february.NetContractPositionPriorPeriodAdjustment);
        Assert.Equal(0m, february.Billings);
        Assert.Equal(100m, february.NetContractPosition);
        Assert.Equal(0m, february.NetContractPositionRollForwardDifference);
        Assert.Equal(0m, february.BacklogPriorPeriodAdjustment);
    }

    [Fact]
    public void A_late_amendment_signed_in_a_locked_month_is_a_backlog_adjustment_not_an_expansion_of_the_next()
    {
        ContractScenario Base() => new ContractScenario().Signed("2026-01-01", Ratable("L1", 1200m, "2026-01-01", "2026-12-31"));

        var (january, february) = CloseJanuaryThenFebruary(Base(), Base().Amended("2026-01-25", "2026-02-01", Ratable("L1", 2300m, "2026-01-01", "2026-12-31")));

        Assert.Equal(1100m, january.Backlog);
        Assert.Equal(1100m, february.OpeningBacklog);
        Assert.Equal(1100m, february.BacklogPriorPeriodAdjustment);
        Assert.Equal(0m, february.Expansions);
        Assert.Equal(200m, february.Revenue); // 2,200 over 11 months
        Assert.Equal(2000m, february.Backlog);
        Assert.Equal(0m, february.BacklogRollForwardDifference);
    }

    [Fact]
    public void A_contract_the_locked_month_never_saw_opens_at_zero_and_comes_in_as_an_adjustment()
    {
        var late = new ContractScenario("C-LATE").Signed("2026-01-10", Ratable("L1", 1200m, "2026-01-01", "2026-12-31")).Invoiced("2026-01-10", 1200m);

        var february = new SnapshotCalculator(Monthly).ForPeriodAfterLocked([late.History()], new Period(2026, 2), _ => LockedClosing.None).Contracts.Single().Figures;

        Assert.Equal(0m, february.OpeningBacklog);
        Assert.Equal(1100m, february.BacklogPriorPeriodAdjustment);
        Assert.Equal(0m, february.Bookings);
        Assert.Equal(1100m, february.NetContractPositionPriorPeriodAdjustment);
        Assert.Equal(0m, february.BacklogRollForwardDifference);
        Assert.Equal(0m, february.NetContractPositionRollForwardDifference);
    }

    [Fact]
    public void Without_late_events_there_is_nothing_to_adjust()
    {
        var contract = new ContractScenario().Signed("2026-01-01", Ratable("L1", 1200m, "2026-01-01", "2026-12-31")).Invoiced("2026-01-01", 1200m);

        var (january, february) = CloseJanuaryThenFebruary(contract, contract);

        Assert.Equal(january.Backlog, february.OpeningBacklog);
        Assert.Equal(0m, february.BacklogPriorPeriodAdjustment);
        Assert.Equal(0m, february.NetContractPositionPriorPeriodAdjustment);
    }

    [Fact]
    public void Closing_each_month_with_what_had_arrived_ties_every_roll_forward_and_ends_at_the_fresh_figures()
    {
        Gen.Int[1, 1_000_000].Sample(seed =>
        {
            var events = SampleGenerator.Generate(new SampleSpec(40, 24, seed, SampleSpec.DefaultStart));
            var calculator = new SnapshotCalculator(SnapshotOptions.Default);
            var period = SampleSpec.DefaultStart.AddMonths(9);

            // The close runs at 02:00 UTC on the first day after the month: events that occurred later are late.
            var closedAt = new DateTimeOffset(period.Next.FirstDay.ToDateTime(new TimeOnly(2, 0)), TimeSpan.Zero);
            var arrived = Histories(events.Where(e => e.OccurredAt <= closedAt));
            var locked = calculator.ForPeriod(arrived, period).Contracts.ToDictionary(c => c.ContractId, LockedClosing.Of);

            var all = Histories(events);
            var next = calculator.ForPeriodAfterLocked(all, period.Next, id => locked.GetValueOrDefault(id, LockedClosing.None));
            var fresh = calculator.ForPeriod(all, period.Next);

            foreach (var total in next.Totals)
            {
                var unlocked = fresh.Totals.Single(t => t.Currency == total.Currency).Figures;
                Assert.Equal(0m, total.Figures.BacklogRollForwardDifference);
                Assert.Equal(0m, total.Figures.NetContractPositionRollForwardDifference);
                Assert.Equal(unlocked.Backlog, total.Figures.Backlog);
                Assert.Equal(unlocked.NetContractPosition, total.Figures.NetContractPosition);
                Assert.Equal(unlocked.OpeningBacklog, total.Figures.OpeningBacklog + total.Figures.BacklogPriorPeriodAdjustment);
            }
        }, iter: 8);
    }

    private static List<ContractHistory> Histories(IEnumerable<ContractEvent> events) =>
        events.GroupBy(e => e.ContractId).Where(g => g.Any(e => e is ContractSigned)).Select(g => ContractHistory.Create(g.Key, g)).ToList();
}
