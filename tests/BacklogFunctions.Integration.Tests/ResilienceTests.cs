using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using BacklogFunctions.Host;
using BacklogFunctions.Host.Close;
using BacklogFunctions.Host.Queues;
using BacklogFunctions.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BacklogFunctions.Integration.Tests;

/// <summary>Background loops that outlive any one failing message or run.</summary>
[Collection(StandaloneCollection.Name)]
public sealed class ResilienceTests(StandaloneFixture app)
{
    /// <summary>Meters nobody listens to.</summary>
    private sealed class NoMeters : System.Diagnostics.Metrics.IMeterFactory
    {
        public System.Diagnostics.Metrics.Meter Create(System.Diagnostics.Metrics.MeterOptions options) => new(options);

        public void Dispose()
        {
        }
    }

    /// <summary>A queue worker whose handler throws what no one expects for every message that says so.</summary>
    private sealed class ThrowingWorker(QueueServiceClient queues, string queue, int maxDequeueCount, ILogger logger) : StorageQueueWorker(queues, maxDequeueCount, Telemetry, logger)
    {
        private static readonly BacklogFunctions.Application.Telemetry.BacklogTelemetry Telemetry = new(new NoMeters());

        public ConcurrentBag<string> Handled { get; } = [];

        public ConcurrentDictionary<string, int> Attempts { get; } = new();

        protected override string QueueName => queue;

        protected override TimeSpan Visibility => TimeSpan.FromSeconds(1);

        protected override int Concurrency => 4;

        protected override Task<MessageDisposition> HandleAsync(string body, long dequeueCount, CancellationToken cancellationToken)
        {
            Attempts.AddOrUpdate(body, 1, (_, n) => n + 1);
            return body switch
            {
                "null" => throw new KeyNotFoundException("a handler bug"),
                "invalid-op" => throw new InvalidOperationException("a library refused"),
                "format" => throw new FormatException("unreadable"),
                "argument" => throw new ArgumentException("a lone surrogate cannot be written"),
                _ => Complete(body),
            };
        }

        private Task<MessageDisposition> Complete(string body)
        {
            Handled.Add(body);
            return Task.FromResult(MessageDisposition.Complete);
        }
    }

    [Fact]
    public async Task A_handler_that_throws_anything_is_retried_then_poisoned_and_the_worker_goes_on()
    {
        var name = "throwing-" + Guid.NewGuid().ToString("N")[..8];
        var queues = new QueueServiceClient(app.Azurite.ConnectionString);
        var logs = new LogCapture();
        using var worker = new ThrowingWorker(queues, name, maxDequeueCount: 2, logs.CreateLogger("worker"));
        await worker.StartAsync(CancellationToken.None);
        try
        {
            var queue = queues.GetQueueClient(name);
            await queue.CreateIfNotExistsAsync();
            foreach (var body in new[] { "null", "invalid-op", "format", "argument", "fine-1" })
            {
                await queue.SendMessageAsync(body);
            }

            var poison = queues.GetQueueClient(name + "-poison");
            Assert.True(await StandaloneFixture.EventuallyAsync(async () => await poison.ExistsAsync() && (await poison.GetPropertiesAsync()).Value.ApproximateMessagesCount == 4, 40), "the four failing messages did not reach the poison queue");
            Assert.Contains("fine-1", worker.Handled);

            // Each failing message was tried the configured number of times, then moved; the worker still works.
            Assert.All(new[] { "null", "invalid-op", "format", "argument" }, body => Assert.Equal(2, worker.Attempts[body]));
            await queue.SendMessageAsync("fine-2");
            Assert.True(await StandaloneFixture.EventuallyAsync(() => Task.FromResult(worker.Handled.Contains("fine-2"))));
            Assert.False(worker.ExecuteTask!.IsCompleted);
            Assert.Equal(8, logs.Entries.Count(e => e.Level == LogLevel.Error && e.Message.Contains("will be retried, then poisoned", StringComparison.Ordinal)));
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
    }

    private sealed class FlakyClose : ICatchUpClose
    {
        public int Runs { get; private set; }

        public Task<CloseRun?> RunAsync(string trigger, CancellationToken cancellationToken)
        {
            Runs++;
            return Runs switch
            {
                1 => throw new InvalidOperationException("not what anyone expected"),
                2 => throw new HttpRequestException("the network went away"),
                _ => Task.FromResult<CloseRun?>(new CloseRun([], null, null)),
            };
        }
    }

    [Fact]
    public async Task The_close_scheduler_survives_a_failed_run_and_runs_at_the_next_occurrence()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 1, 0, 0, TimeSpan.Zero));
        var close = new FlakyClose();
        var logs = new LogCapture();
        using var scheduler = new CloseScheduler(close, Options.Create(new CloseOptions { Schedule = "0 2 * * *" }), clock, new Logger<CloseScheduler>(new LoggerFactory([logs])));

        await scheduler.StartAsync(CancellationToken.None);
        try
        {
            Assert.True(await StandaloneFixture.EventuallyAsync(() => Task.FromResult(close.Runs == 1)));
            for (var day = 0; day < 2; day++)
            {
                // Hour by hour: a step taken before the scheduler has set its timer only moves its next occurrence
                // (nothing sleeps on the fake clock yet), and a later step reaches it.
                var before = close.Runs;
                var ran = false;
                for (var hour = 0; hour < 48 && !ran; hour++)
                {
                    clock.Advance(TimeSpan.FromHours(1));
                    ran = await StandaloneFixture.EventuallyAsync(() => Task.FromResult(close.Runs == before + 1), seconds: 1);
                }

                Assert.True(ran, $"run {before + 1} did not happen");
            }

            Assert.Equal(3, close.Runs);
            Assert.False(scheduler.ExecuteTask!.IsCompleted);
            Assert.Equal(2, logs.Entries.Count(e => e.Level == LogLevel.Error));
        }
        finally
        {
            await scheduler.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_store_written_before_the_key_index_gets_it_at_start_up()
    {
        // Events as an older version stored them: rows in events, none in eventkeys; two contracts share a key.
        var tables = new TableServiceClient(app.Azurite.ConnectionString);
        var keys = tables.GetTableClient(EventKeyIndex.Table);
        var events = tables.GetTableClient(TableEventStore.EventsTable);
        var (older, other, newer) = (Json.NewContractId(), Json.NewContractId(), Json.NewContractId());
        var source = "legacy-" + Guid.NewGuid().ToString("N")[..8];
        await events.AddEntityAsync(new TableEntity(older, $"{source}|evt-1") { ["Payload"] = "{}", ["PayloadSha256"] = "a" });
        await events.AddEntityAsync(new TableEntity(other, $"{source}|evt-1") { ["Payload"] = "{}", ["PayloadSha256"] = "b" });
        await events.AddEntityAsync(new TableEntity(older, $"{source}|evt-2") { ["Payload"] = "{}", ["PayloadSha256"] = "c" });
        await keys.DeleteEntityAsync("meta", "backfill");

        var logs = new LogCapture();
        await using var restarted = BacklogApp.Build(
            ["--urls", "http://127.0.0.1:0", "--Storage:ConnectionString", app.Azurite.ConnectionString, "--Webhook:Secrets:0", StandaloneFixture.Secret, "--ReadApi:Keys:0", StandaloneFixture.ReadKey],
            builder => builder.Logging.AddProvider(logs));
        await restarted.StartAsync();
        try
        {
            Assert.Equal(older, (await keys.GetEntityAsync<TableEntity>(EventKeyIndex.ShardOf($"{source}|evt-2"), $"{source}|evt-2")).Value.GetString("ContractId"));
            Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains($"{source}|evt-1", StringComparison.Ordinal));
            Assert.True((await keys.GetEntityIfExistsAsync<TableEntity>("meta", "backfill")).HasValue);

            // A key of the older store is now refused for any other contract.
            using var client = new HttpClient { BaseAddress = new Uri(restarted.Urls.Single()) };
            var body = Encoding.UTF8.GetBytes(Json.Compact(Json.Signed(newer, id: "evt-2")).Replace(Json.SourceOf(newer), source, StringComparison.Ordinal));
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/events") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new("application/json");
            request.Headers.TryAddWithoutValidation(Application.Webhooks.WebhookSignature.Header, Application.Webhooks.WebhookSignature.Sign(StandaloneFixture.Secret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body));
            Assert.Equal(HttpStatusCode.Conflict, (await client.SendAsync(request)).StatusCode);
        }
        finally
        {
            await restarted.StopAsync();
            foreach (var (partition, row) in new[] { (older, $"{source}|evt-1"), (other, $"{source}|evt-1"), (older, $"{source}|evt-2") })
            {
                await events.DeleteEntityAsync(partition, row);
            }
        }
    }
}

