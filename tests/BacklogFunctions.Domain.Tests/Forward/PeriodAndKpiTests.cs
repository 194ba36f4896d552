using System.Globalization;
using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Forward;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Recognition;
using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Domain.Tests.Forward;

public class ReportingPeriodTests
{
    public static TheoryData<string, int, ReportingPeriodKind, string, string> Spans => new()
    {
        // name, fiscal year start month, kind, first month, last month
        { "2026-10", 1, ReportingPeriodKind.Month, "2026-10", "2026-10" },
        { "2026-Q1", 7, ReportingPeriodKind.Quarter, "2026-01", "2026-03" },
        { "2026-Q4", 1, ReportingPeriodKind.Quarter, "2026-10", "2026-12" },
        { "FY2026", 1, ReportingPeriodKind.FiscalYear, "2026-01", "2026-12" },
        { "FY2027", 7, ReportingPeriodKind.FiscalYear, "2026-07", "2027-06" },
        { "FY2027-Q1", 7, ReportingPeriodKind.FiscalQuarter, "2026-07", "2026-09" },
        { "FY2027-Q3", 7, ReportingPeriodKind.FiscalQuarter, "2027-01", "2027-03" },
        { "FY2027-Q4", 4, ReportingPeriodKind.FiscalQuarter, "2027-01", "2027-03" },
        { "FY2027-Q2", 1, ReportingPeriodKind.FiscalQuarter, "2027-04", "2027-06" },
    };

    [Theory]
    [MemberData(nameof(Spans))]
    public void Months_quarters_and_fiscal_years_span_whole_months(string name, int start, ReportingPeriodKind kind, string first, string last)
    {
        var period = ReportingPeriod.Parse(name, start);

        Assert.Equal((kind, first, last), (period.Kind, period.First.ToString(), period.Last.ToString()));
        Assert.Equal(period.Last.MonthsSince(period.First) + 1, period.Months.Count());
        Assert.Equal(period.First.Previous.LastDay, period.OpeningDay);
        Assert.Equal(name, period.ToString());
    }

    [Theory]
    // month, fiscal year start month, its quarter, its fiscal year, the year's first month
    [InlineData("2026-10", 1, "2026-Q4", "FY2026", "2026-01")]
    [InlineData("2026-01", 1, "2026-Q1", "FY2026", "2026-01")]
    [InlineData("2026-12", 1, "2026-Q4", "FY2026", "2026-01")]
    [InlineData("2026-07", 7, "FY2027-Q1", "FY2027", "2026-07")]
    [InlineData("2026-06", 7, "FY2026-Q4", "FY2026", "2025-07")]
    [InlineData("2026-11", 7, "FY2027-Q2", "FY2027", "2026-07")]
    [InlineData("2027-01", 7, "FY2027-Q3", "FY2027", "2026-07")]
    [InlineData("2027-03", 4, "FY2027-Q4", "FY2027", "2026-04")]
    [InlineData("2027-04", 4, "FY2028-Q1", "FY2028", "2027-04")]
    [InlineData("2026-02", 2, "FY2027-Q1", "FY2027", "2026-02")]
    [InlineData("2026-01", 2, "FY2026-Q4", "FY2026", "2025-02")]
    [InlineData("2026-12", 12, "FY2027-Q1", "FY2027", "2026-12")]
    public void A_month_falls_in_one_quarter_and_one_fiscal_year(string month, int start, string quarter, string year, string yearStart)
    {
        var m = Period.Parse(month);

        var q = ReportingPeriod.QuarterOf(m, start);
        var fy = ReportingPeriod.FiscalYearOf(m, start);

        Assert.Equal((quarter, year, yearStart), (q.Name, fy.Name, fy.First.ToString()));
        Assert.Contains(m, q.Months);
        Assert.Contains(m, fy.Months);
        Assert.Equal(q, ReportingPeriod.Parse(quarter, start));
    }

    [Theory]
    // span, fiscal year start month, through, name, months
    [InlineData("2026-Q4", 1, "2026-11", "2026-Q4 to 2026-11", 2)]
    [InlineData("2026-Q4", 1, "2026-10", "2026-Q4 to 2026-10", 1)]
    [InlineData("2026-Q4", 1, "2026-12", "2026-Q4", 3)]
    [InlineData("FY2027", 7, "2026-11", "FY2027 to 2026-11", 5)]
    [InlineData("FY2027-Q3", 7, "2027-02", "FY2027-Q3 to 2027-02", 2)]
    public void A_span_to_date_runs_from_its_first_month_through_the_given_month(string span, int start, string through, string name, int months)
    {
        var period = ReportingPeriod.Parse(span, start);

        var toDate = period.Through(Period.Parse(through));

        Assert.Equal((name, period.First, Period.Parse(through), period.Kind), (toDate.Name, toDate.First, toDate.Last, toDate.Kind));
        Assert.Equal(months, toDate.Months.Count());
        Assert.Throws<ArgumentOutOfRangeException>(() => period.Through(period.Last.Next));
        Assert.Throws<ArgumentOutOfRangeException>(() => period.Through(period.First.Previous));
    }

