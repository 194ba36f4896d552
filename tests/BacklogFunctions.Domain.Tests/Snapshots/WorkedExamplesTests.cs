using BacklogFunctions.Domain.Recognition;
using BacklogFunctions.Domain.Snapshots;
using static BacklogFunctions.Domain.Tests.ContractScenario;

namespace BacklogFunctions.Domain.Tests.Snapshots;

/// <summary>The three worked examples at the end of the accounting contract (metrics.md).</summary>
public class WorkedExamplesTests
{
    private static readonly SnapshotOptions MonthlyProration = new() { Proration = ProrationPolicy.Monthly };

    [Fact]
    public void Yearly_subscription_of_1200_billed_100_a_month_has_backlog_1100_after_the_first_month()
    {
        var contract = new ContractScenario()
            .Signed("2026-01-01", Ratable("subscription", 1200m, "2026-01-01", "2026-12-31"))
            .Invoiced("2026-01-01", 100m);

        var january = contract.Period("2026-01", MonthlyProration);

        Assert.Equal(1200m, january.Tcv);
        Assert.Equal(100m, january.Revenue);
        Assert.Equal(1100m, january.Backlog);
        Assert.Equal(100m, january.Billings);
        Assert.Equal(0m, january.DeferredRevenue);
        Assert.Equal(0m, january.UnbilledReceivable);
    }

    [Fact]
    public void Six_months_prepaid_6000_gives_revenue_1000_and_deferred_revenue_5000_after_the_first_month()
    {
        var contract = new ContractScenario()
            .Signed("2026-01-01", Ratable("services", 6000m, "2026-01-01", "2026-06-30"))
            .Invoiced("2026-01-01", 6000m)
            .Paid("2026-01-05", 6000m);

        var january = contract.Period("2026-01", MonthlyProration);

        Assert.Equal(1000m, january.Revenue);
        Assert.Equal(5000m, january.DeferredRevenue);
        Assert.Equal(5000m, january.Backlog);
        Assert.Equal(5000m, january.NetContractPosition);
    }

    [Fact]
    public void Two_million_contracted_with_half_a_million_recognized_leaves_backlog_of_one_and_a_half_million()
    {
        // 2,000,000 over 48 months; 12 months recognized = 500,000.
        var contract = new ContractScenario()
            .Signed("2025-01-01", Ratable("platform", 2_000_000m, "2025-01-01", "2028-12-31"));

        var december = contract.Period("2025-12", MonthlyProration);

        Assert.Equal(500_000m, december.RecognizedToDate);
        Assert.Equal(1_500_000m, december.Backlog);
    }

    [Fact]
    public void Under_the_default_daily_proration_the_first_example_earns_31_of_365_days()
    {
        var contract = new ContractScenario()
            .Signed("2026-01-01", Ratable("subscription", 1200m, "2026-01-01", "2026-12-31"));

        var january = contract.Period("2026-01");

        Assert.Equal(101.92m, january.Revenue); // 1200 × 31 / 365 = 101.917…
        Assert.Equal(1098.08m, january.Backlog);
    }
}
