using BacklogFunctions.Application.Explain;
using BacklogFunctions.Domain.Money;

namespace BacklogFunctions.Application.Tests;

/// <summary>
/// Explained figures of stored closes (journal.md): each contract of a closed version is explained from the events
/// that version saw and adds up to its stored row; a restatement's version sees the late events; a row that does not
/// add up is said so.
/// </summary>
public sealed class ExplainTests
{
    private static readonly DateTimeOffset March2026 = new(2026, 3, 2, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Every_contract_of_every_closed_month_adds_up_to_its_stored_row()
    {
        var world = new UseCases(March2026);
        await world.IngestAsync(UseCases.Sample(contracts: 25));
        var closed = (await world.Closer.CloseDueAsync(CancellationToken.None)).Closed;
        var explanations = new ContractExplanations(world.Events, world.Snapshots);

        foreach (var month in closed.Where((_, i) => i % 3 == 1))
        {
            foreach (var row in await world.Snapshots.ReadContractSnapshotsAsync(month.Period, month.Version, CancellationToken.None))
            {
                var (outcome, explained) = await explanations.ReadAsync(month.Period, null, row.ContractId, CancellationToken.None);
                Assert.Equal(ExplainOutcome.Explained, outcome);
                Assert.True(explained!.AddsUp, $"{month.Period} {row.ContractId}: {string.Join(", ", explained.Differences)}");
                var document = explained.ToDocument();
                Assert.Equal((month.Version, true, (IReadOnlyList<string>?)null), (document.Version, document.AddsUp, document.Differences));
                Assert.Equal(document.StoredFigures, document.Figures);
            }
        }

        Assert.Equal(ExplainOutcome.NotClosed, (await explanations.ReadAsync(new Period(2026, 3), null, "C-000001", CancellationToken.None)).Outcome);
        Assert.Equal(ExplainOutcome.NotClosed, (await explanations.ReadAsync(new Period(2026, 1), 2, "C-000001", CancellationToken.None)).Outcome);
        Assert.Equal(ExplainOutcome.NotInPeriod, (await explanations.ReadAsync(new Period(2026, 1), null, "NOPE", CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task A_late_event_is_not_in_the_version_closed_before_it_and_is_in_the_restated_version()
    {
        var lines = UseCases.Sample(contracts: 25);
        var world = new UseCases(March2026);
        await world.IngestAsync(lines);
        await world.Closer.CloseDueAsync(CancellationToken.None);
        var contract = UseCases.Offline(lines).First(c => c.Signing is { } s && s.Currency == Currency.USD && s.SignedDate < new DateOnly(2025, 6, 1)).ContractId;
        world.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 10, 9, 0, 0, TimeSpan.Zero));
        await world.IngestAsync([$$$"""{"id":"late-x","type":"invoice.issued","source":"billing-late","occurredAt":"2026-03-10T09:00:00Z","contractId":"{{{contract}}}","data":{"invoiceId":"INV-LATE-X","issueDate":"2026-02-20","amount":"555.00"}}"""]);
        world.Clock.Advance(TimeSpan.FromHours(1));
        await world.Closer.RestateAsync(new Period(2026, 2), CancellationToken.None);
        var explanations = new ContractExplanations(world.Events, world.Snapshots);

        var version1 = (await explanations.ReadAsync(new Period(2026, 2), 1, contract, CancellationToken.None)).Explanation!;
        var version2 = (await explanations.ReadAsync(new Period(2026, 2), null, contract, CancellationToken.None)).Explanation!;

        Assert.True(version1.AddsUp && version2.AddsUp);
        Assert.Equal(2, version2.Closed.Version);
        Assert.DoesNotContain(version1.Explanation.BilledEvents, e => e.Event.Id == "late-x");
        var late = Assert.Single(version2.Explanation.BilledEvents, e => e.Event.Id == "late-x");
        Assert.Equal(555m, late.Amount);
        Assert.Equal(version1.Explanation.Figures.BilledToDate + 555m, version2.Explanation.Figures.BilledToDate);
        Assert.Equal(new DateTimeOffset(2026, 3, 10, 9, 0, 0, TimeSpan.Zero), version2.OriginOf(late.Event).ReceivedAt);
    }

    [Fact]
    public async Task A_stored_row_that_differs_from_the_explanation_is_said_so()
    {
        var world = new UseCases(March2026);
        await world.IngestAsync(UseCases.Sample(contracts: 10));
        await world.Closer.CloseDueAsync(CancellationToken.None);
        var february = new Period(2026, 2);
        var row = (await world.Snapshots.ReadContractSnapshotsAsync(february, 1, CancellationToken.None))[0];
        await world.Snapshots.WriteContractsAsync(february, 1, [row with { Figures = row.Figures with { Revenue = row.Figures.Revenue + 1m } }], CancellationToken.None);

        var (_, explained) = await new ContractExplanations(world.Events, world.Snapshots).ReadAsync(february, 1, row.ContractId, CancellationToken.None);

        Assert.False(explained!.AddsUp);
        Assert.Equal(["revenue"], explained.Differences);
        var document = explained.ToDocument();
        Assert.False(document.AddsUp);
        Assert.Equal(["revenue"], document.Differences!);
        Assert.NotEqual(document.StoredFigures!.Revenue, document.Figures.Revenue);
    }
}
