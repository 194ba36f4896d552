using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using BacklogFunctions.Application.Events;
using BacklogFunctions.Application.Ingest;
using BacklogFunctions.Domain.Events;
using BacklogFunctions.Host;
using BacklogFunctions.Application.Webhooks;
using BacklogFunctions.Sample;
using BacklogFunctions.Storage;
using BacklogFunctions.Testing;
using Microsoft.AspNetCore.Builder;

namespace BacklogFunctions.Benchmarks;

/// <summary>
/// Ingest throughput into a real Azurite: the signed webhook (NDJSON batches) and the Storage-queue path,
/// each against a bare Azure.Data.Tables loop that writes the same entities, measured in the same run.
/// Arguments: [--events N] [--queue-events M] [--batch B]
/// </summary>
internal static class IngestBenchmark
{
    private const string Secret = "whsec_bench_0123456789abcdef";
    private const int Concurrency = 16;

    public static async Task<int> RunAsync(string[] args)
    {
        var culture = CultureInfo.InvariantCulture;
        var count = Measure.Arg(args, "--events", 20_000);
        var queueCount = Measure.Arg(args, "--queue-events", 3_000);
        var batchSize = Measure.Arg(args, "--batch", 500);

        var all = SampleGenerator.Generate(new SampleSpec((count + (2 * queueCount) + 2_000) / 7, 36, 99, SampleSpec.DefaultStart));
        if (all.Count < count + (2 * queueCount) + 1_000)
        {
            throw new InvalidOperationException($"the sample has only {all.Count} events");
        }

        var lines = SampleGenerator.ToNdjson(all).ToList();
        var warmUp = lines.Take(1_000).ToList();
        var batchLines = lines.Skip(1_000).Take(count).ToList();
        var queueLines = lines.Skip(1_000 + count).Take(queueCount).ToList();
        var envelopeLines = lines.Skip(1_000 + count + queueCount).Take(queueCount).ToList();

        await using var azurite = await AzuriteServer.StartAsync();
        Console.WriteLine(string.Create(culture, $"Ingest throughput into Azurite 3.37.0 (in memory), .NET {Environment.Version}, {Environment.ProcessorCount} cores shared by Azurite, the program and the client"));

        var tables = new TableServiceClient(azurite.ConnectionString);
        // As the Functions host runs it, so that the Service Bus invocation route is served.
        await using var app = BacklogApp.Build(
        [
            "--FUNCTIONS_CUSTOMHANDLER_PORT", "0",
            "--Storage:ConnectionString", azurite.ConnectionString,
            "--Webhook:Secrets:0", Secret,
            "--Webhook:MaxBatchBytes", "16777216",
            "--ReadApi:Keys:0", "read-key-0123456789abcdef",
            "--Logging:LogLevel:Default", "Error",
        ]);
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()), Timeout = TimeSpan.FromMinutes(5) };

        // Warm-up of both paths (JIT, connections, tables), on events not measured.
        await BareBatchesAsync(tables, "warm", Prepare(warmUp), batchSize, withKeys: true);
        await HttpBatchesAsync(http, warmUp, batchSize);

        var prepared = Prepare(batchLines);
        var bareBatch = await Measure.TimeAsync(() => BareBatchesAsync(tables, "bare", prepared, batchSize, withKeys: false));
        var bareBatchKeys = await Measure.TimeAsync(() => BareBatchesAsync(tables, "barekeys", prepared, batchSize, withKeys: true));
        var httpBatch = await Measure.TimeAsync(() => HttpBatchesAsync(http, batchLines, batchSize));
        await VerifyAsync(tables.GetTableClient(TableEventStore.EventsTable), warmUp.Count + batchLines.Count);

        var preparedQueue = Prepare(queueLines);
        var bareSingle = await Measure.TimeAsync(() => BareSinglesAsync(tables, "single", preparedQueue, withKeys: false));
        var bareSingleKeys = await Measure.TimeAsync(() => BareSinglesAsync(tables, "singlekeys", preparedQueue, withKeys: true));
        var envelopes = await Measure.TimeAsync(() => EnvelopesAsync(http, envelopeLines));
        var queueOnly = await Measure.TimeAsync(() => QueueOnlyAsync(azurite, queueLines));
        var queue = await QueuePathAsync(azurite, queueLines);
        await VerifyAsync(tables.GetTableClient(TableEventStore.EventsTable), warmUp.Count + batchLines.Count + envelopeLines.Count + queueLines.Count);

        Console.WriteLine();
        Console.WriteLine("| path | events | seconds | events per second | vs bare |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        Row("bare Azure.Data.Tables, entity-group transactions of the same entities", batchLines.Count, bareBatchKeys, bareBatchKeys);
        Row("(the same without the event-key rows)", batchLines.Count, bareBatch, bareBatchKeys);
        Row($"signed webhook, NDJSON batches of {batchSize}", batchLines.Count, httpBatch, bareBatchKeys);
        Row($"bare Azure.Data.Tables, one write per entity, {Concurrency} at once", queueLines.Count, bareSingleKeys, bareSingleKeys);
        Row("(the same without the event-key rows)", queueLines.Count, bareSingle, bareSingleKeys);
        Row($"Service Bus function envelopes (POST /IngestBillingEvent), {Concurrency} at once", envelopeLines.Count, envelopes, bareSingleKeys);
        Row("Storage queue → standalone listener → store", queueLines.Count, queue, bareSingleKeys);
        Row("(Azurite queue alone: receive and delete, no ingest)", queueLines.Count, queueOnly, bareSingleKeys);
        Console.WriteLine();
        Console.WriteLine(string.Create(culture, $"target ≥ 0.8× bare: webhook {Ratio(bareBatchKeys, httpBatch):F2}×, Service Bus envelopes {Ratio(bareSingleKeys, envelopes):F2}×, Storage queue {Ratio(bareSingleKeys, queue):F2}× (Azurite's queue alone {Ratio(bareSingleKeys, queueOnly):F2}×); against the writes without event-key rows: webhook {Ratio(bareBatch, httpBatch):F2}×, Service Bus envelopes {Ratio(bareSingle, envelopes):F2}×"));
        return 0;

        void Row(string name, int events, TimeSpan elapsed, TimeSpan bare) =>
            Console.WriteLine(string.Create(culture, $"| {name} | {events:N0} | {elapsed.TotalSeconds:F2} | {events / elapsed.TotalSeconds:N0} | {Ratio(bare, elapsed):F2}× |"));
    }

    /// <summary>What the Storage queue alone costs on Azurite: send, receive (32 at a time) and delete.</summary>
    public static async Task<int> ProbeQueueAsync()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        var queue = new QueueServiceClient(azurite.ConnectionString).GetQueueClient("probe");
        await queue.CreateIfNotExistsAsync();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 2000; i++)
        {
            await queue.SendMessageAsync("{\"n\":" + i.ToString(CultureInfo.InvariantCulture) + "}");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"send 2000: {clock.Elapsed.TotalSeconds:F2} s"));
        clock.Restart();
        var received = 0;
        while (received < 2000)
        {
            var messages = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(30))).Value;
            received += messages.Length;
            await Parallel.ForEachAsync(messages, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (m, t) => await queue.DeleteMessageAsync(m.MessageId, m.PopReceipt, t));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"receive+delete 2000 (16 at once): {clock.Elapsed.TotalSeconds:F2} s"));
        return 0;
    }

    private static double Ratio(TimeSpan bare, TimeSpan path) => bare.TotalSeconds / path.TotalSeconds;

    private static List<StoredEvent> Prepare(IEnumerable<string> lines) => lines.Select(line =>
    {
        var e = EventReader.Parse(line).Event ?? throw new InvalidOperationException("the sample produced an invalid event");
        return new StoredEvent(e, line, EventJson.ContentHash(e), Channels.Webhook, DateTimeOffset.UtcNow);
    }).ToList();

    /// <summary>The same entities the store writes, in the same request-sized groups, straight into tables.</summary>
    private static async Task BareBatchesAsync(TableServiceClient tables, string prefix, List<StoredEvent> events, int batchSize, bool withKeys)
    {
        var eventsTable = tables.GetTableClient(prefix + "events");
        var contractsTable = tables.GetTableClient(prefix + "contracts");
        var keysTable = tables.GetTableClient(prefix + "eventkeys");
        await eventsTable.CreateIfNotExistsAsync();
        await contractsTable.CreateIfNotExistsAsync();
        await keysTable.CreateIfNotExistsAsync();
        foreach (var request in events.Chunk(batchSize))
        {
            if (withKeys)
            {
                foreach (var shard in request.Select(KeyRowOf).GroupBy(r => r.PartitionKey))
                {
                    foreach (var chunk in shard.Chunk(TableEventStore.MaxBatchEntities))
                    {
                        await keysTable.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.Add, r)));
                    }
                }
            }

            var rows = request.GroupBy(s => s.Event.ContractId).Select(g => TableEventStore.ContractRowOf(g.FirstOrDefault(s => s.Event is ContractSigned) ?? g.First()));
            foreach (var shard in rows.GroupBy(r => r.PartitionKey))
            {
                foreach (var chunk in shard.Chunk(TableEventStore.MaxBatchEntities))
                {
                    await contractsTable.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertMerge, r)));
                }
            }

            foreach (var partition in request.GroupBy(s => s.Event.ContractId))
            {
                foreach (var chunk in partition.Chunk(TableEventStore.MaxBatchEntities))
                {
                    await eventsTable.SubmitTransactionAsync(chunk.Select(s => new TableTransactionAction(TableTransactionActionType.Add, TableEventStore.ToEntity(s))));
                }
            }
        }
    }

    /// <summary>The event-key row the store claims before an event (decision 010).</summary>
    private static TableEntity KeyRowOf(StoredEvent stored)
    {
        var rowKey = TableEventStore.RowKeyOf(stored.Event.Key);
        return new TableEntity(EventKeyIndex.ShardOf(rowKey), rowKey) { ["ContractId"] = stored.Event.ContractId };
    }

    /// <summary>One write per entity, <see cref="Concurrency"/> at a time (as many as the paths it is compared with).</summary>
    private static async Task BareSinglesAsync(TableServiceClient tables, string prefix, List<StoredEvent> events, bool withKeys)
    {
        var eventsTable = tables.GetTableClient(prefix + "events");
        var contractsTable = tables.GetTableClient(prefix + "contracts");
        var keysTable = tables.GetTableClient(prefix + "eventkeys");
        await eventsTable.CreateIfNotExistsAsync();
        await contractsTable.CreateIfNotExistsAsync();
        await keysTable.CreateIfNotExistsAsync();
        await Parallel.ForEachAsync(events, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (stored, token) =>
        {
            if (withKeys)
            {
                await keysTable.AddEntityAsync(KeyRowOf(stored), token);
            }

            await contractsTable.UpsertEntityAsync(TableEventStore.ContractRowOf(stored), cancellationToken: token);
            await eventsTable.AddEntityAsync(TableEventStore.ToEntity(stored), token);
        });
    }

    /// <summary>Service Bus as the Functions host delivers it: one envelope per message, 16 calls at once.</summary>
    private static async Task EnvelopesAsync(HttpClient http, List<string> lines) =>
        await Parallel.ForEachAsync(lines, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (line, token) =>
        {
            var envelope = System.Text.Json.JsonSerializer.Serialize(new { Data = new { message = line }, Metadata = new { DeliveryCount = "1" } });
            using var content = new StringContent(envelope, Encoding.UTF8, "application/json");
            using var response = await http.PostAsync("/IngestBillingEvent", content, token);
            response.EnsureSuccessStatusCode();
        });

    /// <summary>Azurite's queue alone: receive 32 at a time and delete, with no ingest work at all.</summary>
    private static async Task QueueOnlyAsync(AzuriteServer azurite, List<string> lines)
    {
        var queue = new QueueServiceClient(azurite.ConnectionString).GetQueueClient("bench-raw");
        await queue.CreateIfNotExistsAsync();
        foreach (var line in lines)
        {
            await queue.SendMessageAsync(line);
        }

        var received = 0;
        while (received < lines.Count)
        {
            var messages = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(30))).Value;
            received += messages.Length;
            await Parallel.ForEachAsync(messages, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (m, t) => await queue.DeleteMessageAsync(m.MessageId, m.PopReceipt, t));
        }
    }

    private static async Task HttpBatchesAsync(HttpClient http, List<string> lines, int batchSize)
    {
        foreach (var chunk in lines.Chunk(batchSize))
        {
            var body = Encoding.UTF8.GetBytes(string.Join('\n', chunk));
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/events:batch") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
            request.Headers.TryAddWithoutValidation(WebhookSignature.Header, WebhookSignature.Sign(Secret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body));
            using var response = await http.SendAsync(request);
            response.EnsureSuccessStatusCode();
        }
    }

    /// <summary>Messages are queued first (not timed); then a listening instance drains the queue.</summary>
    private static async Task<TimeSpan> QueuePathAsync(AzuriteServer azurite, List<string> lines)
    {
        var queue = new QueueServiceClient(azurite.ConnectionString).GetQueueClient("bench-events");
        await queue.CreateIfNotExistsAsync();
        foreach (var line in lines)
        {
            await queue.SendMessageAsync(line);
        }

        var clock = Stopwatch.StartNew();
        var lastLog = TimeSpan.Zero;
        await using var listener = BacklogApp.Build(
        [
            "--urls", "http://127.0.0.1:0",
            "--Storage:ConnectionString", azurite.ConnectionString,
            "--Storage:ListenToQueue", "true",
            "--Storage:BillingEventsQueue", "bench-events",
            "--Webhook:Secrets:0", Secret,
            "--ReadApi:Keys:0", "read-key-0123456789abcdef",
            "--Logging:LogLevel:Default", "Error",
        ]);
        await listener.StartAsync();
        int left;
        while ((left = (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount) > 0)
        {
            if (clock.Elapsed - lastLog > TimeSpan.FromSeconds(2) && Environment.GetEnvironmentVariable("BENCH_VERBOSE") is not null)
            {
                lastLog = clock.Elapsed;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {clock.Elapsed.TotalSeconds:F1} s: {left} messages left"));
            }

            // Counting messages makes Azurite scan the queue: ask rarely, so the check does not slow the run.
            await Task.Delay(250);
        }

        var elapsed = clock.Elapsed;
        await listener.StopAsync();
        return elapsed;
    }

    private static async Task VerifyAsync(TableClient events, int expected)
    {
        var stored = 0;
        await foreach (var _ in events.QueryAsync<TableEntity>(select: ["RowKey"]))
        {
            stored++;
        }

        if (stored != expected)
        {
            throw new InvalidOperationException($"expected {expected} stored events, found {stored}");
        }
    }
}
