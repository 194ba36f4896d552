using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Forward;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Recognition;

namespace BacklogFunctions.Domain.Tests.Forward;

/// <summary>The rules of forward.md, one table or one worked case each.</summary>
public class ForwardRuleTests
{
    private static DateOnly D(string iso) => DateOnly.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    public static TheoryData<string, string, int, string> PeriodCases => new()
    {
        // service start, service end, months per period, expected "start..end" of every period
        { "2026-01-31", "2027-01-30", 3, "2026-01-31..2026-04-29 2026-04-30..2026-07-30 2026-07-31..2026-10-30 2026-10-31..2027-01-30" },
        { "2026-11-01", "2027-01-31", 1, "2026-11-01..2026-11-30 2026-12-01..2026-12-31 2027-01-01..2027-01-31" },
        { "2028-02-29", "2028-05-28", 1, "2028-02-29..2028-03-28 2028-03-29..2028-04-28 2028-04-29..2028-05-28" },
        { "2026-01-01", "2026-04-15", 3, "2026-01-01..2026-03-31 2026-04-01..2026-04-15" },
        { "2026-03-10", "2026-03-10", 12, "2026-03-10..2026-03-10" },
    };

    [Theory]
    [MemberData(nameof(PeriodCases))]
    public void Billing_periods_count_from_the_service_start_and_clamp_month_ends(string start, string end, int months, string expected)
    {
        var periods = Installments.Periods(D(start), D(end), months);

        Assert.Equal(expected, string.Join(" ", periods.Select(p => $"{EventJson.Iso(p.Start)}..{EventJson.Iso(p.End)}")));
    }

    public static TheoryData<string, string, BillingFrequency, BillingTiming, string> InstallmentCases => new()
    {
        // amount, service "start end", frequency, timing, expected "date=amount" installments
        { "100.00", "2026-11-01 2027-01-31", BillingFrequency.Monthly, BillingTiming.Advance, "2026-11-01=33.33 2026-12-01=33.34 2027-01-01=33.33" },
        { "100.00", "2026-11-01 2027-01-31", BillingFrequency.Monthly, BillingTiming.Arrears, "2026-11-30=33.33 2026-12-31=33.34 2027-01-31=33.33" },
        { "1000", "2026-01-31 2027-01-30", BillingFrequency.Quarterly, BillingTiming.Arrears, "2026-04-29=250 2026-07-30=250 2026-10-30=250 2027-01-30=250" },
        { "1200.00", "2026-07-01 2028-06-30", BillingFrequency.Annual, BillingTiming.Advance, "2026-07-01=600.00 2027-07-01=600.00" },
        { "999.99", "2026-01-01 2026-12-31", BillingFrequency.Semiannual, BillingTiming.Advance, "2026-01-01=500.00 2026-07-01=499.99" },
        { "1200.00", "2026-11-01 2027-10-31", BillingFrequency.Upfront, BillingTiming.Advance, "2026-10-03=1200.00" },
    };

    [Theory]
    [MemberData(nameof(InstallmentCases))]
    public void A_plan_calls_for_installments_that_add_up_to_the_line(string amount, string service, BillingFrequency frequency, BillingTiming timing, string expected)
    {
        var dates = service.Split(' ');
        var line = Ratable("L1", amount, dates[0], dates[1]) with { Billing = new BillingPlan { Frequency = frequency, Timing = timing } };

        var installments = Installments.Of(line, D("2026-10-03"), Currency.USD, _ => null);

        Assert.Equal(expected, string.Join(" ", installments.Select(i => $"{EventJson.Iso(i.Date)}={i.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture)}")));
        Assert.Equal(line.Amount, installments.Sum(i => i.Amount));
    }

    [Fact]
    public void On_delivery_bills_on_completion_and_until_then_on_the_expected_date()
    {
        var line = new ContractLine
        {
            LineId = "P1", Amount = 500m, Recognition = RecognitionPattern.Milestone, Billing = new BillingPlan { Frequency = BillingFrequency.OnDelivery },
            Milestones = [new MilestoneTerms("M1", 200m, D("2026-12-01")), new MilestoneTerms("M2", 300m, D("2027-01-15"))],
        };

        var installments = Installments.Of(line, D("2026-10-03"), Currency.USD, m => m == "M1" ? D("2026-12-04") : null);

        Assert.Equal([new Installment(D("2026-12-04"), 200m), new Installment(D("2027-01-15"), 300m)], installments);
    }

    [Fact]
    public void Behind_plan_is_overdue_billing_and_the_rest_is_forecast_month_by_month()
    {
        var history = Contract(Monthly("1200.00"), Invoice("I1", "2026-11-01", "100.00"));

        var f = ContractForward.Of(history, D("2026-12-31"), ProrationPolicy.Daily);

        Assert.Equal(1100m, f.NotYetBilled);
        Assert.Equal(100m, f.OverdueBilling);
        Assert.Equal(0m, f.UnscheduledBilling);
        Assert.Equal([100m, 100m, 100m, 100m, 100m, 100m, 100m, 100m, 100m, 100m, 0m], f.BillingsForecast.Months.Take(11));
        Assert.Equal(1000m, f.BillingsForecast.Total);
    }

