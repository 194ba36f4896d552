using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Recognition;
using BacklogFunctions.Domain.Snapshots;
using static BacklogFunctions.Domain.Tests.ContractScenario;

namespace BacklogFunctions.Domain.Tests.Snapshots;

public class AggregationTests
{
    private static readonly SnapshotOptions Monthly = new() { Proration = ProrationPolicy.Monthly };

    private static Snapshot Snapshot(string period, params ContractScenario[] contracts) =>
        new SnapshotCalculator(Monthly).ForPeriod(contracts.Select(c => c.History()), Period.Parse(period));

    [Fact]
    public void Concentration_shares_largest_top_ten_and_herfindahl()
    {
        // Backlogs at the end of 2026-12 (service in 2027): 600, 300, 100.
        var snapshot = Snapshot(
            "2026-12",
            new ContractScenario("A").Signed("2026-12-01", Ratable("L1", 600m, "2027-01-01", "2027-12-31")),
            new ContractScenario("B").Signed("2026-12-01", Ratable("L1", 300m, "2027-01-01", "2027-12-31")),
            new ContractScenario("C").Signed("2026-12-01", Ratable("L1", 100m, "2027-01-01", "2027-12-31")));

        var concentration = snapshot.Totals.Single().Concentration;

        Assert.Equal(3, concentration.Customers);
        Assert.Equal(0.6m, concentration.LargestShare);
        Assert.Equal(1m, concentration.Top10Share);
        Assert.Equal(0.46m, concentration.Herfindahl);
        Assert.Equal(["CUST-A", "CUST-B", "CUST-C"], concentration.TopCustomers.Select(c => c.CustomerId));
    }

    [Fact]
    public void A_customer_with_negative_backlog_holds_no_share()
    {
        // A's price drops to 900 from December, signed in November when 1,100 was already earned: backlog −200.
        var snapshot = Snapshot(
            "2026-11",
            new ContractScenario("A").Signed("2026-01-01", Ratable("L1", 1200m, "2026-01-01", "2026-12-31")).Amended("2026-11-10", "2026-12-01", Ratable("L1", 900m, "2026-01-01", "2026-12-31")),
            new ContractScenario("B").Signed("2026-11-01", Ratable("L1", 600m, "2027-01-01", "2027-12-31")));

        var total = snapshot.Totals.Single();

        Assert.Equal(400m, total.Figures.Backlog);
        Assert.Equal(1, total.Concentration.Customers);
        Assert.Equal(1m, total.Concentration.LargestShare);
        Assert.Equal(1m, total.Concentration.Herfindahl);
    }

    [Fact]
    public void Concentration_is_not_available_without_backlog()
    {
        var snapshot = Snapshot("2027-12", new ContractScenario("A").Signed("2026-12-01", Ratable("L1", 600m, "2027-01-01", "2027-12-31")));

        var concentration = snapshot.Totals.Single().Concentration;

        Assert.Null(concentration.LargestShare);
        Assert.Null(concentration.Herfindahl);
    }

    [Theory]
    [InlineData("2026-12-31", BacklogAge.Days0To90)]
    [InlineData("2026-10-02", BacklogAge.Days0To90)]
    [InlineData("2026-10-01", BacklogAge.Days91To180)]
    [InlineData("2026-07-04", BacklogAge.Days91To180)]
    [InlineData("2026-07-03", BacklogAge.Days181To365)]
    [InlineData("2026-01-01", BacklogAge.Days181To365)]
    [InlineData("2025-12-31", BacklogAge.Days181To365)]
    [InlineData("2025-12-30", BacklogAge.Over365Days)]
    public void Backlog_is_aged_by_the_signing_date(string signed, BacklogAge bucket)
    {
        var snapshot = Snapshot("2026-12", new ContractScenario().Signed(signed, Ratable("L1", 2400m, "2027-01-01", "2028-12-31")));

        var aging = snapshot.Totals.Single().BacklogAging;

        Assert.Equal(2400m, aging[bucket]);
        Assert.Equal(2400m, aging.Values.Sum());
    }

    [Fact]
    public void Currencies_are_never_mixed()
    {
        var snapshot = Snapshot(
            "2026-12",
            new ContractScenario("U", "USD").Signed("2026-12-01", Ratable("L1", 600m, "2027-01-01", "2027-12-31")),
            new ContractScenario("J", "JPY").Signed("2026-12-01", Ratable("L1", 90000m, "2027-01-01", "2027-12-31")));

        Assert.Equal(["JPY", "USD"], snapshot.Totals.Select(t => t.Currency.Code));
        Assert.Equal(90000m, snapshot.Totals[0].Figures.Backlog);
        Assert.Equal(600m, snapshot.Totals[1].Figures.Backlog);
    }

    [Fact]
    public void Product_line_segments_split_a_contract_by_line_and_leave_billing_out()
    {
        var snapshot = Snapshot(
            "2027-01",
            new ContractScenario("A")
                .Signed("2026-12-01", Ratable("L1", 1200m, "2027-01-01", "2027-12-31", "Subscriptions"), Ratable("L2", 2400m, "2027-01-01", "2027-12-31", "Support"))
                .Invoiced("2027-01-01", 300m));

        var segments = snapshot.Totals.Single().Segments.Where(s => s.Dimension == SegmentDimensions.ProductLine).ToList();

        Assert.Equal(["Support", "Subscriptions"], segments.Select(s => s.Value));
        Assert.Equal([2200m, 1100m], segments.Select(s => s.Figures.Backlog));
        Assert.All(segments, s => Assert.False(s.IncludesBilling));
        Assert.Equal(300m, snapshot.Totals.Single().Segments.Single(s => s.Dimension == SegmentDimensions.Region).Figures.Billings);
    }

    [Fact]
    public void Ttm_ratio_uses_the_twelve_months_ending_with_the_period()
    {
        var snapshot = Snapshot("2026-12", new ContractScenario().Signed("2026-01-01", Ratable("L1", 2400m, "2026-01-01", "2027-12-31")));

        var f = snapshot.Totals.Single().Figures;

        Assert.Equal(1200m, f.RevenueTtm);
        Assert.Equal(1200m, f.Backlog);
        Assert.Equal(1m, f.BacklogRatioTtm);
        Assert.Equal(12m, f.BacklogRatio);
    }
}
