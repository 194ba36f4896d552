using System.Globalization;
using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Snapshots;
using static BacklogFunctions.Domain.Tests.ContractScenario;

namespace BacklogFunctions.Domain.Tests.Recognition;

/// <summary>Progress lines (recognition.md, "Progress lines"), rule by rule, with the IFRS 15 examples it names.</summary>
public class ProgressRecognitionTests
{
    private static readonly SnapshotOptions ThreeDecimals = new() { ProgressDecimals = 3 };

    /// <summary>
    /// IFRS 15 Example 8: 1,000,000 for a building, costs estimated at 700,000; 420,000 incurred in year 1 (60%: 600,000).
    /// In year 2 the price becomes 1,350,000 and the estimated costs 820,000: progress 51.2%, a cumulative catch-up.
    /// </summary>
    private static ContractScenario Example8() => new ContractScenario()
        .Signed("2026-01-05", Progress("B1", 1_000_000m, 700_000m))
        .Reported("B1", "2026-12-31", 420_000m)
        .Amended("2027-02-10", "2027-02-10", Progress("B1", 1_350_000m, 820_000m));

    [Fact]
    public void IFRS15_Example8_cumulative_catch_up_is_91200_with_progressDecimals_3()
    {
        var contract = Example8();

        Assert.Equal(600_000m, contract.AsOf("2026-12-31", ThreeDecimals).RecognizedToDate);
        var february = contract.Period("2027-02", ThreeDecimals);
        Assert.Equal(91_200m, february.Revenue);
        Assert.Equal(691_200m, february.RecognizedToDate);
        Assert.Equal(1_350_000m - 691_200m, february.Backlog);
        Assert.Equal(350_000m, february.Expansions);
        Assert.Equal(0m, contract.Period("2027-01", ThreeDecimals).Revenue);
    }

    [Fact]
    public void IFRS15_Example8_exact_progress_gives_91463_41()
    {
        var contract = Example8();

        Assert.Equal(91_463.41m, contract.Period("2027-02").Revenue);
        Assert.Equal(1_350_000m, contract.Period("2027-02").Tcv);
    }

    /// <summary>
    /// IFRS 15 Example 19: 5,000,000 for a building with elevators (1,500,000, control passes on delivery) and other
    /// costs of 2,500,000; the elevators are their own point-in-time line at cost, the progress line measures the
    /// other costs: 500,000 incurred → 20% × 3,500,000 + 1,500,000.
    /// </summary>
    [Fact]
    public void IFRS15_Example19_elevators_as_their_own_line_give_2200000_at_20_percent()
    {
        var contract = new ContractScenario()
            .Signed("2026-01-05", Progress("BUILD", 3_500_000m, 2_500_000m), PointInTime("ELEV", 1_500_000m, "2026-03-01"))
            .Delivered("ELEV", "2026-03-01")
            .Reported("BUILD", "2026-12-31", 500_000m);

        var year = contract.AsOf("2026-12-31");

        Assert.Equal(2_200_000m, year.RecognizedToDate);
        Assert.Equal(2_800_000m, year.Backlog);
    }

