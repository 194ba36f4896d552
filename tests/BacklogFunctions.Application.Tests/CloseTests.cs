using System.Globalization;
using BacklogFunctions.Application.Close;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Application.Tests;

/// <summary>
/// The month-end close, the fanned-out close and the restatement on in-memory ports: the same figures as the
/// offline engine, in any number of shards and any delivery order, with locked months and versions.
/// </summary>
public sealed class CloseTests
{
    private static readonly DateTimeOffset March2026 = new(2026, 3, 2, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_catch_up_close_stores_every_ended_month_with_the_offline_figures()
    {
        var lines = UseCases.Sample();
        var world = new UseCases(March2026);
        await world.IngestAsync(lines);

        var result = await world.Closer.CloseDueAsync(CancellationToken.None);

        var offline = UseCases.Offline(lines);
        var first = Period.Of(offline.Where(c => c.Signing is not null).Min(c => c.Signing!.SignedDate));
        Assert.Equal(new Period(2026, 2), result.LastEnded);
        Assert.Equal(Enumerable.Range(0, new Period(2026, 2).MonthsSince(first) + 1).Select(first.AddMonths), result.Closed.Select(c => c.Period));
        var calculator = new SnapshotCalculator(UseCases.Options);
        foreach (var closed in result.Closed)
        {
            Assert.Equal(1, closed.Version);
            Assert.Equal(UseCases.Figures(calculator.ForPeriod(offline, closed.Period, includeContracts: false)), UseCases.Figures(await world.DocumentAsync(closed.Period)));
        }

        Assert.Equal(result.Closed, world.Reports.Requested);
        Assert.Empty((await world.Closer.CloseDueAsync(CancellationToken.None)).Closed);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(3, 1)]
    [InlineData(7, 2)]
    [InlineData(16, 3)]
    public async Task A_fanned_out_close_gives_the_one_process_figures_in_any_order(int shards, int seed)
    {
        var lines = UseCases.Sample(seed: 20 + seed);
        var once = new UseCases(March2026);
        await once.IngestAsync(lines);
        var closed = (await once.Closer.CloseDueAsync(CancellationToken.None)).Closed;

        var fanned = new UseCases(March2026);
        await fanned.IngestAsync(lines);
        var start = await fanned.Sharded.StartDueAsync(shards, CancellationToken.None);
        var delivered = await fanned.DrainShardsAsync(new Random(seed));

        Assert.Equal(closed[0].Period, start.Period);
        Assert.Equal(shards * closed.Count, delivered);
        var fannedClosed = await fanned.Snapshots.ListClosedAsync(CancellationToken.None);
        Assert.Equal(closed.Select(c => c.Period), fannedClosed.Select(c => c.Period));
        foreach (var period in closed.Select(c => c.Period))
        {
            Assert.Equal(UseCases.Figures(await once.DocumentAsync(period)), UseCases.Figures(await fanned.DocumentAsync(period)));
            Assert.Equal(
                await once.Snapshots.ReadContractFiguresAsync(period, 1, CancellationToken.None),
                await fanned.Snapshots.ReadContractFiguresAsync(period, 1, CancellationToken.None),
                SameContractFigures.Instance);
        }
    }

    [Fact]
    public async Task A_lost_shard_keeps_the_month_open_until_the_next_run_sends_it_again_and_a_late_redelivery_changes_nothing()
    {
        var world = new UseCases(March2026);
        await world.IngestAsync(UseCases.Sample(contracts: 20));
        await world.Sharded.StartDueAsync(4, CancellationToken.None);
        Assert.True(world.Shards.Sent.TryDequeue(out var lost));

        // Three of four shards ran: the month stays open.
        while (world.Shards.Sent.TryDequeue(out var message))
        {
            await world.Sharded.RunShardAsync(message, CancellationToken.None);
        }

        Assert.Null(await world.Snapshots.FindClosedAsync(lost.Period, CancellationToken.None));

        // The next scheduled run sends only the missing shard, and its delivery closes the month and starts the next.
        var again = await world.Sharded.StartDueAsync(4, CancellationToken.None);
        Assert.Equal(1, again.Sent);
        Assert.Equal(lost, Assert.Single(world.Shards.Sent));
        await world.DrainShardsAsync();
        Assert.NotNull(await world.Snapshots.FindClosedAsync(lost.Period, CancellationToken.None));
        Assert.Equal(new Period(2026, 2), (await world.Snapshots.ListClosedAsync(CancellationToken.None))[^1].Period);

        var writes = world.Snapshots.RowWrites;
        var late = await world.Sharded.RunShardAsync(lost, CancellationToken.None);
        Assert.False(late.Written);
        Assert.Equal(writes, world.Snapshots.RowWrites);
    }

    [Fact]
    public async Task A_shard_of_no_started_close_is_refused()
    {
        var world = new UseCases(March2026);
        await world.IngestAsync(UseCases.Sample(contracts: 5));

        var outcome = await world.Sharded.RunShardAsync(new CloseShardMessage(new Period(2025, 1), 1, 0, 2), CancellationToken.None);

        Assert.Equal("no close of 2025-01 version 1 was started", outcome.Refusal);
        Assert.False(outcome.Written);
        Assert.Null(await world.Snapshots.FindClosedAsync(new Period(2025, 1), CancellationToken.None));
    }

    [Fact]
    public async Task A_late_event_changes_no_locked_month_until_it_is_restated_as_a_new_version()
    {
        var lines = UseCases.Sample(contracts: 25);
        var world = new UseCases(March2026);
        await world.IngestAsync(lines);
        await world.Closer.CloseDueAsync(CancellationToken.None);
        var june = new Period(2025, 6);
        var before = UseCases.Figures(await world.DocumentAsync(june));

        // An invoice dated in June arrives after June was closed.
        var contract = UseCases.Offline(lines).First(c => c.Signing is { } s && s.SignedDate < june.FirstDay);
        var invoice = string.Create(CultureInfo.InvariantCulture, $$$"""{"id":"late-inv","type":"invoice.issued","occurredAt":"2025-06-20T08:00:00Z","contractId":"{{{contract.ContractId}}}","data":{"invoiceId":"LATE-1","issueDate":"2025-06-20","amount":"777"}}""");
        Assert.Equal(Ingest.IngestStatus.Accepted, (await world.IngestAsync([invoice])).Single().Status);
        Assert.Empty((await world.Closer.CloseDueAsync(CancellationToken.None)).Closed);
        Assert.Equal(before, UseCases.Figures(await world.DocumentAsync(june)));

        var restated = await world.Closer.RestateAsync(june, CancellationToken.None);

        Assert.NotNull(restated);
        Assert.Equal(2, restated.Value.Closed.Version);
        var currency = contract.Signing!.Currency.Code;
        var billings = Assert.Single(restated.Value.Differences, d => d.ContractId == contract.ContractId && d.Figure == "billings");
        Assert.Equal(777m, billings.After - billings.Before);
        Assert.Equal(before[$"{currency}.billings"] + 777m, UseCases.Figures(await world.DocumentAsync(june, 2))[$"{currency}.billings"]);
        Assert.Equal(before, UseCases.Figures(await world.DocumentAsync(june, 1)));
        Assert.Equal([1, 2], (await world.Snapshots.ListVersionsAsync(june, CancellationToken.None)).Select(v => v.Version));
        Assert.Equal(restated.Value.Closed, world.Reports.Requested.Last());
        Assert.Equal(restated.Value.Differences, world.Snapshots.DifferencesOf(june, 2));
    }

    [Fact]
    public async Task Restating_a_month_that_is_not_closed_does_nothing()
    {
        var world = new UseCases(March2026);
        await world.IngestAsync(UseCases.Sample(contracts: 5));

        Assert.Null(await world.Closer.RestateAsync(new Period(2025, 3), CancellationToken.None));
        Assert.Empty(world.Reports.Requested);
    }

    private sealed class SameContractFigures : IEqualityComparer<IReadOnlyDictionary<string, ContractFigures>>
    {
        public static readonly SameContractFigures Instance = new();

        public bool Equals(IReadOnlyDictionary<string, ContractFigures>? x, IReadOnlyDictionary<string, ContractFigures>? y) =>
            x is not null && y is not null && x.Count == y.Count && x.All(p => y.TryGetValue(p.Key, out var other) && other == p.Value);

        public int GetHashCode(IReadOnlyDictionary<string, ContractFigures> obj) => obj.Count;
    }
}