    [Fact]
    public void Billed_ahead_of_plan_skips_the_first_installments()
    {
        var history = Contract(Monthly("1200.00"), Invoice("I1", "2026-11-01", "600.00"));

        var f = ContractForward.Of(history, D("2026-12-31"), ProrationPolicy.Daily);

        Assert.Equal(0m, f.OverdueBilling);
        Assert.Equal([0m, 0m, 0m, 0m, 100m, 100m, 100m, 100m, 100m, 100m, 0m], f.BillingsForecast.Months.Take(11));
        Assert.Equal(f.NotYetBilled, f.OverdueBilling + f.BillingsForecast.Total + f.UnscheduledBilling);
    }

    [Fact]
    public void Over_billing_forecasts_nothing_and_leaves_a_negative_unscheduled_amount()
    {
        var history = Contract(Monthly("1200.00"), Invoice("I1", "2026-11-01", "1300.00"));

        var f = ContractForward.Of(history, D("2026-12-31"), ProrationPolicy.Daily);

        Assert.Equal(-100m, f.NotYetBilled);
        Assert.Equal(0m, f.OverdueBilling);
        Assert.Equal(0m, f.BillingsForecast.Total);
        Assert.Equal(-100m, f.UnscheduledBilling);
    }

    [Fact]
    public void A_line_without_a_plan_is_unscheduled()
    {
        var history = Contract(Ratable("L1", "1200.00", "2026-11-01", "2027-10-31"));

        var f = ContractForward.Of(history, D("2026-12-31"), ProrationPolicy.Daily);

        Assert.Equal(1200m, f.UnscheduledBilling);
        Assert.Equal(0m, f.BillingsForecast.Total + f.OverdueBilling);
    }

    [Fact]
    public void An_amended_plan_replaces_the_old_one_from_its_effective_date()
    {
        var amended = new ContractAmended
        {
            Id = "a1", OccurredAt = Instant("2027-01-10"), ContractId = "C-1", SignedDate = D("2027-01-10"), Effective = D("2027-02-01"),
            Lines = [Monthly("1200.00") with { Billing = new BillingPlan { Frequency = BillingFrequency.Quarterly, Timing = BillingTiming.Arrears } }],
        };
        var history = Contract(Monthly("1200.00"), amended);

        var before = ContractForward.Of(history, D("2027-01-31"), ProrationPolicy.Daily);
        var after = ContractForward.Of(history, D("2027-02-28"), ProrationPolicy.Daily);

        // Before: monthly, three installments planned and none billed. After: quarterly in arrears from the
        // service start (Jan 31, Apr 30, Jul 31, Oct 31).
        Assert.Equal((300m, 100m), (before.OverdueBilling, before.BillingsForecast.Months[0]));
        Assert.Equal(300m, after.OverdueBilling);
        Assert.Equal([0m, 300m, 0m, 0m, 300m], after.BillingsForecast.Months.Take(5));
    }

    [Fact]
    public void Credits_settle_the_oldest_due_invoice_first_and_open_balances_age_from_their_due_date()
    {
        var history = Contract(
            Monthly("1200.00"),
            Invoice("I1", "2026-11-01", "100.00"),
            Invoice("I2", "2026-12-01", "100.00", due: "2026-12-15"),
            Invoice("I3", "2027-01-01", "100.00"),
            new CreditNoteIssued { Id = "n1", OccurredAt = Instant("2026-12-20"), ContractId = "C-1", CreditNoteId = "N1", Date = D("2026-12-20"), Amount = 30m },
            Payment("p1", "2026-12-05", "100.00"));

        var f = ContractForward.Of(history, D("2027-01-31"), ProrationPolicy.Daily);

        // Due: I1 2026-12-01 (30 days), I2 2026-12-15, I3 2027-01-31. Credits 130: I1 in full, 30 of I2.
        Assert.Equal(["I2=70.00 due 2026-12-15 (47)", "I3=100.00 due 2027-01-31 (0)"], f.OpenInvoices.Select(i => $"{i.InvoiceId}={i.OpenBalance:F2} due {EventJson.Iso(i.DueDate)} ({i.DaysPastDue})"));
        Assert.Equal(new ReceivablesAging(100m, 0m, 70m, 0m, 0m), f.Aging);
        Assert.Equal(170m, f.Receivables);
        Assert.Equal(0m, f.UnappliedCredits);
        Assert.Equal(170m, f.CollectionsOverdue);
    }