/// <summary>The invocation routes behind the Functions host: limits and invalid text, never a 5xx.</summary>
[Collection(HostCollection.Name)]
public sealed class FunctionInvocationHardeningTests(BacklogHostFixture host)
{
    [Fact]
    public async Task An_envelope_larger_than_a_batch_gets_413_and_changes_nothing()
    {
        var before = await host.StoreContentsAsync();
        var envelope = "{\"Data\":{\"message\":\"" + new string('x', 1_100_000) + "\"},\"Metadata\":{}}";

        using var content = new StringContent(envelope, Encoding.UTF8, "application/json");
        var response = await host.Client.PostAsync("/IngestBillingEvent", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(before, await host.StoreContentsAsync());
    }

    [Theory]
    [InlineData("IngestBillingEvent", "{\"Data\":{\"message\":\"\\ud800\"},\"Metadata\":{}}")]
    [InlineData("CloseShard", "{\"Data\":{\"item\":\"{\\\"period\\\":\\\"2026-1\\ud800\\\"}\"},\"Metadata\":{}}")]
    [InlineData("RenderReport", "{\"Data\":{\"item\":\"\\udc00\"},\"Metadata\":{}}")]
    [InlineData("RenderReport", "{\"Data\":{\"item\":{\"period\":\"\\ud800\",\"version\":1}},\"Metadata\":{}}")]
    [InlineData("CloseShard", "{\"Data\":{\"item\":{}},\"Metadata\":{\"DequeueCount\":\"1\\u0000\"}}")]
    [InlineData("MonthEndClose", "[]")]
    [InlineData("IngestBillingEvent", "{\"Data\":[]}")]
    public async Task Invalid_text_in_an_envelope_is_a_400(string function, string envelope)
    {
        var before = await host.StoreContentsAsync();

        using var content = new StringContent(envelope, Encoding.UTF8, "application/json");
        var response = await host.Client.PostAsync("/" + function, content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await host.StoreContentsAsync());
    }

    [Fact]
    public async Task A_queued_event_with_a_lone_surrogate_is_rejected_with_its_field_not_retried()
    {
        var contract = Json.NewContractId();
        var message = Json.Compact(Json.Signed(contract)).Replace("Contoso", "Contoso\\ud800", StringComparison.Ordinal);
        var envelope = System.Text.Json.JsonSerializer.Serialize(new { Data = new { message }, Metadata = new { DeliveryCount = "1" } });

        using var content = new StringContent(envelope, Encoding.UTF8, "application/json");
        var response = await host.Client.PostAsync("/IngestBillingEvent", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data.customer.name", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await host.GetWithKeyAsync($"/api/contracts/{contract}/history")).StatusCode);
    }
}
