using System.Globalization;
using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Recognition;
using static BacklogFunctions.Domain.Tests.ContractScenario;

namespace BacklogFunctions.Domain.Tests.Recognition;

/// <summary>Usage lines through the engine (recognition.md, "Usage lines"): events in, snapshot figures out.</summary>
public class UsageRecognitionTests
{
    private static decimal M(string text) => decimal.Parse(text, CultureInfo.InvariantCulture);

    [Fact]
    public void Stripe_metered_example_usage_is_an_unbilled_receivable_until_the_invoice()
    {
        var contract = new ContractScenario()
            .Signed("2026-01-01", UsageLine("U1", 1.00m, "2026-01-01", "2026-12-31"))
            .Used("U1", "2026-01-20", 15m)
            .Used("U1", "2026-02-10", 17m)
            .Invoiced("2026-02-14", 32.00m);

        var january = contract.Period("2026-01");
        Assert.Equal((15.00m, 15.00m, 0m, 0m), (january.Revenue, january.UnbilledReceivable, january.Backlog, january.Tcv));
        Assert.Equal(15.00m, january.UsageBeyondCommitments);
        Assert.Equal(0m, january.Bookings);
        Assert.Equal(0m, january.BacklogRollForwardDifference);

        var february = contract.Period("2026-02");
        Assert.Equal(-15.00m, february.UnbilledReceivable - january.UnbilledReceivable);
        Assert.Equal(32.00m, february.Receivables);
        Assert.Equal((17.00m, 32.00m), (february.Revenue, february.Billings));
        Assert.Equal(0m, february.BacklogRollForwardDifference);
        Assert.Equal(0m, february.NetContractPositionRollForwardDifference);
    }

    [Theory]
    [InlineData("60", "40.00", "100.00", "0.00")] // a shortfall, earned on the period's last day
    [InlineData("100", "0.00", "100.00", "0.00")] // exact consumption
    [InlineData("130", "0.00", "130.00", "30.00")] // overage: revenue when used, never backlog
    public void A_monthly_commitment_through_the_engine(string quantity, string backlogMidMonth, string marchRevenue, string beyond)
    {
        var contract = new ContractScenario()
            .Signed("2026-01-01", UsageLine("U1", 1.00m, "2026-01-01", "2026-12-31", 100m))
            .Used("U1", "2026-03-10", M(quantity));

        var january = contract.Period("2026-01");
        Assert.Equal((1200m, 1200m, 100m, 1100m), (january.Bookings, january.Tcv, january.Revenue, january.Backlog));
        Assert.Equal(M(backlogMidMonth) + 900m, contract.AsOf("2026-03-15").Backlog);

        var march = contract.Period("2026-03");
        Assert.Equal(M(marchRevenue), march.Revenue);
        Assert.Equal(900m, march.Backlog);
        Assert.Equal(M(beyond), march.UsageBeyondCommitments);
        Assert.Equal(0m, march.BacklogRollForwardDifference);
        Assert.Equal(march.Backlog, march.RpoCurrent + march.RpoNonCurrent);
        Assert.Equal(march.Backlog, march.Rpo0To3Months + march.Rpo3To6Months + march.Rpo6To12Months + march.Rpo12To24Months + march.RpoOver24Months);
        Assert.Equal(300m, march.Rpo0To3Months);
    }

    [Fact]
    public void A_yearly_commitment_counts_its_year_across_a_leap_day()
    {
        var contract = new ContractScenario()
            .Signed("2023-03-01", UsageLine("U1", 1.00m, "2023-03-01", "2025-02-28", 1200m, CommitmentPer.Year))
            .Used("U1", "2024-02-29", 500m);

        var february = contract.Period("2024-02");
        Assert.Equal(1200m, february.Revenue); // 500 used on the leap day, the last of the first year, and the 700 shortfall
        Assert.Equal(1200m, february.Backlog);
        Assert.Equal(0m, february.UsageBeyondCommitments);
        Assert.Equal(0m, contract.Period("2024-03").Revenue);
        Assert.Equal(2400m, contract.Period("2023-03").Bookings);
    }

    [Fact]
    public void Cancelling_a_usage_line_mid_period_removes_its_unconsumed_commitment_as_a_cancellation()
    {
        var contract = new ContractScenario()
            .Signed("2026-01-01", UsageLine("U1", 1.00m, "2026-01-01", "2026-12-31", 100m))
            .Used("U1", "2026-03-05", 30m)
            .Cancelled("2026-03-10", "2026-03-15")
            .Used("U1", "2026-03-20", 50m);

        var march = contract.Period("2026-03");
        Assert.Equal(1000m, march.OpeningBacklog);
        Assert.Equal(970m, march.Cancellations); // 70 of March and April..December
        Assert.Equal(30m, march.Revenue); // usage after the last day of service earns nothing
        Assert.Equal((0m, 230m), (march.Backlog, march.Tcv));
        Assert.Equal(0m, march.BacklogRollForwardDifference);
        Assert.Equal(0m, contract.Period("2026-04").Revenue);
    }

    [Fact]
    public void A_retroactive_cancellation_reverses_usage_after_the_last_day_in_the_period_it_was_decided()
    {
        var contract = new ContractScenario()
            .Signed("2026-01-01", UsageLine("U1", 2.00m, "2026-01-01", "2026-12-31"))
            .Used("U1", "2026-01-10", 10m)
            .Used("U1", "2026-02-10", 5m)
            .Cancelled("2026-03-02", "2026-01-31");

        Assert.Equal(10m, contract.Period("2026-02").Revenue);
        var march = contract.Period("2026-03");
        Assert.Equal((-10m, -10m), (march.Revenue, march.UsageBeyondCommitments));
        Assert.Equal(0m, march.BacklogRollForwardDifference);
    }

