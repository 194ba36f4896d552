using System.Text;
using BacklogFunctions.Application.Events;
using BacklogFunctions.Application.Presentation;
using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Recognition;
using BacklogFunctions.Domain.Snapshots;
using CsCheck;

namespace BacklogFunctions.Domain.Tests.Properties;

/// <summary>
/// Invariants over generated project businesses: progress lines with monthly progress reports, estimates revised up
/// and down, amendments of amount and estimate (some retroactive), completions by delivery, cancellations, invoices
/// and payments, in three currencies, over 36 months.
/// </summary>
public class ProgressPropertyTests
{
    private const int Months = 36;
    private static readonly Period First = new(2026, 1);
    private static readonly Period Last = First.AddMonths(Months - 1);
    private static readonly Currency[] Currencies = [Currency.Of("USD"), Currency.Of("JPY"), Currency.Of("KWD")];

    private static readonly Gen<(int Seed, ProrationPolicy Proration, int Decimals)> Cases =
        Gen.Select(Gen.Int[1, 1_000_000], Gen.Enum<ProrationPolicy>(), Gen.Int[-1, 4]);

    private static long Iterations(int normal) =>
        int.TryParse(Environment.GetEnvironmentVariable("BACKLOG_PROPERTY_ITERATIONS"), out var factor) && factor > 1 ? normal * (long)factor : normal;

    private static SnapshotOptions Options((int Seed, ProrationPolicy Proration, int Decimals) c) =>
        new() { Proration = c.Proration, ProgressDecimals = c.Decimals < 0 ? null : c.Decimals };

    [Fact]
    public void Both_roll_forwards_tie_every_month_for_progress_contracts()
    {
        Cases.Sample(c =>
        {
            var series = new SnapshotCalculator(Options(c)).Series(Histories(Generate(c.Seed, 30)), First, Last, includeContracts: true);

            for (var i = 0; i < series.Count; i++)
            {
                foreach (var total in series[i].Totals)
                {
                    Assert.Equal(0m, total.Figures.BacklogRollForwardDifference);
                    Assert.Equal(0m, total.Figures.NetContractPositionRollForwardDifference);
                    var previous = i > 0 ? series[i - 1].Totals.SingleOrDefault(t => t.Currency == total.Currency)?.Figures : null;
                    if (i > 0)
                    {
                        Assert.Equal(previous?.Backlog ?? 0m, total.Figures.OpeningBacklog);
                        Assert.Equal(previous?.NetContractPosition ?? 0m, total.Figures.OpeningNetContractPosition);
                    }
                }

                foreach (var contract in series[i].Contracts)
                {
                    Assert.Equal(0m, contract.Figures.BacklogRollForwardDifference);
                    Assert.Equal(0m, contract.Figures.NetContractPositionRollForwardDifference);
                    Assert.True(contract.Figures.DeferredRevenue == 0m || contract.Figures.UnbilledReceivable == 0m);
                    Assert.Equal(contract.Figures.Backlog, contract.Figures.RpoCurrent + contract.Figures.RpoNonCurrent);
                    Assert.Equal(contract.Figures.Backlog, contract.Figures.Rpo0To3Months + contract.Figures.Rpo3To6Months + contract.Figures.Rpo6To12Months + contract.Figures.Rpo12To24Months + contract.Figures.RpoOver24Months);
                    Assert.Equal(contract.Figures.Tcv, contract.Lines.Sum(l => l.Figures.Tcv));
                }
            }
        }, iter: Iterations(8));
    }

    [Fact]
    public void Lifetime_revenue_of_a_finished_progress_line_is_its_final_amount()
    {
        Cases.Sample(c =>
        {
            var calculator = new SnapshotCalculator(Options(c));
            foreach (var history in Histories(Generate(c.Seed, 12)))
            {
                var end = history.At(EventJson.LatestDate, c.Proration, Options(c).ProgressDecimals);
                var series = calculator.Series([history], First.Previous, First.AddMonths(12 * 8), includeContracts: true);
                var revenue = series.Sum(s => s.Totals.SingleOrDefault()?.Figures.Revenue ?? 0m);
                // Unfinished work is backlog for ever; month by month revenue adds up to what was earned.
                Assert.Equal(end.RecognizedThrough(EventJson.LatestDate), revenue);

                var cancelled = history.Events.OfType<ContractCancelled>().Any();
                var finished = history.Events.OfType<DeliveryCompleted>().Any();
                if (finished && !cancelled)
                {
                    var finalAmount = end.LinesInForce(EventJson.LatestDate).Sum(l => l.Amount);
                    Assert.Equal(finalAmount, revenue);
                    Assert.Equal(0m, series[^1].Contracts.Single().Figures.Backlog);
                }
            }
        }, iter: Iterations(4));
    }

