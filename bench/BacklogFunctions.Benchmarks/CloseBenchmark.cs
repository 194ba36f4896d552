using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using BacklogFunctions.Application.Close;
using BacklogFunctions.Application.Ingest;
using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Snapshots;
using BacklogFunctions.Sample;
using BacklogFunctions.Storage;
using BacklogFunctions.Testing;

namespace BacklogFunctions.Benchmarks;

/// <summary>
/// Close of one month on Azurite against a bare scan of the same events from the same table, in the same run.
/// Arguments: [--contracts N] [--months M]
/// </summary>
internal static class CloseBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var culture = CultureInfo.InvariantCulture;
        var contracts = Measure.Arg(args, "--contracts", 10_000);
        var months = Measure.Arg(args, "--months", 36);

        await using var azurite = await AzuriteServer.StartAsync();
        var tables = new TableServiceClient(azurite.ConnectionString);
        var blobs = new BlobServiceClient(azurite.ConnectionString);
        var queues = new QueueServiceClient(azurite.ConnectionString);
        var store = new TableEventStore(tables, blobs);
        await store.EnsureCreatedAsync(CancellationToken.None);

        var events = SampleGenerator.Generate(new SampleSpec(contracts, months, 3, SampleSpec.DefaultStart));
        var stored = SampleGenerator.ToNdjson(events).Zip(events, (line, e) => new StoredEvent(e, line, EventJson.ContentHash(e), Channels.Webhook, DateTimeOffset.UtcNow)).ToList();
        var clock = Stopwatch.StartNew();
        foreach (var chunk in stored.Chunk(5_000))
        {
            await store.AppendManyAsync(chunk, CancellationToken.None);
        }

        Console.WriteLine(string.Create(culture, $"Close of one month: {contracts:N0} contracts, {events.Count:N0} events on Azurite 3.37.0 (in memory), loaded in {clock.Elapsed.TotalSeconds:F1} s; .NET {Environment.Version}, {Environment.ProcessorCount} cores shared with Azurite"));

        var snapshots = new TableSnapshotStore(tables, blobs);
        await snapshots.EnsureCreatedAsync(CancellationToken.None);
        var reports = new ReportRequestQueue(queues);
        await reports.EnsureCreatedAsync(CancellationToken.None);
        var period = SampleSpec.DefaultStart.AddMonths(months - 1);
        var closer = new PeriodCloser(new ContractHistories(store), snapshots, reports, TimeProvider.System, new CloseSettings(SnapshotOptions.Default, TimeZoneInfo.Utc));

        // Warm-up: one scan and one close of another month.
        await BareScanAsync(tables);
        await closer.CloseAsync(period.Previous, CancellationToken.None);

        var scan = await Measure.TimeAsync(() => BareScanAsync(tables));
        var close = await Measure.TimeAsync(() => closer.CloseAsync(period, CancellationToken.None));
        var scanAgain = await Measure.TimeAsync(() => BareScanAsync(tables));
        // The fanned-out close of the same month, restated as versions 2 and 3: every shard runs at once, as on
        // as many instances (here they share the machine and the one Azurite process).
        var sharded = new List<(int Shards, TimeSpan Time)>();
        var version = 2;
        foreach (var shards in new[] { 1, 4 })
        {
            var time = await Measure.TimeAsync(() => ShardedCloseAsync(store, snapshots, reports, period, version++, shards));
            sharded.Add((shards, time));
        }

        var load = await Measure.TimeAsync(() => new ContractHistories(store).LoadAsync(CancellationToken.None));
        var parse = await Measure.TimeAsync(() => Task.Run(() => { foreach (var s in stored) { _ = EventJson.ReadStored(s.RawJson); } }));
        Console.WriteLine(string.Create(culture, $"(load histories {load.TotalSeconds:F2} s, parse alone {parse.TotalSeconds:F2} s)"));

        Console.WriteLine();
        Console.WriteLine("| step | seconds | vs bare scan |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine(string.Create(culture, $"| bare scan of the events table (Azure.Data.Tables, all properties) | {scan.TotalSeconds:F2} | 1.00× |"));
        Console.WriteLine(string.Create(culture, $"| close of {period}: scan, parse, replay, snapshot, {contracts:N0} rows, document, mark closed | {close.TotalSeconds:F2} | {close / scan:F2}× |"));
        foreach (var (shards, time) in sharded)
        {
            Console.WriteLine(string.Create(culture, $"| fanned-out close of {period}, {shards} shard(s) run at once, combined by the last | {time.TotalSeconds:F2} | {time / scan:F2}× |"));
        }

        Console.WriteLine(string.Create(culture, $"| bare scan again (drift check) | {scanAgain.TotalSeconds:F2} | {scanAgain / scan:F2}× |"));
        Console.WriteLine();
        Console.WriteLine(string.Create(culture, $"target ≤ 1.5× the bare scan: {close / ((scan + scanAgain) / 2):F2}× of the mean scan"));
        return 0;
    }

    private static async Task ShardedCloseAsync(TableEventStore store, TableSnapshotStore snapshots, ReportRequestQueue reports, Period period, int version, int shards)
    {
        var close = new ShardedClose(new ContractHistories(store), snapshots, snapshots, new NoQueue(), reports, TimeProvider.System, new CloseSettings(SnapshotOptions.Default, TimeZoneInfo.Utc));
        var boundaries = CloseJob.BoundariesOf(await new ContractHistories(store).ContractIdsAsync(CancellationToken.None), shards);
        await snapshots.TryStartAsync(new CloseJob(period, version, shards, DateTimeOffset.UtcNow, SnapshotOptions.Default, boundaries), CancellationToken.None);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, shards).Select(shard => Task.Run(() => close.RunShardAsync(new CloseShardMessage(period, version, shard, shards), CancellationToken.None))));
        if (!outcomes.Any(o => o.Closed?.Version == version))
        {
            throw new InvalidOperationException($"the {shards}-shard close did not close {period} v{version}");
        }
    }

    /// <summary>Restatements start no next month: nothing is sent.</summary>
    private sealed class NoQueue : ICloseShardQueue
    {
        public Task SendAsync(IReadOnlyList<CloseShardMessage> messages, CancellationToken cancellationToken) =>
            messages.Count == 0 ? Task.CompletedTask : throw new InvalidOperationException("unexpected shard messages");
    }

    private static async Task BareScanAsync(TableServiceClient tables)
    {
        var count = 0;
        await foreach (var _ in tables.GetTableClient(TableEventStore.EventsTable).QueryAsync<TableEntity>())
        {
            count++;
        }

        if (count == 0)
        {
            throw new InvalidOperationException("nothing to scan");
        }
    }
}
