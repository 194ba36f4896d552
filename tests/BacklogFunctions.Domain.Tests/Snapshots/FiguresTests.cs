using BacklogFunctions.Application.Presentation;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Snapshots;
using CsCheck;

namespace BacklogFunctions.Domain.Tests.Snapshots;

/// <summary>Figures are values: sums and differences make new figures, and nothing changes one after it is made.</summary>
public class FiguresTests
{
    private static readonly Gen<Figures> AnyFigures =
        Gen.Decimal[-1_000_000m, 1_000_000m].Select(d => Math.Round(d, 2)).Array[FigureColumns.All.Count]
            .Select(values => FigureColumns.All.Select((c, i) => (c, i)).Aggregate(Figures.Zero, (f, x) => x.c.With(f, values[x.i])));

    [Fact]
    public void Adding_is_commutative_and_associative_and_subtracting_undoes_it() =>
        Gen.Select(AnyFigures, AnyFigures, AnyFigures).Sample((a, b, c) =>
            a + b == b + a && (a + b) + c == a + (b + c) && a + b - b == a && a - a == Figures.Zero && a + Figures.Zero == a);

    [Fact]
    public void Every_figure_of_a_sum_is_the_sum_of_the_figures() =>
        Gen.Select(AnyFigures, AnyFigures).Sample((a, b) =>
            FigureColumns.All.All(c => c.Value(a + b) == c.Value(a) + c.Value(b) && c.Value(a - b) == c.Value(a) - c.Value(b)));

    [Fact]
    public void A_sum_leaves_its_parts_as_they_were() =>
        Gen.Select(AnyFigures, AnyFigures).Sample((a, b) =>
        {
            var (before, other) = (a with { }, b with { });
            _ = a + b;
            _ = a - b;
            return a == before && b == other;
        });

    [Fact]
    public void Opening_from_a_locked_closing_leaves_the_fresh_snapshot_as_it_was()
    {
        var line = new LineSnapshot("L1", null, new Figures { Tcv = 1200m, OpeningBacklog = 1000m, Backlog = 900m, Revenue = 100m });
        var fresh = new ContractSnapshot
        {
            ContractId = "C-1",
            Currency = Currency.Of("EUR"),
            Customer = new Domain.Events.Customer("CUST-1", "Contoso", null, null),
            Attributes = new Dictionary<string, string>(),
            SignedDate = new DateOnly(2026, 1, 5),
            IsSigned = true,
            TermLength = TermBuckets.Of(365),
            BacklogAge = AgeBuckets.Of(30),
            Figures = line.Figures with { OpeningNetContractPosition = 50m },
            Lines = [line],
        };

        var opened = SnapshotCalculator.OpenFromLocked(fresh, new LockedClosing(980m, 40m, new Dictionary<string, decimal> { ["L1"] = 980m }));

        Assert.Equal(1000m, fresh.Figures.OpeningBacklog);
        Assert.Equal(1000m, fresh.Lines[0].Figures.OpeningBacklog);
        Assert.Equal(0m, fresh.Figures.BacklogPriorPeriodAdjustment);
        Assert.Equal(980m, opened.Figures.OpeningBacklog);
        Assert.Equal(20m, opened.Figures.BacklogPriorPeriodAdjustment);
        Assert.Equal(20m, opened.Lines[0].Figures.BacklogPriorPeriodAdjustment);
        Assert.Equal(40m, opened.Figures.OpeningNetContractPosition);
        Assert.Equal(10m, opened.Figures.NetContractPositionPriorPeriodAdjustment);
        Assert.Equal(0m, opened.Figures.BacklogRollForwardDifference - fresh.Figures.BacklogRollForwardDifference);
    }
}