    [Fact]
    public void Delivering_progress_events_twice_and_shuffled_changes_nothing()
    {
        Gen.Select(Gen.Int[1, 1_000_000], Gen.Int[0, int.MaxValue]).Sample((seed, shuffleSeed) =>
        {
            var events = Generate(seed, 15);
            var random = new Random(shuffleSeed);
            var messy = events.Concat(events.Where(_ => random.Next(2) == 0)).OrderBy(_ => random.Next()).ToList();

            Assert.Equal(Render(events, First.AddMonths(14)), Render(messy, First.AddMonths(14)));
            Assert.Equal(Render(events, Last), Render(messy, Last));
        }, iter: Iterations(6));
    }

    [Fact]
    public void Every_progress_contracts_explanation_adds_up_to_its_snapshot_figures()
    {
        Gen.Select(Cases, Gen.Int[0, Months - 1]).Sample((c, month) =>
        {
            var options = Options(c);
            var calculator = new SnapshotCalculator(options);
            var period = First.AddMonths(month);
            foreach (var history in Histories(Generate(c.Seed, 15)))
            {
                var (opening, asOf) = (period.Previous.LastDay, period.LastDay);
                var snapshot = calculator.Contract(history.At(asOf, c.Proration, options.ProgressDecimals), history.At(opening, c.Proration, options.ProgressDecimals), history.At(asOf.AddMonthsKeepingMonthEnd(-12), c.Proration, options.ProgressDecimals));
                var explanation = Domain.Explain.ContractExplanation.Of(history, opening, asOf, options);

                Assert.Equal(Domain.Explain.ExplainedFigures.Of(snapshot.Figures), explanation.Figures);
                Assert.Equal(explanation.Figures.Tcv, explanation.TcvFromEvents);
                foreach (var piece in explanation.Lines.SelectMany(l => l.Obligations).SelectMany(o => o.Start.Pieces.Concat(o.End.Pieces)))
                {
                    // A progress piece rounds the line's cumulative amount, then takes off what was earned before it:
                    // round(amount × progress) − earnedBefore, which at a midpoint is not round(exact − earnedBefore).
                    var rounded = piece.Progress is null ? explanation.Currency.Round(piece.Exact) : explanation.Currency.Round(piece.Exact + piece.EarnedBefore) - piece.EarnedBefore;
                    Assert.Equal(rounded, piece.Recognized);
                }
            }
        }, iter: Iterations(8));
    }

    private static List<ContractHistory> Histories(IReadOnlyList<ContractEvent> events)
    {
        var issues = new List<ReplayIssue>();
        var histories = events.GroupBy(e => e.ContractId).Select(g => ContractHistory.Create(g.Key, g, issues)).ToList();
        Assert.Empty(issues);
        return histories;
    }

