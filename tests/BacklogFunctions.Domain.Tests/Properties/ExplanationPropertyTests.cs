using BacklogFunctions.Domain.Explain;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Recognition;
using BacklogFunctions.Domain.Snapshots;
using BacklogFunctions.Sample;
using CsCheck;

namespace BacklogFunctions.Domain.Tests.Properties;

/// <summary>
/// Explained figures over generated companies (36 months, four currencies, amendments, cancellations, credit notes,
/// refunds): every contract's explanation adds up exactly to its snapshot figures, in several months of its life.
/// </summary>
public class ExplanationPropertyTests
{
    private const int Contracts = 30;
    private const int Months = 36;
    private static readonly Period First = SampleSpec.DefaultStart;

    private static readonly Gen<(int Seed, ProrationPolicy Proration, DeferredBasis Basis, int[] Months)> Cases =
        Gen.Select(Gen.Int[1, 1_000_000], Gen.Enum<ProrationPolicy>(), Gen.Enum<DeferredBasis>(), Gen.Int[0, Months].Array[4]);

    private static long Iterations(int normal) =>
        int.TryParse(Environment.GetEnvironmentVariable("BACKLOG_PROPERTY_ITERATIONS"), out var factor) && factor > 1 ? normal * (long)factor : normal;

    [Fact]
    public void Every_contracts_explanation_adds_up_to_its_snapshot_figures_exactly()
    {
        Cases.Sample(
            c =>
            {
                var options = new SnapshotOptions { Proration = c.Proration, DeferredBasis = c.Basis };
                var calculator = new SnapshotCalculator(options);
                var events = SampleGenerator.Generate(new SampleSpec(Contracts, Months, c.Seed, First));
                var histories = events.GroupBy(e => e.ContractId).Select(g => ContractHistory.Create(g.Key, g)).ToList();

                // Several month ends, and one mid-month as-of day (flows month to date).
                foreach (var (opening, asOf) in c.Months.Select(m => First.AddMonths(m)).Select(p => (p.Previous.LastDay, p.LastDay)).Append((First.AddMonths(c.Months[0]).Previous.LastDay, First.AddMonths(c.Months[0]).FirstDay.AddDays(14))))
                {
                    foreach (var history in histories)
                    {
                        var snapshot = calculator.Contract(history.At(asOf, c.Proration), history.At(opening, c.Proration), history.At(asOf.AddMonthsKeepingMonthEnd(-12), c.Proration));
                        var explanation = ContractExplanation.Of(history, opening, asOf, options);

                        Assert.Equal(ExplainedFigures.Of(snapshot.Figures), explanation.Figures);
                        Assert.Equal(explanation.Figures.Tcv, explanation.TcvFromEvents);
                        Assert.Equal(snapshot.Lines.Select(l => (l.LineId, l.Figures.Tcv, l.Figures.RecognizedToDate, l.Figures.Revenue, l.Figures.Backlog)), explanation.Lines.Select(l => (l.LineId, l.Tcv, l.RecognizedAtEnd, l.Revenue, l.Backlog)));
                        foreach (var piece in explanation.Lines.SelectMany(l => l.Obligations).SelectMany(o => o.Start.Pieces.Concat(o.End.Pieces)))
                        {
                            // The rounding shown is the rounding applied: the recognized amount is the exact share rounded.
                            Assert.Equal(explanation.Currency.Round(piece.Exact), piece.Recognized);
                            Assert.InRange(piece.Elapsed, 0, piece.Length);
                        }
                    }
                }
            },
            iter: Iterations(6));
    }
}
