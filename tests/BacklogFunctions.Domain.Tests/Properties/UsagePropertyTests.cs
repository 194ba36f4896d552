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
/// Invariants over generated usage businesses: usage lines with and without monthly, yearly and term commitments,
/// usage reported on random days (some outside the service period, some repeated under the same usageId),
/// cancellations, invoices and payments, in three currencies, over 36 months.
/// </summary>
public class UsagePropertyTests
{
    private const int Months = 36;
    private static readonly Period First = new(2026, 1);
    private static readonly Period Last = First.AddMonths(Months - 1);
    private static readonly Currency[] Currencies = [Currency.Of("USD"), Currency.Of("JPY"), Currency.Of("KWD")];

    private static readonly Gen<(int Seed, ProrationPolicy Proration)> Cases = Gen.Select(Gen.Int[1, 1_000_000], Gen.Enum<ProrationPolicy>());

    private static long Iterations(int normal) =>
        int.TryParse(Environment.GetEnvironmentVariable("BACKLOG_PROPERTY_ITERATIONS"), out var factor) && factor > 1 ? normal * (long)factor : normal;

    [Fact]
    public void Both_roll_forwards_tie_every_month_for_usage_contracts()
    {
        Cases.Sample(c =>
        {
            var series = new SnapshotCalculator(new SnapshotOptions { Proration = c.Proration }).Series(Histories(Generate(c.Seed, 25)), First, Last, includeContracts: true);

            for (var i = 0; i < series.Count; i++)
            {
                foreach (var total in series[i].Totals)
                {
                    Assert.Equal(0m, total.Figures.BacklogRollForwardDifference);
                    Assert.Equal(0m, total.Figures.NetContractPositionRollForwardDifference);
                    if (i > 0)
                    {
                        var previous = series[i - 1].Totals.SingleOrDefault(t => t.Currency == total.Currency)?.Figures;
                        Assert.Equal(previous?.Backlog ?? 0m, total.Figures.OpeningBacklog);
                    }
                }

                foreach (var contract in series[i].Contracts)
                {
                    var f = contract.Figures;
                    Assert.Equal(0m, f.BacklogRollForwardDifference);
                    Assert.True(f.Backlog >= 0m);
                    Assert.Equal(f.Backlog, f.RpoCurrent + f.RpoNonCurrent);
                    Assert.Equal(f.Backlog, f.Rpo0To3Months + f.Rpo3To6Months + f.Rpo6To12Months + f.Rpo12To24Months + f.RpoOver24Months);
                    Assert.Equal(f.Backlog, f.NotYetBilled + f.BilledNotEarned);
                    Assert.Equal(f.UsageBeyondCommitments, contract.Lines.Sum(l => l.Figures.UsageBeyondCommitments));
                }
            }
        }, iter: Iterations(6));
    }

    [Fact]
    public void Lifetime_revenue_of_a_usage_line_is_the_greater_of_commitment_and_usage_per_period_plus_usage_outside()
    {
        Cases.Sample(c =>
        {
            var events = Generate(c.Seed, 20, cancellations: false);
            foreach (var history in Histories(events))
            {
                var end = history.At(EventJson.LatestDate, c.Proration);
                var signing = history.Signing!;
                foreach (var line in signing.Lines.Where(l => l.Recognition == RecognitionPattern.Usage))
                {
                    var usages = events.OfType<UsageReported>().Where(u => u.ContractId == history.ContractId && u.LineId == line.LineId)
                        .OrderBy(u => u.Date).ThenBy(u => u.OccurredAt).ThenBy(u => u.Id, StringComparer.Ordinal).DistinctBy(u => u.UsageKey).ToList();
                    var (quantity, earned) = (0m, 0m);
                    var byUsage = new List<(DateOnly Date, decimal Amount)>();
                    foreach (var u in usages)
                    {
                        quantity += u.Quantity;
                        var total = signing.Currency.Round(quantity * line.UnitPrice!.Value);
                        byUsage.Add((u.Date, total - earned));
                        earned = total;
                    }

                    var periods = line.Commitment is { } commitment ? UsageCommitments.PeriodsOf(line.ServiceStart!.Value, line.ServiceEnd!.Value, commitment) : [];
                    var inPeriods = periods.Sum(p => Math.Max(p.Committed, byUsage.Where(e => e.Date >= p.First && e.Date <= p.Last).Sum(e => e.Amount)));
                    var outside = byUsage.Where(e => !periods.Any(p => e.Date >= p.First && e.Date <= p.Last)).Sum(e => e.Amount);

                    var lifetime = end.Obligations.Where(o => o.LineId == line.LineId).Sum(o => o.EarnedThrough(EventJson.LatestDate, end.Currency, c.Proration));
                    Assert.Equal(inPeriods + outside, lifetime);
                }
            }
        }, iter: Iterations(6));
    }