    // Each row: the line (amount, estimated total, measure), then the reports "date:toDate[:new estimate]" or
    // "date:delivered", then the day and the recognized to date and the revenue of that day's month expected.
    [Theory]
    [InlineData("units", "90000.00", "300", "2026-02-28:100", "2026-02-28", "30000.00", "30000.00")]
    [InlineData("units", "90000.00", "300", "2026-02-28:100|2026-03-31:250", "2026-03-31", "75000.00", "45000.00")]
    [InlineData("units", "100.00", "3", "2026-02-28:1", "2026-02-28", "33.33", "33.33")]
    [InlineData("units", "100.00", "3", "2026-02-28:1|2026-03-31:2", "2026-03-31", "66.67", "33.34")]
    // Estimate revised up: progress goes down, a negative catch-up in the month it is known.
    [InlineData("cost", "1000.00", "500", "2026-02-28:250|2026-03-15:250:1000", "2026-03-31", "250.00", "-250.00")]
    // Estimate revised down: progress goes up.
    [InlineData("cost", "1000.00", "500", "2026-02-28:250|2026-03-15:250:400", "2026-03-31", "625.00", "125.00")]
    // Revised below the costs already incurred: progress is capped at 1.
    [InlineData("cost", "1000.00", "500", "2026-02-28:250|2026-03-15:300:200", "2026-03-31", "1000.00", "500.00")]
    // Costs beyond the estimate: capped at 100%.
    [InlineData("cost", "1000.00", "500", "2026-02-28:250|2026-03-31:900", "2026-03-31", "1000.00", "500.00")]
    // Once complete, a later estimate above the costs does not reopen the line.
    [InlineData("cost", "1000.00", "500", "2026-02-28:500|2026-03-31:500:800", "2026-03-31", "1000.00", "0.00")]
    // Completed by a delivery: the rest is earned that day.
    [InlineData("cost", "1000.00", "500", "2026-02-28:100|2026-03-20:delivered", "2026-03-20", "1000.00", "800.00")]
    [InlineData("cost", "1000.00", "500", "2026-02-28:100|2026-03-20:delivered|2026-03-31:200", "2026-03-31", "1000.00", "800.00")]
    // Nothing reported yet: nothing earned, all of it is backlog.
    [InlineData("cost", "1000.00", "500", "", "2026-03-31", "0.00", "0.00")]
    // JPY has no minor unit.
    [InlineData("cost", "100000", "3", "2026-03-31:1", "2026-03-31", "33333", "33333")]
    public void Progress_recognized_to_date_and_revenue(string measure, string amount, string estimate, string reports, string day, string recognized, string revenue)
    {
        var contract = new ContractScenario(currency: amount.Contains('.', StringComparison.Ordinal) ? "USD" : "JPY")
            .Signed("2026-01-05", Progress("B1", Dec(amount), Dec(estimate), measure == "units" ? ProgressMeasure.Units : ProgressMeasure.Cost));
        foreach (var report in reports.Split('|', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = report.Split(':');
            if (parts[1] == "delivered")
            {
                contract.Delivered("B1", parts[0]);
            }
            else
            {
                contract.Reported("B1", parts[0], Dec(parts[1]), parts.Length > 2 ? Dec(parts[2]) : null);
            }
        }

        var figures = contract.AsOf(day);

        Assert.Equal(Dec(recognized), figures.RecognizedToDate);
        Assert.Equal(Dec(revenue), figures.Revenue);
        Assert.Equal(Dec(amount) - Dec(recognized), figures.Backlog);
    }

    [Fact]
    public void An_amendment_of_the_amount_mid_project_is_a_catch_up_in_its_month_and_earlier_months_stay()
    {
        var contract = new ContractScenario()
            .Signed("2026-01-05", Progress("B1", 1000m, 400m))
            .Reported("B1", "2026-01-31", 100m)
            .Reported("B1", "2026-02-28", 200m)
            .Amended("2026-03-10", "2026-02-01", Progress("B1", 1500m, 400m))
            .Reported("B1", "2026-03-31", 300m)
            .Reported("B1", "2026-04-30", 400m);

        Assert.Equal(250m, contract.Period("2026-01").Revenue);
        Assert.Equal(250m, contract.Period("2026-02").Revenue);
        var march = contract.Period("2026-03");
        Assert.Equal(1125m - 500m, march.Revenue);
        Assert.Equal(500m, march.Expansions);
        Assert.Equal(375m, contract.Period("2026-04").Revenue);
        Assert.Equal(0m, contract.Period("2026-04").Backlog);
    }

    [Fact]
    public void A_cancelled_progress_line_keeps_the_progress_through_its_last_day_of_service_and_the_rest_is_a_cancellation()
    {
        var contract = new ContractScenario()
            .Signed("2026-01-05", Progress("B1", 1000m, 400m))
            .Reported("B1", "2026-01-31", 100m)
            .Reported("B1", "2026-02-20", 200m)
            .Cancelled("2026-03-05", "2026-02-10")
            .Reported("B1", "2026-03-31", 300m);

        Assert.Equal(500m, contract.Period("2026-02").RecognizedToDate);
        var march = contract.Period("2026-03");
        Assert.Equal(-250m, march.Revenue);
        Assert.Equal(750m, march.Cancellations);
        Assert.Equal(0m, march.Backlog);
        Assert.Equal(250m, contract.Period("2026-04").RecognizedToDate);
    }

    [Fact]
    public void Progress_decimals_round_the_ratio_half_away_from_zero_before_the_amount()
    {
        var contract = new ContractScenario()
            .Signed("2026-01-05", Progress("B1", 1000m, 8m))
            .Reported("B1", "2026-01-31", 1m);

        Assert.Equal(125m, contract.AsOf("2026-01-31").RecognizedToDate);
        Assert.Equal(130m, contract.AsOf("2026-01-31", new SnapshotOptions { ProgressDecimals = 2 }).RecognizedToDate);
        Assert.Equal(100m, contract.AsOf("2026-01-31", new SnapshotOptions { ProgressDecimals = 1 }).RecognizedToDate);
    }

    private static decimal Dec(string text) => decimal.Parse(text, CultureInfo.InvariantCulture);
}

/// <summary>Loss contracts, the per-line progress in the snapshot JSON, and the RPO timing of progress lines.</summary>
public class ProgressSnapshotTests
{
    [Theory]
    // amount, measure, estimate, a revised estimate reported on 2026-02-15 (or none), delivered (or not): the expected loss as of 2026-02-28
    [InlineData("1000.00", "cost", "1200", "", false, "200.00")]
    [InlineData("1000.00", "cost", "800", "1000.50", false, "0.50")]
    [InlineData("1000.00", "cost", "1200", "900", false, "")]
    [InlineData("1000.00", "cost", "1000", "", false, "")]
    [InlineData("1000.00", "units", "1200", "", false, "")]
    [InlineData("1000.00", "cost", "1200", "", true, "")]
    public void A_progress_line_whose_estimated_cost_exceeds_its_amount_is_flagged_as_a_loss_contract(string amount, string measure, string estimate, string revised, bool delivered, string loss)
    {
        var contract = new ContractScenario()
            .Signed("2026-01-05", Progress("B1", Dec(amount), Dec(estimate), measure == "cost" ? ProgressMeasure.Cost : ProgressMeasure.Units), PointInTime("L2", 50m, "2026-06-01"))
            .Reported("B1", "2026-02-15", 100m, revised.Length > 0 ? Dec(revised) : null);
        if (delivered)
        {
            contract.Delivered("B1", "2026-02-20");
        }

        var snapshot = contract.Snapshot("2026-02");

        if (loss.Length == 0)
        {
            Assert.Empty(snapshot.LossContracts);
        }
        else
        {
            Assert.Equal(new LossContract(contract.ContractId, Money.Currency.USD, "B1", Dec(loss)), Assert.Single(snapshot.LossContracts));
            Assert.Equal(snapshot.LossContracts, snapshot.Contracts.Single().LossContracts);
        }
    }