    [Theory]
    [InlineData("2026-Q5")]
    [InlineData("2026-Q0")]
    [InlineData("FY27")]
    [InlineData("fy2027")]
    [InlineData("FY2027-Q")]
    [InlineData("2026-13")]
    [InlineData("FY1999")]
    [InlineData("2026-Q1 ")]
    [InlineData("")]
    public void Anything_else_is_not_a_period(string name) =>
        Assert.False(ReportingPeriod.TryParse(name, 1, out _));
}

public class KpiTests
{
    private static DateOnly D(string iso) => DateOnly.Parse(iso, CultureInfo.InvariantCulture);

    [Fact]
    public void Ratios_of_a_period_and_n_a_on_a_zero_denominator()
    {
        var f = new Figures { Bookings = 300m, Expansions = 50m, Contractions = 30m, Billings = 160m, Revenue = 100m, OpeningBacklog = 1000m, Cancellations = 40m };

        Assert.Equal(2m, f.BookToBill);
        Assert.Equal(0.1m, f.BacklogConversion);
        Assert.Equal(0.04m, f.CancellationRate);
        Assert.Null((f with { Billings = 0m }).BookToBill);
        Assert.Null((f with { OpeningBacklog = -5m }).BacklogConversion);
    }

    [Fact]
    public void Lead_time_weights_each_completion_by_what_it_earned()
    {
        var history = Contract("C-1", "K1", "2026-01-01",
            [new ContractLine { LineId = "D1", Amount = 100m, Recognition = RecognitionPattern.PointInTime, ExpectedDate = D("2026-02-01") },
             new ContractLine { LineId = "P1", Amount = 300m, Recognition = RecognitionPattern.Milestone, Milestones = [new MilestoneTerms("M1", 300m, D("2026-03-01"))] }],
            new DeliveryCompleted { Id = "d1", OccurredAt = At("2026-01-31"), ContractId = "C-1", LineId = "D1", Date = D("2026-01-31") },
            new MilestoneCompleted { Id = "m1", OccurredAt = At("2026-03-02"), ContractId = "C-1", LineId = "P1", MilestoneId = "M1", Date = D("2026-03-02") });

        var quarter = Kpis.LeadTimeOf(history, D("2026-01-01"), D("2026-03-31"), ProrationPolicy.Daily);
        var january = Kpis.LeadTimeOf(history, D("2026-01-01"), D("2026-01-31"), ProrationPolicy.Daily);

        // (30 × 100 + 60 × 300) ÷ 400 = 52.5 days.
        Assert.Equal(52.5m, quarter.Days);
        Assert.Equal(30m, january.Days);
        Assert.Null(Kpis.LeadTimeOf(history, D("2026-04-01"), D("2026-04-30"), ProrationPolicy.Daily).Days);
    }

    [Fact]
    public void Retention_counts_a_churned_and_an_expanded_customer()
    {
        // Twelve months ago: K1 1200, K2 1200 and K3 nothing yet. Now: K1 churned, K2 expanded to 2400, K3 new.
        var k1 = Contract("C-1", "K1", "2025-01-01", [Ratable("L1", 1200m, "2025-01-01", "2025-12-31")]);
        var k2 = Contract("C-2", "K2", "2025-01-01", [Ratable("L1", 1200m, "2025-01-01", "2025-12-31")]);
        var k2Renewal = Contract("C-3", "K2", "2025-12-15", [Ratable("L1", 2400m, "2026-01-01", "2026-12-31")]);
        var k3 = Contract("C-4", "K3", "2026-03-01", [Ratable("L1", 600m, "2026-03-01", "2027-02-28")]);

        var (grr, nrr) = Kpis.Retention([k1, k2, k2Renewal, k3], D("2026-06-30"));

        Assert.Equal(0.5m, grr);
        Assert.Equal(1m, nrr);
        Assert.Equal((null, null), Kpis.Retention([k3], D("2026-06-30")));

        // The snapshot of June gives the same, from each contract's ARR now and a year earlier, by customer.
        var june = new SnapshotCalculator(SnapshotOptions.Default).ForPeriod([k1, k2, k2Renewal, k3], new Period(2026, 6)).Totals.Single();
        Assert.Equal((0.5m, 1m), (june.Grr, june.Nrr));
        Assert.Equal((3000m, 2400m), (june.Figures.Arr, june.Figures.ArrYearEarlier));
    }

    private static DateTimeOffset At(string day) => new(D(day).ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);

    private static ContractLine Ratable(string id, decimal amount, string start, string end) =>
        new() { LineId = id, Amount = amount, Recognition = RecognitionPattern.Ratable, ServiceStart = D(start), ServiceEnd = D(end) };

    private static ContractHistory Contract(string id, string customer, string signed, IReadOnlyList<ContractLine> lines, params ContractEvent[] events)
    {
        var signing = new ContractSigned
        {
            Id = "s-" + id, OccurredAt = At(signed), ContractId = id, SignedDate = D(signed), Currency = Currency.USD,
            Customer = new Customer(customer, customer, null, null), Lines = lines,
        };
        var issues = new List<ReplayIssue>();
        var history = ContractHistory.Create(id, [signing, .. events], issues);
        Assert.Empty(issues);
        return history;
    }
}
