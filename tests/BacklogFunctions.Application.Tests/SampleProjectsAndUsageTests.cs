using BacklogFunctions.Application.Events;
using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Recognition;
using BacklogFunctions.Domain.Snapshots;
using BacklogFunctions.Sample;

namespace BacklogFunctions.Application.Tests;

/// <summary>The sample's opt-in project and usage businesses (recognition.md): readable, deterministic, and they tie.</summary>
public sealed class SampleProjectsAndUsageTests
{
    private static readonly SampleSpec Plain = new(150, 24, 5, new Period(2025, 1));
    private static readonly SampleSpec Spec = Plain with { ProjectsAndUsage = true };

    private static string Ndjson(SampleSpec spec) => string.Join("\n", SampleGenerator.ToNdjson(SampleGenerator.Generate(spec))) + "\n";

    private static EventStreamResult Read(SampleSpec spec)
    {
        using var reader = new StringReader(Ndjson(spec));
        return EventStream.Read(reader);
    }

    [Fact]
    public void The_stream_reads_without_an_error_or_a_replay_issue()
    {
        var result = Read(Spec);

        Assert.True(result.IsValid, string.Join("\n", result.Errors.Take(20)));
        Assert.Contains(result.Contracts, c => c.ContractId.StartsWith("P-", StringComparison.Ordinal));
        Assert.Contains(result.Contracts, c => c.ContractId.StartsWith("U-", StringComparison.Ordinal));
    }

    [Fact]
    public void It_has_progress_and_usage_reports_one_revised_estimate_and_usage_under_and_over_a_commitment()
    {
        var events = SampleGenerator.Generate(Spec);

        var projects = events.OfType<ContractSigned>().Where(s => s.Lines.Any(l => l.Recognition == RecognitionPattern.Progress)).ToList();
        var metered = events.OfType<ContractSigned>().Where(s => s.Lines.Any(l => l.Recognition == RecognitionPattern.Usage)).ToList();
        Assert.Equal(Spec.Contracts / 20, projects.Count);
        Assert.Equal(Spec.Contracts / 20, metered.Count);
        Assert.Contains(projects, p => p.Lines.Any(l => l.Recognition == RecognitionPattern.PointInTime));
        Assert.Contains(events, e => e is ProgressReported);
        Assert.Single(events.OfType<ProgressReported>(), p => p.EstimatedTotal is not null);
        foreach (var line in events.OfType<ProgressReported>().GroupBy(p => (p.ContractId, p.LineId)))
        {
            var toDates = line.OrderBy(p => p.Date).Select(p => p.ToDate).ToList();
            Assert.Equal(toDates.Order(), toDates);
        }

        var usages = events.OfType<UsageReported>().ToList();
        Assert.NotEmpty(usages);
        var prices = metered.ToDictionary(s => s.ContractId, s => (s.Lines.Single().Commitment!.Amount, Price: s.Lines.Single().UnitPrice!.Value));
        Assert.Contains(usages, u => u.Quantity * prices[u.ContractId].Price < prices[u.ContractId].Amount);
        Assert.Contains(usages, u => u.Quantity * prices[u.ContractId].Price > prices[u.ContractId].Amount);
        Assert.All(events, e => Assert.InRange(e.BusinessDate, Spec.FirstDay, Spec.LastDay));
        Assert.All(projects.Concat(metered), s => Assert.False(string.IsNullOrWhiteSpace(s.Customer.Name)));
    }

    [Fact]
    public void The_last_month_has_exactly_one_loss_contract_and_the_usage_beyond_commitments_shows()
    {
        var contracts = Read(Spec).Contracts;

        var snapshot = new SnapshotCalculator(SnapshotOptions.Default).ForPeriod(contracts, Spec.Start.AddMonths(Spec.Months - 1));

        var loss = Assert.Single(snapshot.LossContracts);
        Assert.StartsWith("P-", loss.ContractId, StringComparison.Ordinal);
        Assert.True(loss.ExpectedLoss > 0m);
        Assert.Contains(snapshot.Totals, t => t.Figures.UsageBeyondCommitments > 0m);
    }

    [Theory]
    [InlineData(0, 3, 5)]
    [InlineData(40, 3, 5)]
    [InlineData(100, 5, 5)]
    [InlineData(1000, 50, 50)]
    public void A_small_company_has_three_to_five_of_each_and_a_larger_one_one_of_each_per_20_contracts(int contracts, int least, int most)
    {
        var events = SampleGenerator.Generate(new SampleSpec(contracts, 24, 3, new Period(2025, 1)) { ProjectsAndUsage = true });

        var signed = events.OfType<ContractSigned>().ToList();
        var projects = signed.Where(s => s.Lines.Any(l => l.Recognition == RecognitionPattern.Progress)).ToList();
        Assert.InRange(projects.Count, least, most);
        Assert.InRange(signed.Count(s => s.Lines.Any(l => l.Recognition == RecognitionPattern.Usage)), least, most);

        // One revised estimate in every block of 20 projects (the last block may be shorter).
        Assert.Equal((projects.Count + 19) / 20, events.OfType<ProgressReported>().Count(p => p.EstimatedTotal is not null));
    }

    [Fact]
    public void The_usual_contracts_are_the_same_with_and_without_the_flag()
    {
        var with = Ndjson(Spec).Split('\n').Where(l => l.Contains("\"contractId\":\"C-", StringComparison.Ordinal)).ToList();
        var without = Ndjson(Plain).Split('\n').Where(l => l.Length > 0).ToList();

        Assert.Equal(without.Count, with.Count);
        Assert.Equal(without, with);
    }

    [Fact]
    public void The_same_seed_gives_the_same_bytes()
    {
        Assert.Equal(Ndjson(Spec), Ndjson(Spec));
        Assert.NotEqual(Ndjson(Spec), Ndjson(Spec with { Seed = 6 }));
    }

    [Fact]
    public void Both_roll_forwards_tie_every_month()
    {
        var contracts = Read(Spec).Contracts;

        var series = new SnapshotCalculator(SnapshotOptions.Default).Series(contracts, Spec.Start, Spec.Start.AddMonths(Spec.Months - 1), includeContracts: true);

        Assert.Equal(Spec.Months, series.Count);
        foreach (var month in series)
        {
            Assert.All(month.Totals, t => Assert.Equal((0m, 0m), (t.Figures.BacklogRollForwardDifference, t.Figures.NetContractPositionRollForwardDifference)));
            Assert.All(month.Contracts, c => Assert.Equal((0m, 0m), (c.Figures.BacklogRollForwardDifference, c.Figures.NetContractPositionRollForwardDifference)));
        }
    }
}