    [Fact]
    public void The_same_usageId_again_changes_nothing()
    {
        var once = new ContractScenario()
            .Signed("2026-01-01", UsageLine("U1", 0.5m, "2026-01-01", "2026-12-31", 10m))
            .Used("U1", "2026-01-05", 30m, "u-1");
        var twice = new ContractScenario()
            .Signed("2026-01-01", UsageLine("U1", 0.5m, "2026-01-01", "2026-12-31", 10m))
            .Used("U1", "2026-01-05", 30m, "u-1")
            .Used("U1", "2026-01-06", 30m, "u-1");

        Assert.Equal(once.Period("2026-01"), twice.Period("2026-01"));
        Assert.Equal(15m, twice.Period("2026-01").Revenue);
        Assert.Equal(5m, twice.Period("2026-01").UsageBeyondCommitments);
    }

    [Fact]
    public void Usage_on_a_line_that_is_no_usage_line_or_before_the_signing_is_a_replay_issue()
    {
        var contract = new ContractScenario()
            .Signed("2026-01-10", Ratable("L1", 1200m, "2026-01-01", "2026-12-31"), UsageLine("U1", 1m, "2026-01-01", "2026-12-31"))
            .Used("L1", "2026-01-20", 3m)
            .Used("U9", "2026-01-20", 3m)
            .Used("U1", "2026-01-05", 3m);
        var issues = new List<ReplayIssue>();

        ContractHistory.Create(contract.ContractId, contract.Events, issues);

        Assert.Equal(3, issues.Count);
        Assert.Contains(issues, i => i.Field == "data.lineId" && i.Reason.Contains("no usage line L1", StringComparison.Ordinal));
        Assert.Contains(issues, i => i.Field == "data.lineId" && i.Reason.Contains("no usage line U9", StringComparison.Ordinal));
        Assert.Contains(issues, i => i.Field == "data" && i.Reason.Contains("before the contract was signed", StringComparison.Ordinal));
    }

    [Fact]
    public void Usage_outside_the_service_period_is_revenue_beyond_commitments()
    {
        var contract = new ContractScenario()
            .Signed("2026-01-01", UsageLine("U1", 1m, "2026-02-01", "2026-02-28", 50m, CommitmentPer.Term))
            .Used("U1", "2026-01-15", 20m)
            .Used("U1", "2026-03-15", 7m);

        Assert.Equal((20m, 20m, 50m), (contract.Period("2026-01").Revenue, contract.Period("2026-01").UsageBeyondCommitments, contract.Period("2026-01").Backlog));
        Assert.Equal((50m, 0m), (contract.Period("2026-02").Revenue, contract.Period("2026-02").Backlog));
        Assert.Equal((7m, 7m), (contract.Period("2026-03").Revenue, contract.Period("2026-03").UsageBeyondCommitments));
    }

    [Fact]
    public void An_amendment_that_carries_a_usage_line_unchanged_leaves_it_alone_and_one_that_changes_its_commitment_starts_new_periods()
    {
        var unchanged = new ContractScenario()
            .Signed("2026-01-01", UsageLine("U1", 1m, "2026-01-01", "2026-12-31", 100m), Ratable("L1", 1200m, "2026-01-01", "2026-12-31"))
            .Used("U1", "2026-03-05", 40m)
            .Amended("2026-03-10", "2026-03-10", UsageLine("U1", 1m, "2026-01-01", "2026-12-31", 100m), Ratable("L1", 2400m, "2026-01-01", "2026-12-31"));
        var march = unchanged.Snapshot("2026-03").Contracts.Single();
        var line = march.Lines.Single(l => l.LineId == "U1").Figures;
        Assert.Equal((100m, 1200m, 0m), (line.Revenue, line.Tcv, line.Expansions));
        Assert.Equal(900m, line.Backlog);
        Assert.Equal(0m, march.Figures.BacklogRollForwardDifference);

        var raised = new ContractScenario()
            .Signed("2026-01-01", UsageLine("U1", 1m, "2026-01-01", "2026-12-31", 100m))
            .Used("U1", "2026-03-05", 40m)
            .Amended("2026-03-16", "2026-03-16", UsageLine("U1", 1m, "2026-01-01", "2026-12-31", 200m));
        var after = raised.Period("2026-03");
        Assert.Equal(0m, after.BacklogRollForwardDifference);
        Assert.Equal(40m, after.Revenue); // March 1..15 keeps what it consumed; the new periods start on the 16th
        Assert.Equal(2000m, after.Backlog); // 10 periods of 200 from 16 March, the last one 16..31 December
        Assert.Equal(2240m, after.Tcv); // January and February, 40 consumed of March's cut-short period, and the new terms
        Assert.Equal((1040m, 0m), (after.Expansions, after.Contractions));
    }

    [Fact]
    public void A_line_keeps_the_pattern_of_its_terms_in_force_when_an_amendment_changes_it_and_another_changes_it_back()
    {
        var contract = new ContractScenario()
            .Signed("2026-01-01", Ratable("L1", 1200m, "2026-01-01", "2026-12-31"))
            .Amended("2026-03-01", "2026-03-01", UsageLine("L1", 1.00m, "2026-03-01", "2026-12-31", 100m))
            .Amended("2026-06-01", "2026-06-01", Ratable("L1", 700m, "2026-06-01", "2026-12-31"));

        RecognitionPattern? Pattern(string period) => Assert.Single(Assert.Single(contract.Snapshot(period).Contracts).Lines).Recognition;

        Assert.Equal(RecognitionPattern.Ratable, Pattern("2026-02"));
        Assert.Equal(RecognitionPattern.Usage, Pattern("2026-04"));
        Assert.Equal(RecognitionPattern.Ratable, Pattern("2026-07"));
    }
}