    [Fact]
    public void The_snapshot_json_has_loss_contracts_at_the_top_and_each_progress_line_s_progress_with_4_decimals()
    {
        var contract = new ContractScenario()
            .Signed("2026-01-05", Progress("B1", 1_000_000m, 700_000m), Progress("B2", 500m, 300m, ProgressMeasure.Units), Ratable("S1", 1200m, "2026-01-01", "2026-12-31"))
            .Reported("B1", "2026-01-31", 420_000m, 820_000m)
            .Reported("B2", "2026-01-31", 100m)
            .Amended("2026-01-31", "2026-01-31", Progress("B1", 800_000m, 820_000m), Progress("B2", 500m, 300m, ProgressMeasure.Units), Ratable("S1", 1200m, "2026-01-01", "2026-12-31"));

        var json = System.Text.Json.Nodes.JsonNode.Parse(Write(contract.Snapshot("2026-01")))!;

        var loss = Assert.Single(json["lossContracts"]!.AsArray())!;
        Assert.Equal((contract.ContractId, "USD", "B1", "20000.00"), (loss["contractId"]!.GetValue<string>(), loss["currency"]!.GetValue<string>(), loss["lineId"]!.GetValue<string>(), loss["expectedLoss"]!.GetValue<string>()));
        var lines = json["contracts"]![0]!["lines"]!.AsArray();
        Assert.Equal("0.5122", lines[0]!["progress"]!.GetValue<string>());
        Assert.Equal("0.3333", lines[1]!["progress"]!.GetValue<string>());
        Assert.Null(lines[2]!["progress"]);
    }

