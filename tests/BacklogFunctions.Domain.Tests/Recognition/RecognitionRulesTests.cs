using BacklogFunctions.Domain.Recognition;
using BacklogFunctions.Domain.Snapshots;
using static BacklogFunctions.Domain.Tests.ContractScenario;

namespace BacklogFunctions.Domain.Tests.Recognition;

/// <summary>The recognition arithmetic of metrics.md, rule by rule.</summary>
public class RecognitionRulesTests
{
    private static SnapshotOptions Policy(string proration) => new()
    {
        Proration = proration switch
        {
            "monthly" => ProrationPolicy.Monthly,
            "monthly-prorated" => ProrationPolicy.MonthlyProrated,
            _ => ProrationPolicy.Daily,
        },
    };

    [Theory]
    // A leap year has 366 days: February earns 29 of them.
    [InlineData("daily", "2024-01-01", "2024-12-31", "3660.00", "2024-02", "290.00")]
    [InlineData("daily", "2024-01-01", "2024-12-31", "3660.00", "2024-12", "310.00")]
    // Service from the 31st to the 31st: 60 days, 3 calendar months, 2 + 1/31 prorated months.
    [InlineData("daily", "2026-01-31", "2026-03-31", "590.00", "2026-01", "9.83")]
    [InlineData("daily", "2026-01-31", "2026-03-31", "590.00", "2026-02", "275.34")]
    [InlineData("daily", "2026-01-31", "2026-03-31", "590.00", "2026-03", "304.83")]
    [InlineData("monthly", "2026-01-31", "2026-03-31", "590.00", "2026-01", "196.67")]
    [InlineData("monthly", "2026-01-31", "2026-03-31", "590.00", "2026-02", "196.66")]
    [InlineData("monthly", "2026-01-31", "2026-03-31", "590.00", "2026-03", "196.67")]
    [InlineData("monthly-prorated", "2026-01-31", "2026-03-31", "590.00", "2026-01", "9.37")]
    [InlineData("monthly-prorated", "2026-01-31", "2026-03-31", "590.00", "2026-02", "290.31")]
    [InlineData("monthly-prorated", "2026-01-31", "2026-03-31", "590.00", "2026-03", "290.32")]
    // A one-day line earns everything on its day.
    [InlineData("daily", "2026-03-15", "2026-03-15", "100.00", "2026-03", "100.00")]
    [InlineData("monthly", "2026-03-15", "2026-03-15", "100.00", "2026-03", "100.00")]
    [InlineData("daily", "2026-03-15", "2026-03-15", "100.00", "2026-02", "0.00")]
    public void Ratable_revenue_of_a_month(string proration, string start, string end, string amount, string period, string revenue)
    {
        var contract = new ContractScenario().Signed("2023-12-01", Ratable("L1", decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), start, end));

