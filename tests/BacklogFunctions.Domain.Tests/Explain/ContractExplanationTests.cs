using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Explain;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Recognition;
using BacklogFunctions.Domain.Snapshots;
using static BacklogFunctions.Domain.Tests.ContractScenario;

namespace BacklogFunctions.Domain.Tests.Explain;

/// <summary>Explained figures (journal.md): each case is explained piece by piece and adds up to the snapshot.</summary>
public class ContractExplanationTests
{
    private static ContractExplanation Explain(ContractScenario scenario, string period, SnapshotOptions? options = null)
    {
        var month = Period.Parse(period);
        var explanation = ContractExplanation.Of(scenario.History(), month.Previous.LastDay, month.LastDay, options ?? SnapshotOptions.Default);
        Assert.Equal(ExplainedFigures.Of(scenario.Period(period, options)), explanation.Figures);
        Assert.Equal(explanation.Figures.Tcv, explanation.TcvFromEvents);
        return explanation;
    }

    [Fact]
    public void A_ratable_line_amended_mid_period_shows_both_pieces_with_daily_elapsed_and_length_and_the_rounding()
    {
        var scenario = new ContractScenario()
            .Signed("2026-01-01", Ratable("L1", 12_000m, "2026-01-01", "2026-12-31", "Platform"))
            .Amended("2026-03-10", "2026-03-15", Ratable("L1", 18_000m, "2026-01-01", "2026-12-31", "Platform"));

        var line = Explain(scenario, "2026-03").Lines.Single();

        Assert.Equal("Platform", line.ProductLine);
        Assert.Equal(RecognitionPattern.Ratable, line.Recognition);
        Assert.Equal(D("2026-12-31"), line.Terms!.ServiceEnd);
        Assert.Collection(
            line.History,
            signing => Assert.Equal((null, 12_000m, 0m, 12_000m), (signing.Before, signing.After, signing.TcvBefore, signing.TcvAfter)),
            amendment =>
            {
                Assert.Equal((D("2026-03-10"), D("2026-03-15")), (amendment.SignedDate, amendment.EffectiveDate));
                Assert.Equal((12_000m, 18_000m, 12_000m, 18_000m), (amendment.Before, amendment.After, amendment.TcvBefore, amendment.TcvAfter));
            });

        var obligation = line.Obligations.Single();
        var start = obligation.Start.Pieces.Single();
        Assert.Equal((59L, 365L), (start.Elapsed, start.Length));
        Assert.Equal(1_939.73m, start.Recognized);
        Assert.Equal(1_939.73m, Math.Round(start.Exact, 2));
        Assert.NotEqual(start.Recognized, start.Exact);

        Assert.Collection(
            obligation.End.Pieces,
            old =>
            {
                Assert.Equal((12_000m, D("2026-03-14")), (old.Amount, old.StoppedAfter));
                Assert.Equal((73L, 365L, 2_400.00m), (old.Elapsed, old.Length, old.Recognized));
            },
            rest =>
            {
                Assert.Equal((15_600m, D("2026-03-15"), D("2026-12-31")), (rest.Amount, rest.From, rest.To));
                Assert.Equal((17L, 292L, 908.22m), (rest.Elapsed, rest.Length, rest.Recognized));
            });
        Assert.Equal((1_939.73m, 3_308.22m, 1_368.49m), (line.RecognizedAtStart, line.RecognizedAtEnd, line.Revenue));
    }

    [Fact]
    public void A_point_in_time_delivery_shows_its_expected_and_delivery_dates_and_the_event_that_completed_it()
    {
        var scenario = new ContractScenario()
            .Signed("2026-01-05", PointInTime("L2", 5_000m, "2026-02-15"))
            .Delivered("L2", "2026-02-20");

        var explanation = Explain(scenario, "2026-02");
        var obligation = explanation.Lines.Single().Obligations.Single();

        Assert.Equal(RecognitionPattern.PointInTime, obligation.Recognition);
        Assert.Equal((D("2026-02-15"), D("2026-02-20")), (obligation.ExpectedDate, obligation.CompletedOn));
        Assert.Equal("dlv-C-1-2", obligation.Completion!.Id);
        Assert.Empty(obligation.Start.Pieces);
        var piece = obligation.End.Pieces.Single();
        Assert.Equal((PieceKind.Completion, D("2026-02-20"), 5_000m), (piece.Kind, piece.From, piece.Recognized));
        Assert.Equal(5_000m, explanation.Figures.Revenue);
    }

    [Fact]
    public void A_milestone_line_shows_each_milestone_earned_or_pending()
    {
        var scenario = new ContractScenario()
            .Signed("2026-01-05", Milestones("L3", ("M1", 3_000m, "2026-02-01"), ("M2", 7_000m, "2026-04-01")))
            .MilestoneDone("L3", "M1", "2026-02-10");

        var explanation = Explain(scenario, "2026-02");
        var line = explanation.Lines.Single();

        Assert.Equal(RecognitionPattern.Milestone, line.Recognition);
        Assert.Collection(
            line.Obligations,
            m1 =>
            {
                Assert.Equal(("M1", D("2026-02-10"), 0m), (m1.MilestoneId, m1.CompletedOn, m1.Pending));
                Assert.Equal(3_000m, m1.End.Recognized);
            },
            m2 =>
            {
                Assert.Equal(("M2", D("2026-04-01"), (DateOnly?)null, 7_000m), (m2.MilestoneId, m2.ExpectedDate, m2.CompletedOn, m2.Pending));
                Assert.Equal(0m, m2.End.Recognized);
            });
        Assert.Equal((10_000m, 3_000m, 7_000m), (explanation.Figures.Tcv, explanation.Figures.Revenue, explanation.Figures.Backlog));
    }