    [Fact]
    public void The_stored_document_keeps_the_loss_contracts_and_the_progress_decimals_setting()
    {
        var contract = new ContractScenario()
            .Signed("2026-01-05", Progress("B1", 1000m, 1500.5m))
            .Reported("B1", "2026-01-31", 100m);
        var snapshot = new SnapshotCalculator(new SnapshotOptions { ProgressDecimals = 3 }).ForPeriod([contract.History()], new Money.Period(2026, 1));

        var stored = Application.Presentation.SnapshotJson.ReadSnapshot(Application.Presentation.SnapshotJson.Write(Application.Presentation.SnapshotDocument.From(snapshot))).ToSnapshot();

        Assert.Equal(3, stored.Options.ProgressDecimals);
        Assert.Equal(new LossContract(contract.ContractId, Money.Currency.USD, "B1", 500.50m), Assert.Single(stored.LossContracts));
    }

    [Fact]
    public void A_snapshot_without_progress_lines_writes_neither_loss_contracts_nor_progress()
    {
        var contract = new ContractScenario().Signed("2026-01-05", Ratable("S1", 1200m, "2026-01-01", "2026-12-31"));

        var text = Write(contract.Snapshot("2026-01"));

        Assert.DoesNotContain("lossContracts", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"progress\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("progressDecimals", text, StringComparison.Ordinal);
    }

    [Theory]
    // Expected completion after the day: the rest (750.00) evenly by day over 2026-02-01..2026-04-30 (89 days).
    [InlineData("2026-04-30", "235.96", "261.23", "252.81")]
    // No expected completion, or one already past: all of it in the month after the day.
    [InlineData("", "750.00", "0.00", "0.00")]
    [InlineData("2026-01-15", "750.00", "0.00", "0.00")]
    public void The_rest_of_a_progress_line_is_expected_evenly_by_day_until_its_expected_completion(string completion, string month1, string month2, string month3)
    {
        var contract = new ContractScenario()
            .Signed("2026-01-05", Progress("B1", 1000m, 400m, expectedCompletion: completion.Length > 0 ? completion : null))
            .Reported("B1", "2026-01-31", 100m);

        var waterfall = new SnapshotCalculator(SnapshotOptions.Default).Waterfall([contract.History()], new DateOnly(2026, 1, 31)).Single();
        var figures = contract.Period("2026-01");

        Assert.Equal(750m, waterfall.Backlog);
        Assert.Equal([Dec(month1), Dec(month2), Dec(month3)], waterfall.Months.Take(3).Select(m => m.Amount));
        Assert.Equal(750m, figures.Rpo0To3Months);
        Assert.Equal(750m, figures.RpoCurrent);
    }

    [Fact]
    public void A_progress_line_s_expected_completion_sets_the_contract_s_term_length()
    {
        var contract = new ContractScenario().Signed("2026-01-05", Progress("B1", 1000m, 400m, expectedCompletion: "2028-06-30"), PointInTime("L2", 10m, "2026-02-01"));

        Assert.Equal(TermLength.Months25To36, contract.Snapshot("2026-01").Contracts.Single().TermLength);
    }

    private static string Write(Snapshot snapshot)
    {
        using var buffer = new MemoryStream();
        Application.Presentation.SnapshotJson.Write(buffer, snapshot);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static decimal Dec(string text) => decimal.Parse(text, CultureInfo.InvariantCulture);
}