    [Fact]
    public void Delivering_usage_events_twice_or_in_another_order_changes_nothing()
    {
        Gen.Int[1, 1_000_000].Sample(seed =>
        {
            var events = Generate(seed, 8);
            var random = new Random(seed);
            var again = events.Concat(events.Where(_ => random.Next(2) == 0)).OrderBy(_ => random.Next()).ToList();

            foreach (var period in new[] { First.AddMonths(5), First.AddMonths(17), Last })
            {
                Assert.Equal(Render(events, period), Render(again, period));
            }
        }, iter: Iterations(4));
    }

    [Fact]
    public void Every_usage_contracts_explanation_adds_up_to_its_snapshot_figures()
    {
        Gen.Select(Cases, Gen.Int[0, Months - 1]).Sample((c, month) =>
        {
            var options = new SnapshotOptions { Proration = c.Proration };
            var calculator = new SnapshotCalculator(options);
            var period = First.AddMonths(month);
            foreach (var history in Histories(Generate(c.Seed, 10)))
            {
                var (opening, asOf) = (period.Previous.LastDay, period.LastDay);
                var snapshot = calculator.Contract(history.At(asOf, c.Proration), history.At(opening, c.Proration), history.At(asOf.AddMonthsKeepingMonthEnd(-12), c.Proration));
                var explanation = Domain.Explain.ContractExplanation.Of(history, opening, asOf, options);

                Assert.Equal(Domain.Explain.ExplainedFigures.Of(snapshot.Figures), explanation.Figures);
                Assert.Equal(explanation.Figures.Tcv, explanation.TcvFromEvents);

                // A usage piece explains itself in the rule's terms: used + shortfalls = recognized, the shortfalls
                // are the ended periods' ones, and what is beyond the commitments is the obligation's.
                foreach (var line in explanation.Lines.Where(l => l.Recognition == RecognitionPattern.Usage))
                {
                    foreach (var o in line.Obligations)
                    {
                        foreach (var earning in (Domain.Explain.Earning[])[o.Start, o.End])
                        {
                            foreach (var piece in earning.Pieces)
                            {
                                var usage = Assert.IsType<Domain.Explain.UsageEarning>(piece.Usage);
                                Assert.Equal(piece.Recognized, usage.Used + usage.Shortfalls);
                                Assert.Equal(usage.Shortfalls, usage.Periods.Where(p => p.Ended).Sum(p => p.Shortfall));
                                Assert.All(usage.Periods, p => Assert.Equal(p.Ended, p.Last <= earning.Through));
                                Assert.True(usage.Periods.Sum(p => p.Used) <= usage.Used);
                            }
                        }

                        Assert.Equal(o.BeyondCommitmentsAtEnd, o.End.Pieces.Sum(p => p.Usage!.BeyondCommitments));
                    }

                    // The usage reported in the period is what the quantity grew by, for a line with one piece not stopped
                    // (usage dated before the service start, after the signing, counts too).
                    if (line.Obligations is [{ Start.Pieces: [{ StoppedAfter: null } before], End.Pieces: [{ StoppedAfter: null } after] }] && before.From == after.From)
                    {
                        Assert.Equal(after.Usage!.Quantity - before.Usage!.Quantity, line.Usages.Sum(u => u.Quantity));
                    }

                    Assert.All(line.Usages, u => Assert.InRange(u.Event.BusinessDate, opening.AddDays(1), asOf));
                }
            }
        }, iter: Iterations(6));
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

    /// <summary>A company of <paramref name="contracts"/> usage contracts, reproducible from <paramref name="seed"/>.</summary>
    internal static List<ContractEvent> Generate(int seed, int contracts, bool cancellations = true)
    {
        var random = new Random(seed);
        var events = new List<ContractEvent>();
        var sequence = 0;
        DateTimeOffset At(DateOnly day) => new(day.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);
        string Next(string prefix) => $"{prefix}-{seed}-{++sequence}";
        DateOnly Day(DateOnly from, int days) => from.AddDays(random.Next(days));

        for (var k = 0; k < contracts; k++)
        {
            var id = $"U-{seed}-{k}";
            var currency = Currencies[random.Next(Currencies.Length)];
            var signed = Day(new DateOnly(2026, 1, 1), 540);
            var lines = new List<ContractLine>();
            for (var l = 0; l < 1 + random.Next(2); l++)
            {
                var start = Day(signed, 60);
                var end = start.AddMonths(1 + random.Next(24)).AddDays(random.Next(3) - 1);
                Commitment? commitment = random.Next(4) switch
                {
                    0 => null,
                    1 => new Commitment(currency.Round(random.Next(1, 50_000) / 7m), CommitmentPer.Month),
                    2 => new Commitment(currency.Round(random.Next(1, 500_000) / 7m), CommitmentPer.Year),
                    _ => new Commitment(currency.Round(random.Next(1, 900_000) / 7m), CommitmentPer.Term),
                };
                lines.Add(new ContractLine
                {
                    LineId = $"U{l}",
                    Recognition = RecognitionPattern.Usage,
                    UnitPrice = random.Next(1, 2_000_000) / 10_000m,
                    ServiceStart = start,
                    ServiceEnd = end,
                    Commitment = commitment,
                    Amount = commitment is null ? 0m : UsageCommitments.PeriodsOf(start, end, commitment).Sum(p => p.Committed),
                });
            }

            if (random.Next(3) == 0)
            {
                var start = Day(signed, 30);
                lines.Add(new ContractLine { LineId = "R1", Recognition = RecognitionPattern.Ratable, Amount = currency.Round(random.Next(100, 100_000) * 1.37m), ServiceStart = start, ServiceEnd = start.AddMonths(12).AddDays(-1) });
            }

            events.Add(new ContractSigned
            {
                Id = Next("sig"), OccurredAt = At(signed), ContractId = id, SignedDate = signed, Currency = currency,
                Customer = new Customer("CUST-" + id, "Customer " + id, null, null), Lines = lines,
            });

            foreach (var line in lines.Where(l => l.Recognition == RecognitionPattern.Usage))
            {
                var usages = random.Next(25);
                for (var u = 0; u < usages; u++)
                {
                    // Mostly inside the service period, a few days before or after it.
                    var date = Day(line.ServiceStart!.Value.AddDays(-10), line.ServiceEnd!.Value.DayNumber - line.ServiceStart!.Value.DayNumber + 30);
                    if (date < signed)
                    {
                        date = signed;
                    }

                    var usageId = random.Next(5) == 0 && u > 0 ? $"{line.LineId}-{u - 1}" : $"{line.LineId}-{u}";
                    events.Add(new UsageReported
                    {
                        Id = Next("use"), OccurredAt = At(date), ContractId = id, LineId = line.LineId, Date = date,
                        Quantity = random.Next(0, 5_000_000) / 1000m, UsageId = usageId,
                    });
                }
            }

            for (var i = 0; i < random.Next(6); i++)
            {
                var date = Day(signed, 700);
                events.Add(new InvoiceIssued { Id = Next("inv"), OccurredAt = At(date), ContractId = id, InvoiceId = Next("INV"), IssueDate = date, Amount = currency.Round(random.Next(1, 200_000) / 3m) });
                if (random.Next(2) == 0)
                {
                    var paid = date.AddDays(random.Next(60));
                    events.Add(new PaymentReceived { Id = Next("pay"), OccurredAt = At(paid), ContractId = id, PaymentId = Next("PAY"), Date = paid, Amount = currency.Round(random.Next(1, 100_000) / 3m) });
                }
            }

            if (cancellations && random.Next(4) == 0)
            {
                var decided = Day(signed.AddDays(1), 500);
                var last = decided.AddDays(random.Next(-45, 45));
                events.Add(new ContractCancelled { Id = Next("can"), OccurredAt = At(decided), ContractId = id, CancelledOn = decided, LastServiceDate = last < signed ? signed : last });
            }
        }

        return events;
    }
}