    [Fact]
    public void Credits_beyond_the_invoices_are_unapplied()
    {
        var history = Contract(Monthly("1200.00"), Invoice("I1", "2026-11-01", "100.00"), Payment("p1", "2026-11-20", "250.00"));

        var f = ContractForward.Of(history, D("2026-11-30"), ProrationPolicy.Daily);

        Assert.Empty(f.OpenInvoices);
        Assert.Equal(150m, f.UnappliedCredits);
        Assert.Equal(-150m, f.Receivables);
        Assert.Equal(f.Receivables, f.Aging.Total - f.UnappliedCredits);
    }

    [Fact]
    public void Collections_are_expected_after_the_payment_terms()
    {
        var history = Contract(Monthly("1200.00"), 45, Invoice("I1", "2026-11-01", "100.00"));

        var f = ContractForward.Of(history, D("2026-11-30"), ProrationPolicy.Daily);

        // I1 due 2026-12-16 (December); each installment from December on, 45 days later.
        Assert.Equal(100m, f.CollectionsForecast.Months[0]);
        Assert.Equal(100m, f.CollectionsForecast.Months[1]);
        Assert.Equal(f.OpenInvoices.Sum(i => i.OpenBalance) + f.OverdueBilling + f.BillingsForecast.Total, f.CollectionsOverdue + f.CollectionsForecast.Total);
    }

    public static TheoryData<string, string, string, string> ArrCases => new()
    {
        // amount, service start, service end, ARR
        { "1200.00", "2028-01-01", "2028-12-31", "1200.00" },
        { "1200.00", "2027-03-01", "2028-02-29", "1200.00" },
        { "1200.00", "2026-01-15", "2026-07-14", "2400.00" },
        { "3600.00", "2026-01-01", "2028-12-31", "1200.00" },
        { "1000.00", "2026-01-01", "2026-01-31", "12000.00" },
        { "1500.00", "2026-01-01", "2026-02-14", "12000.00" },
        { "1550.00", "2026-01-01", "2026-02-15", "12111.63" },
    };

    [Theory]
    [MemberData(nameof(ArrCases))]
    public void Arr_annualizes_a_ratable_line_by_its_months(string amount, string start, string end, string arr)
    {
        var line = Ratable("L1", amount, start, end);

        Assert.Equal(decimal.Parse(arr, System.Globalization.CultureInfo.InvariantCulture), ContractForward.ArrOf([line], D(start), Currency.USD));
        Assert.Equal(0m, ContractForward.ArrOf([line], D(end).AddDays(1), Currency.USD));
    }

    [Fact]
    public void Undelivered_work_past_its_expected_date_is_overdue()
    {
        var point = new ContractLine { LineId = "L2", Amount = 300m, Recognition = RecognitionPattern.PointInTime, ExpectedDate = D("2026-11-15") };
        var history = Contract(point);

        var f = ContractForward.Of(history, D("2026-11-30"), ProrationPolicy.Daily);

        var late = Assert.Single(f.OverdueDeliveries);
        Assert.Equal(("L2", (string?)null, 300m, 15), (late.LineId, late.MilestoneId, late.Amount, late.DaysLate));
        Assert.Equal(300m, f.OverdueBacklog);
        Assert.Empty(ContractForward.Of(history, D("2026-11-15"), ProrationPolicy.Daily).OverdueDeliveries);
    }

    private static ContractLine Ratable(string id, string amount, string start, string end) => new()
    {
        LineId = id,
        Amount = decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture),
        Recognition = RecognitionPattern.Ratable,
        ServiceStart = D(start),
        ServiceEnd = D(end),
    };

    private static ContractLine Monthly(string amount) =>
        Ratable("L1", amount, "2026-11-01", "2027-10-31") with { Billing = new BillingPlan { Frequency = BillingFrequency.Monthly } };

    private static DateTimeOffset Instant(string day) => new(D(day).ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);

    private static InvoiceIssued Invoice(string id, string issued, string amount, string? due = null) => new()
    {
        Id = "e-" + id, OccurredAt = Instant(issued), ContractId = "C-1", InvoiceId = id, IssueDate = D(issued),
        Amount = decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), DueDate = due is null ? null : D(due),
    };

    private static PaymentReceived Payment(string id, string date, string amount) => new()
    {
        Id = id, OccurredAt = Instant(date), ContractId = "C-1", PaymentId = id.ToUpperInvariant(), Date = D(date),
        Amount = decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture),
    };

    private static ContractHistory Contract(ContractLine line, params ContractEvent[] events) => Contract(line, 30, events);

    private static ContractHistory Contract(ContractLine line, int terms, params ContractEvent[] events)
    {
        var signed = new ContractSigned
        {
            Id = "s1", OccurredAt = Instant("2026-10-03"), ContractId = "C-1", SignedDate = D("2026-10-03"), Currency = Currency.USD,
            Customer = new Customer("K1", "Contoso", null, null), PaymentTermsDays = terms, Lines = [line],
        };
        var issues = new List<ReplayIssue>();
        var history = ContractHistory.Create("C-1", [signed, .. events], issues);
        Assert.Empty(issues);
        return history;
    }
}