        Assert.Equal(decimal.Parse(revenue, System.Globalization.CultureInfo.InvariantCulture), contract.Period(period, Policy(proration)).Revenue);
    }

    [Theory]
    [InlineData("daily")]
    [InlineData("monthly")]
    [InlineData("monthly-prorated")]
    public void Monthly_revenue_adds_up_to_the_amount_without_drift(string proration)
    {
        var contract = new ContractScenario().Signed("2025-12-01", Ratable("L1", 1000.01m, "2026-01-17", "2027-03-09"));
        var calculator = new SnapshotCalculator(Policy(proration));

        var series = calculator.Series([contract.History()], new Money.Period(2026, 1), new Money.Period(2027, 3));

        Assert.Equal(1000.01m, series.Sum(s => s.Totals.Single().Figures.Revenue));
        Assert.Equal(0m, series[^1].Totals.Single().Figures.Backlog);
    }

    [Fact]
    public void One_day_line_earns_nothing_the_day_before_and_everything_on_its_day()
    {
        var contract = new ContractScenario().Signed("2026-03-01", Ratable("L1", 100m, "2026-03-15", "2026-03-15"));

        Assert.Equal(0m, contract.AsOf("2026-03-14").RecognizedToDate);
        Assert.Equal(100m, contract.AsOf("2026-03-15").RecognizedToDate);
    }

    [Theory]
    [InlineData("JPY", "100000", "2026-01", "8493")]
    [InlineData("JPY", "100000", "2026-02", "7671")]
    [InlineData("KWD", "1000.000", "2026-01", "84.932")]
    [InlineData("USD", "1000.00", "2026-01", "84.93")]
    public void Revenue_is_rounded_to_the_currency_minor_unit(string currency, string amount, string period, string revenue)
    {
        var contract = new ContractScenario(currency: currency).Signed("2026-01-01", Ratable("L1", decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), "2026-01-01", "2026-12-31"));

        Assert.Equal(decimal.Parse(revenue, System.Globalization.CultureInfo.InvariantCulture), contract.Period(period).Revenue);
    }

    [Fact]
    public void Amendment_effective_on_the_first_day_of_service_respreads_the_whole_new_amount()
    {
        var contract = new ContractScenario()
            .Signed("2026-01-01", Ratable("L1", 1200m, "2026-01-01", "2026-12-31"))
            .Amended("2026-01-01", "2026-01-01", Ratable("L1", 2400m, "2026-01-01", "2026-12-31"));

        var january = contract.Period("2026-01");

        Assert.Equal(203.84m, january.Revenue); // 2400 × 31 / 365
        Assert.Equal(1200m, january.Bookings);
        Assert.Equal(1200m, january.Expansions);
        Assert.Equal(2400m, january.Tcv);
    }

    [Fact]
    public void Amendment_effective_on_the_last_day_of_service_lands_on_that_day()
    {
        var contract = new ContractScenario()
            .Signed("2026-01-01", Ratable("L1", 1200m, "2026-01-01", "2026-12-31"))
            .Amended("2026-12-31", "2026-12-31", Ratable("L1", 1500m, "2026-01-01", "2026-12-31"));

        var december = contract.Period("2026-12");

        Assert.Equal(300m, december.Expansions);
        Assert.Equal(401.92m, december.Revenue); // 1500 − 1098.08 earned through November
        Assert.Equal(0m, december.Backlog);
        Assert.Equal(1500m, december.RecognizedToDate);
    }

    [Fact]
    public void Retroactive_amendment_is_a_catch_up_in_the_month_it_was_signed_and_never_rewrites_the_earlier_month()
    {
        var monthly = Policy("monthly");
        var contract = new ContractScenario()
            .Signed("2026-01-01", Ratable("L1", 1200m, "2026-01-01", "2026-12-31"))
            .Amended("2026-03-15", "2026-02-01", Ratable("L1", 2400m, "2026-01-01", "2026-12-31"));

        var february = contract.Period("2026-02", monthly);
        var march = contract.Period("2026-03", monthly);

        Assert.Equal(100m, february.Revenue);
        Assert.Equal(1000m, february.Backlog);
        Assert.Equal(318.18m, march.Revenue); // 100 + 2300 × 2/11 − 200: February's catch-up and March
        Assert.Equal(1200m, march.Expansions);
        Assert.Equal(0m, march.BacklogRollForwardDifference);
    }

    [Fact]
    public void Downgrade_below_what_was_earned_reverses_the_excess_on_the_effective_day()
    {
        var monthly = Policy("monthly");
        var contract = new ContractScenario()
            .Signed("2026-01-01", Ratable("L1", 1200m, "2026-01-01", "2026-12-31"))
            .Amended("2026-07-01", "2026-07-01", Ratable("L1", 500m, "2026-01-01", "2026-12-31"));

        var july = contract.Period("2026-07", monthly);

        Assert.Equal(-100m, july.Revenue); // 600 earned through June, the new total is 500
        Assert.Equal(700m, july.Contractions);
        Assert.Equal(0m, july.Backlog);
    }

    [Fact]
    public void Line_removed_by_an_amendment_leaves_backlog_as_a_contraction_and_keeps_its_revenue()
    {
        var monthly = Policy("monthly");
        var contract = new ContractScenario()
            .Signed("2026-01-01", Ratable("L1", 1200m, "2026-01-01", "2026-12-31"), Ratable("L2", 600m, "2026-01-01", "2026-12-31"))
            .Amended("2026-03-20", "2026-04-01", Ratable("L1", 1200m, "2026-01-01", "2026-12-31"));

        var march = contract.Period("2026-03", monthly);
        var december = contract.Period("2026-12", monthly);

        Assert.Equal(450m, march.Contractions); // L2 keeps 3 × 50 = 150 of 600
        Assert.Equal(1350m, march.Tcv);
        Assert.Equal(1350m, december.RecognizedToDate);
    }

    [Fact]
    public void Future_dated_price_change_signed_now_is_backlog_now()
    {
        var monthly = Policy("monthly");
        var contract = new ContractScenario()
            .Signed("2026-01-01", Ratable("L1", 1200m, "2026-01-01", "2026-12-31"))
            .Amended("2026-02-10", "2026-07-01", Ratable("L1", 1800m, "2026-01-01", "2026-12-31"));

        var february = contract.Period("2026-02", monthly);

        Assert.Equal(600m, february.Expansions);
        Assert.Equal(100m, february.Revenue);
        Assert.Equal(1600m, february.Backlog);
    }

    [Fact]
    public void Cancellation_before_service_starts_removes_the_whole_contract_from_backlog()
    {
        var contract = new ContractScenario()
            .Signed("2026-01-10", Ratable("L1", 1200m, "2026-03-01", "2027-02-28"))
            .Cancelled("2026-02-15", "2026-02-15");

        var february = contract.Period("2026-02");

        Assert.Equal(1200m, february.OpeningBacklog);
        Assert.Equal(1200m, february.Cancellations);
        Assert.Equal(0m, february.Backlog);
        Assert.Equal(0m, february.Tcv);
        Assert.Equal(0m, contract.Period("2026-03").Revenue);
    }

    [Fact]
    public void Cancellation_decided_after_the_last_day_of_service_reverses_later_revenue_in_the_month_decided()
    {
        var monthly = Policy("monthly");
        var contract = new ContractScenario()
            .Signed("2026-01-01", Ratable("L1", 1200m, "2026-01-01", "2026-12-31"))
            .Cancelled("2026-04-10", "2026-02-28");

        var march = contract.Period("2026-03", monthly);
        var april = contract.Period("2026-04", monthly);

        Assert.Equal(100m, march.Revenue);
        Assert.Equal(-100m, april.Revenue);
        Assert.Equal(1000m, april.Cancellations);
        Assert.Equal(0m, april.Backlog);
        Assert.Equal(0m, april.BacklogRollForwardDifference);
    }

    [Fact]
    public void Point_in_time_line_earns_on_delivery_and_is_expected_on_its_expected_date()
    {
        var contract = new ContractScenario()
            .Signed("2026-01-05", PointInTime("HW", 5000m, "2026-02-10"))
            .Delivered("HW", "2026-03-03");

        var january = contract.Period("2026-01");
        var february = contract.Period("2026-02");
        var march = contract.Period("2026-03");

        Assert.Equal(5000m, january.Rpo0To3Months);
        Assert.Equal(0m, february.Revenue);
        Assert.Equal(5000m, february.Rpo0To3Months); // overdue: expected right away
        Assert.Equal(5000m, march.Revenue);
        Assert.Equal(0m, march.Backlog);
    }

    [Fact]
    public void Milestones_earn_as_they_complete()
    {
        var contract = new ContractScenario()
            .Signed("2026-01-05", Milestones("P1", ("M1", 4000m, "2026-02-15"), ("M2", 6000m, "2026-05-20")))
            .MilestoneDone("P1", "M1", "2026-02-20");

        var february = contract.Period("2026-02");

        Assert.Equal(4000m, february.Revenue);
        Assert.Equal(6000m, february.Backlog);
        Assert.Equal(6000m, february.Rpo0To3Months); // M2 is expected on 2026-05-20, within three months
        Assert.Equal(0m, contract.Period("2026-05").Revenue);
    }

    [Fact]
    public void A_month_without_revenue_has_no_backlog_ratio()
    {
        var contract = new ContractScenario().Signed("2026-01-10", Ratable("L1", 1200m, "2026-03-01", "2027-02-28"));

        var january = contract.Period("2026-01");

        Assert.Equal(0m, january.Revenue);
        Assert.Null(january.BacklogRatio);
        Assert.Null(january.BacklogRatioTtm);
        Assert.Equal("n/a", Application.Presentation.FigureColumns.FormatRatio(january.BacklogRatio));
    }

    [Theory]
    [InlineData(DeferredBasis.Billed, 1100, 0)]
    [InlineData(DeferredBasis.Collected, 500, 0)]
    public void Deferred_revenue_follows_the_deferred_basis(DeferredBasis basis, int deferred, int unbilled)
    {
        var contract = new ContractScenario()
            .Signed("2026-01-01", Ratable("L1", 1200m, "2026-01-01", "2026-12-31"))
            .Invoiced("2026-01-01", 1200m)
            .Paid("2026-01-20", 600m);

        var january = contract.Period("2026-01", new SnapshotOptions { Proration = ProrationPolicy.Monthly, DeferredBasis = basis });

        Assert.Equal(deferred, january.DeferredRevenue);
        Assert.Equal(unbilled, january.UnbilledReceivable);
        Assert.Equal(0m, january.NetContractPositionRollForwardDifference);
    }

    [Fact]
    public void Contract_asset_and_liability_are_netted_per_contract_never_across_contracts()
    {
        var monthly = new SnapshotOptions { Proration = ProrationPolicy.Monthly };
        var prepaid = new ContractScenario("C-PREPAID").Signed("2026-01-01", Ratable("L1", 1200m, "2026-01-01", "2026-12-31")).Invoiced("2026-01-01", 1200m);
        var arrears = new ContractScenario("C-ARREARS").Signed("2026-01-01", Ratable("L1", 1200m, "2026-01-01", "2026-12-31"));

        var snapshot = new SnapshotCalculator(monthly).ForPeriod([prepaid.History(), arrears.History()], new Money.Period(2026, 1));
        var total = snapshot.Totals.Single().Figures;

        Assert.Equal(1100m, total.DeferredRevenue);
        Assert.Equal(100m, total.UnbilledReceivable);
        Assert.Equal(1000m, total.NetContractPosition);
    }

    [Fact]
    public void Voids_and_credit_notes_reduce_billings_refunds_reduce_collections()
    {
        var contract = new ContractScenario()
            .Signed("2026-01-01", Ratable("L1", 1200m, "2026-01-01", "2026-12-31"))
            .Invoiced("2026-01-02", 1200m, "INV-A")
            .Voided("2026-01-03", "INV-A")
            .Invoiced("2026-01-04", 1000m, "INV-B")
            .Credited("2026-01-10", 50m)
            .Paid("2026-01-15", 950m)
            .Paid("2026-01-25", -100m);

        var january = contract.Period("2026-01");

        Assert.Equal(950m, january.Billings);
        Assert.Equal(850m, january.Collections);
        Assert.Equal(950m, january.BilledToDate);
    }

    [Fact]
    public void Events_dated_after_the_as_of_day_are_not_known_yet()
    {
        var contract = new ContractScenario()
            .Signed("2026-01-01", Ratable("L1", 1200m, "2026-01-01", "2026-12-31"))
            .Invoiced("2026-02-01", 1200m);

        Assert.Equal(0m, contract.AsOf("2026-01-31").BilledToDate);
        Assert.Equal(1200m, contract.AsOf("2026-02-01").BilledToDate);
        var beforeSigning = new SnapshotCalculator(SnapshotOptions.Default).AsOf([contract.History()], D("2025-12-31"));
        Assert.Empty(beforeSigning.Contracts);
        Assert.Empty(beforeSigning.Totals);
    }

    [Fact]
    public void Billing_before_the_signing_is_known_keeps_the_contract_in_the_snapshot()
    {
        var contract = new ContractScenario()
            .Invoiced("2025-12-15", 500m)
            .Signed("2026-01-01", Ratable("L1", 1200m, "2026-01-01", "2026-12-31"));

        var december = new SnapshotCalculator(SnapshotOptions.Default).ForPeriod([contract.History()], new Money.Period(2025, 12)).Contracts.Single().Figures;

        Assert.Equal(0m, december.Backlog);
        Assert.Equal(500m, december.DeferredRevenue);
    }
}