    [Fact]
    public void A_credit_note_and_a_refund_are_listed_with_what_they_took_off_billed_and_collected()
    {
        var scenario = new ContractScenario()
            .Signed("2026-01-01", Ratable("L1", 12_000m, "2026-01-01", "2026-12-31"))
            .Invoiced("2026-01-05", 1_000m)
            .Credited("2026-01-20", 200m)
            .Paid("2026-01-25", 800m)
            .Paid("2026-01-28", -100m);

        var explanation = Explain(scenario, "2026-01");

        Assert.Equal([1_000m, -200m], explanation.BilledEvents.Select(e => e.Amount));
        Assert.Equal(["invoice.issued", "credit_note.issued"], explanation.BilledEvents.Select(e => e.Event.Type));
        Assert.Equal([800m, -100m], explanation.CollectedEvents.Select(e => e.Amount));
        Assert.Equal((800m, 700m, 1_019.18m), (explanation.Figures.BilledToDate, explanation.Figures.CollectedToDate, explanation.Figures.RecognizedToDate));
        Assert.Equal((0m, 219.18m), (explanation.Figures.DeferredRevenue, explanation.Figures.UnbilledReceivable));

        var collected = Explain(scenario, "2026-01", new SnapshotOptions { DeferredBasis = DeferredBasis.Collected });
        Assert.Equal(319.18m, collected.Figures.UnbilledReceivable);
    }

    [Fact]
    public void A_cancellation_and_a_voided_invoice_show_what_they_removed()
    {
        var scenario = new ContractScenario()
            .Signed("2026-01-01", Ratable("L1", 12_000m, "2026-01-01", "2026-12-31"))
            .Invoiced("2026-01-05", 12_000m, "INV-A")
            .Voided("2026-02-03", "INV-A")
            .Cancelled("2026-02-10", "2026-02-28");

        var explanation = Explain(scenario, "2026-02");

        var cancellation = explanation.TcvEvents.Single(e => e.Event is ContractCancelled);
        Assert.Equal(-(12_000m - Math.Round(12_000m * 59 / 365, 2)), cancellation.Amount);
        Assert.Equal([12_000m, -12_000m], explanation.BilledEvents.Select(e => e.Amount));
        var change = explanation.Lines.Single().History[^1];
        Assert.Equal((12_000m, 12_000m, 12_000m, explanation.Figures.Tcv), (change.Before, change.After, change.TcvBefore, change.TcvAfter));
        Assert.Equal(0m, explanation.Figures.Backlog);
    }

    [Fact]
    public void A_retroactive_amendment_is_a_catch_up_of_the_period_it_was_signed_in()
    {
        var scenario = new ContractScenario()
            .Signed("2026-01-01", Ratable("L1", 3_650m, "2026-01-01", "2026-12-31"))
            .Amended("2026-03-05", "2026-02-01", Ratable("L1", 7_300m, "2026-01-01", "2026-12-31"));

        var line = Explain(scenario, "2026-03").Lines.Single();

        // As known on the last day of February: 59 days of the old amount; the end has the new amount from February.
        Assert.Equal(590m, line.RecognizedAtStart);
        Assert.Equal(310m + Math.Round(6_990m * 59 / 334, 2), line.RecognizedAtEnd);
    }

    [Fact]
    public void A_contract_not_yet_signed_explains_to_zero()
    {
        var scenario = new ContractScenario().Signed("2026-05-01", Ratable("L1", 1_000m, "2026-05-01", "2026-05-31"));

        var history = scenario.History();
        var explanation = ContractExplanation.Of(history, D("2026-02-28"), D("2026-03-31"), SnapshotOptions.Default);

        // A snapshot leaves the contract out; its figures, computed alone, are zero like the explanation's.
        Assert.Empty(scenario.Snapshot("2026-03").Contracts);
        var contract = new SnapshotCalculator(SnapshotOptions.Default).Contract(history.At(D("2026-03-31"), ProrationPolicy.Daily), history.At(D("2026-02-28"), ProrationPolicy.Daily), history.At(D("2025-03-31"), ProrationPolicy.Daily));
        Assert.Equal(ExplainedFigures.Of(contract.Figures), explanation.Figures);
        Assert.False(explanation.IsSigned);
        Assert.Empty(explanation.Lines);
        Assert.Empty(explanation.TcvEvents);
    }

    [Theory]
    [InlineData(ProrationPolicy.Monthly)]
    [InlineData(ProrationPolicy.MonthlyProrated)]
    public void Monthly_policies_explain_in_month_weights_and_still_add_up(ProrationPolicy policy)
    {
        var scenario = new ContractScenario()
            .Signed("2026-01-10", Ratable("L1", 10_000m, "2026-01-10", "2026-07-20"))
            .Amended("2026-03-10", "2026-03-15", Ratable("L1", 9_000m, "2026-01-10", "2026-07-20"));

        var explanation = Explain(scenario, "2026-03", new SnapshotOptions { Proration = policy });

        foreach (var piece in explanation.Lines.Single().Obligations.SelectMany(o => o.End.Pieces))
        {
            Assert.InRange(piece.Elapsed, 0, piece.Length);
            Assert.Equal(Currency.Of("USD").Round(piece.Exact), piece.Recognized);
        }
    }
}