    private static string Render(IEnumerable<ContractEvent> events, Period period)
    {
        var currencies = events.OfType<ContractSigned>().DistinctBy(s => s.ContractId).ToDictionary(s => s.ContractId, s => s.Currency);
        var ndjson = string.Join('\n', events.Select(e => EventJson.Write(e, currencies[e.ContractId])));
        var stream = EventStream.Read(new StringReader(ndjson));
        Assert.Empty(stream.Errors);
        using var buffer = new MemoryStream();
        SnapshotJson.Write(buffer, new SnapshotCalculator(SnapshotOptions.Default).ForPeriod(stream.Contracts, period));
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>A company of <paramref name="contracts"/> project contracts, reproducible from <paramref name="seed"/>.</summary>
    internal static List<ContractEvent> Generate(int seed, int contracts)
    {
        var random = new Random(seed);
        var events = new List<ContractEvent>();
        for (var n = 0; n < contracts; n++)
        {
            var id = $"C-{seed}-{n}";
            var currency = Currencies[random.Next(Currencies.Length)];
            var sequence = 0;
            DateTimeOffset At(DateOnly day) => new(day.ToDateTime(new TimeOnly(random.Next(8, 18), 0)), TimeSpan.Zero);
            T Add<T>(T e)
                where T : ContractEvent
            {
                events.Add(e);
                return e;
            }

            string Next(string prefix) => $"{prefix}-{id}-{++sequence}";
            decimal Money(int min, int max) => currency.Round(random.Next(min, max) * 100m / (decimal)Math.Pow(10, currency.MinorUnit) * (decimal)Math.Pow(10, currency.MinorUnit) / 100m + (random.Next(100) / 100m));

            var signed = First.AddMonths(random.Next(12)).FirstDay.AddDays(random.Next(28));
            var amount = Money(1_000, 500_000);
            var estimate = random.Next(100, 100_000) + (random.Next(2) == 0 ? 0m : random.Next(1000) / 1000m);
            var measure = random.Next(2) == 0 ? ProgressMeasure.Cost : ProgressMeasure.Units;
            DateOnly? completion = random.Next(3) == 0 ? null : signed.AddDays(random.Next(30, 700));
            ContractLine Line(decimal a, decimal e) => new()
            {
                LineId = "B1", Amount = a, Recognition = RecognitionPattern.Progress, Measure = measure, EstimatedTotal = e, ExpectedCompletion = completion,
            };

            var withRatable = random.Next(3) == 0;
            ContractLine Ratable() => new() { LineId = "S1", Amount = Money(100, 50_000), Recognition = RecognitionPattern.Ratable, ServiceStart = signed, ServiceEnd = signed.AddDays(random.Next(30, 800)) };
            var ratable = withRatable ? Ratable() : null;
            Add(new ContractSigned
            {
                Id = Next("sig"), OccurredAt = At(signed), ContractId = id, SignedDate = signed, Currency = currency,
                Customer = new Customer("CUST-" + n, "Customer " + n, null, null),
                Lines = ratable is null ? [Line(amount, estimate)] : [Line(amount, estimate), ratable],
            });

            var toDate = 0m;
            var day = signed;
            var done = false;
            var cancelled = false;
            var months = random.Next(3, 30);
            for (var m = 0; m < months && !done && !cancelled; m++)
            {
                day = day.AddDays(random.Next(10, 45));
                switch (random.Next(12))
                {
                    case 0:
                        // An amendment of the amount and maybe of the estimate, sometimes effective before it is signed.
                        amount = Math.Max(0m, amount + Money(-20_000, 60_000));
                        estimate = random.Next(2) == 0 ? estimate : estimate * (0.8m + (random.Next(50) / 100m));
                        estimate = Math.Round(Math.Max(1m, estimate), 3);
                        var effective = random.Next(3) == 0 ? day.AddDays(-random.Next(1, 20)) : day;
                        effective = effective < signed ? signed : effective;
                        Add(new ContractAmended
                        {
                            Id = Next("amd"), OccurredAt = At(day), ContractId = id, SignedDate = day, Effective = effective,
                            Lines = ratable is null ? [Line(amount, estimate)] : [Line(amount, estimate), ratable],
                        });
                        break;
                    case 1 when random.Next(4) == 0:
                        Add(new ContractCancelled { Id = Next("can"), OccurredAt = At(day), ContractId = id, CancelledOn = day, LastServiceDate = day.AddDays(-random.Next(0, 40)) < signed ? signed : day.AddDays(-random.Next(0, 40)) });
                        cancelled = true;
                        break;
                    case 2 when random.Next(3) == 0:
                        Add(new DeliveryCompleted { Id = Next("dlv"), OccurredAt = At(day), ContractId = id, LineId = "B1", Date = day });
                        done = true;
                        break;
                    case 3:
                        Add(new InvoiceIssued { Id = Next("inv"), OccurredAt = At(day), ContractId = id, InvoiceId = Next("INV"), IssueDate = day, Amount = Money(100, 100_000) + currency.Round(0.01m) });
                        break;
                    case 4:
                        Add(new PaymentReceived { Id = Next("pay"), OccurredAt = At(day), ContractId = id, PaymentId = Next("PAY"), Date = day, Amount = Money(100, 80_000) + 1m });
                        break;
                    default:
                        toDate += Math.Round(estimate * random.Next(0, 30) / 100m, random.Next(0, 4));
                        decimal? revised = random.Next(5) == 0 ? Math.Round(Math.Max(1m, estimate * (0.7m + (random.Next(70) / 100m))), 2) : null;
                        estimate = revised ?? estimate;
                        Add(new ProgressReported { Id = Next("prg"), OccurredAt = At(day), ContractId = id, LineId = "B1", Date = day, ToDate = toDate, EstimatedTotal = revised });
                        break;
                }
            }

            if (!done && !cancelled && random.Next(2) == 0)
            {
                day = day.AddDays(random.Next(1, 60));
                Add(new DeliveryCompleted { Id = Next("dlv"), OccurredAt = At(day), ContractId = id, LineId = "B1", Date = day });
            }
        }

        return events;
    }
}
