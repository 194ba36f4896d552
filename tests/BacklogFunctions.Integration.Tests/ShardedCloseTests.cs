using BacklogFunctions.Application.Messages;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Azure.Storage.Queues;
using BacklogFunctions.Application.Close;
using BacklogFunctions.Application.Presentation;
using BacklogFunctions.Application.Webhooks;
using BacklogFunctions.Cli;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Snapshots;
using BacklogFunctions.Host;
using BacklogFunctions.Sample;
using BacklogFunctions.Storage;
using BacklogFunctions.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BacklogFunctions.Integration.Tests;

/// <summary>
/// The close fanned out by contract shard over the <c>close-shards</c> queue, on Azurite: the same figures as
/// the offline CLI with 1 and 16 shards, a shard that dies half-way, and the <c>CloseShard</c> function contract.
/// </summary>
public sealed class ShardedCloseTests : IAsyncLifetime
{
    private const string Secret = "whsec_shards_0123456789abcdef";
    private const string Key = "read-key-0123456789abcdef";

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 1, 2, 3, 0, 0, TimeSpan.Zero));
    private readonly string _events = Path.Combine(Path.GetTempPath(), $"shards-{Guid.NewGuid():N}.ndjson");
    private AzuriteServer _azurite = null!;

    public async Task InitializeAsync() => _azurite = await AzuriteServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _azurite.DisposeAsync();
        File.Delete(_events);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    public async Task Every_month_closed_through_the_shard_queue_has_the_offline_figures(int shards)
    {
        await using var app = await StartAsync(shards, listen: true);
        using var client = Client(app);
        await SendAsync(client, SampleGenerator.Generate(new SampleSpec(120, 12, 88, SampleSpec.DefaultStart)));

        // "Close now" starts January; each month's last shard closes it and starts the next.
        var started = await client.PostAsync("/api/close", null);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var fanOut = (await Json.ReadAsync(started)).GetProperty("fanOut");
        Assert.Equal("2024-01", fanOut.GetProperty("period").GetString());
        Assert.Equal(shards, fanOut.GetProperty("sent").GetInt32());

        var store = app.Services.GetRequiredService<TableSnapshotStore>();
        Assert.True(await EventuallyAsync(async () => (await store.ListClosedAsync(CancellationToken.None)).Count == 12), "2024-01 to 2024-12 closed");
        for (var period = SampleSpec.DefaultStart; period <= new Period(2024, 12); period = period.Next)
        {
            var offline = OfflineSnapshot(period);
            var stored = await GetAsync(client, $"/api/periods/{period}/snapshot");
            Assert.Equal(Normalize(offline.GetProperty("totals")), Normalize(stored.GetProperty("totals")));
            Assert.Equal(Normalize(Offline("waterfall", period).GetProperty("waterfalls")), Normalize(stored.GetProperty("waterfalls")));

            var rows = await store.ReadContractSnapshotsAsync(period, 1, CancellationToken.None);
            var expected = offline.GetProperty("contracts").EnumerateArray().ToDictionary(c => c.GetProperty("contractId").GetString()!);
            Assert.Equal(expected.Count, rows.Count);
            foreach (var row in rows)
            {
                foreach (var column in FigureColumns.All)
                {
                    var holder = column.Group is { } group ? expected[row.ContractId].GetProperty(group) : expected[row.ContractId];
                    Assert.Equal(holder.GetProperty(column.Member ?? column.Name).GetString(), row.Currency.Format(column.Value(row.Figures)));
                }
            }

            Assert.Equal(Enumerable.Range(0, shards), (await store.ListCompletedAsync(period, 1, CancellationToken.None)).Select(s => s.Shard));
        }

        // Nothing is left to do: the next run starts nothing.
        var again = await Json.ReadAsync(await client.PostAsync("/api/close", null));
        Assert.Equal(JsonValueKind.Null, again.GetProperty("fanOut").GetProperty("period").ValueKind);
    }

    [Fact]
    public async Task A_shard_that_dies_half_way_leaves_the_month_open_and_its_redelivery_closes_it_with_the_same_figures()
    {
        await using var app = await StartAsync(4, listen: false);
        using var client = Client(app);
        await SendAsync(client, SampleGenerator.Generate(new SampleSpec(80, 1, 5, new Period(2024, 12))));
        var close = app.Services.GetRequiredService<ShardedClose>();
        var store = app.Services.GetRequiredService<TableSnapshotStore>();

        var start = await close.StartDueAsync(4, CancellationToken.None);
        Assert.Equal(new Period(2024, 12), start.Period);
        var messages = await ReceiveAsync(app, 4);
        Assert.Equal([0, 1, 2, 3], messages.Select(m => m.Shard).Order());

        // Three shards finish; the fourth dies after writing half of its rows.
        foreach (var message in messages.Where(m => m.Shard != 3))
        {
            Assert.Null((await close.RunShardAsync(message, CancellationToken.None)).Closed);
        }

        var dying = new ShardedClose(
            app.Services.GetRequiredService<ContractHistories>(), new DiesWritingContracts(store), store, app.Services.GetRequiredService<ICloseShardQueue>(),
            app.Services.GetRequiredService<IReportRequests>(), _clock, app.Services.GetRequiredService<CloseSettings>());
        await Assert.ThrowsAsync<IOException>(() => dying.RunShardAsync(messages.Single(m => m.Shard == 3), CancellationToken.None));
        Assert.Null(await store.FindClosedAsync(new Period(2024, 12), CancellationToken.None));
        Assert.Equal(3, (await store.ListCompletedAsync(new Period(2024, 12), 1, CancellationToken.None)).Count);

        // The next scheduled run sends only the missing shard again; its redelivery closes the month.
        var resent = await close.StartDueAsync(4, CancellationToken.None);
        Assert.Equal(1, resent.Sent);
        var redelivered = Assert.Single(await ReceiveAsync(app, 1));
        Assert.Equal(3, redelivered.Shard);
        var outcome = await close.RunShardAsync(redelivered, CancellationToken.None);
        Assert.Equal(new Period(2024, 12), outcome.Closed?.Period);

        var stored = await GetAsync(client, "/api/periods/2024-12/snapshot");
        Assert.Equal(Normalize(OfflineSnapshot(new Period(2024, 12)).GetProperty("totals")), Normalize(stored.GetProperty("totals")));

        // A shard delivered once more after the close changes nothing.
        var late = await close.RunShardAsync(messages[0], CancellationToken.None);
        Assert.False(late.Written);
        Assert.Equal(Normalize(stored), Normalize(await GetAsync(client, "/api/periods/2024-12/snapshot")));
    }

    [Fact]
    public async Task CloseShard_runs_the_shard_the_functions_host_delivers_and_answers_in_the_custom_handler_format()
    {
        _clock.SetUtcNow(new DateTimeOffset(2026, 11, 1, 2, 7, 21, TimeSpan.Zero));
        await using var app = await StartAsync(16, listen: false);
        using var client = Client(app);
        await SendAsync(client, SampleGenerator.Generate(new SampleSpec(64, 10, 9, new Period(2026, 1))));
        var store = app.Services.GetRequiredService<TableSnapshotStore>();
        var envelope = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "..", "shared", "fixtures", "functions-host", "queue.json"));

        // Before the close of October is started, the fixture's shard belongs to nothing: the invocation fails.
        var orphan = await PostAsync(client, "/CloseShard", envelope);
        Assert.Equal(HttpStatusCode.BadRequest, orphan.StatusCode);
        Assert.Contains("no close of 2026-10", await orphan.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var ids = await app.Services.GetRequiredService<ContractHistories>().ContractIdsAsync(CancellationToken.None);
        var job = new CloseJob(new Period(2026, 10), 1, 16, _clock.GetUtcNow(), SnapshotOptions.Default, CloseJob.BoundariesOf(ids, 16));
        Assert.True(await store.TryStartAsync(job, CancellationToken.None));
        var response = await PostAsync(client, "/CloseShard", envelope);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await Json.ReadAsync(response);
        Assert.Equal(JsonValueKind.Object, answer.GetProperty("Outputs").ValueKind);
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("ReturnValue").ValueKind);
        Assert.Contains("2026-10 v1 shard 3 of 16", answer.GetProperty("Logs")[0].GetString(), StringComparison.Ordinal);

        // Only the contracts of shard 3's id range were written, and the shard is recorded; October is not closed yet.
        var rows = await store.ReadContractSnapshotsAsync(new Period(2026, 10), 1, CancellationToken.None);
        var (from, to) = job.RangeOf(3);
        Assert.Equal(ids.Where(id => string.CompareOrdinal(id, from) >= 0 && string.CompareOrdinal(id, to) < 0).Order(StringComparer.Ordinal), rows.Select(r => r.ContractId).Order(StringComparer.Ordinal));
        Assert.NotEmpty(rows);
        Assert.Equal([3], (await store.ListCompletedAsync(new Period(2026, 10), 1, CancellationToken.None)).Select(s => s.Shard));
        Assert.Null(await store.FindClosedAsync(new Period(2026, 10), CancellationToken.None));

        // A redelivery (DequeueCount 2) writes the same rows and says which delivery it was.
        var redelivery = JsonEdit.Set(envelope, "Metadata.DequeueCount", "\"2\"");
        var again = await Json.ReadAsync(await PostAsync(client, "/CloseShard", redelivery));
        Assert.Contains("(delivery 2)", again.GetProperty("Logs")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(rows.Count, (await store.ReadContractSnapshotsAsync(new Period(2026, 10), 1, CancellationToken.None)).Count);

        // Messages that are not a shard of this close fail the invocation and change nothing.
        foreach (var item in new[] { "not json", """{"period":"2026-10","version":1,"shard":16,"shards":16}""", """{"period":"2026-13","version":1,"shard":0,"shards":16}""", """{"period":"2026-10","version":1,"shard":0,"shards":4}""" })
        {
            var bad = await PostAsync(client, "/CloseShard", JsonEdit.Set(envelope, "Data.item", JsonSerializer.Serialize(item)));
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }

        Assert.Equal([3], (await store.ListCompletedAsync(new Period(2026, 10), 1, CancellationToken.None)).Select(s => s.Shard));
    }

    private async Task<WebApplication> StartAsync(int shards, bool listen)
    {
        var app = BacklogApp.Build(
            [
                "--FUNCTIONS_CUSTOMHANDLER_PORT", "0",
                "--Storage:ConnectionString", _azurite.ConnectionString,
                "--Storage:ListenToQueue", listen ? "true" : "false",
                "--Close:Shards", shards.ToString(CultureInfo.InvariantCulture),
                "--Close:ShardConcurrency", "4",
                "--Webhook:Secrets:0", Secret,
                "--Webhook:MaxBatchBytes", "16777216",
                "--Webhook:MaxBatchEvents", "5000",
                "--ReadApi:Keys:0", Key,
                "--Logging:LogLevel:Default", "Warning",
            ],
            builder => builder.Services.AddSingleton<TimeProvider>(_clock));
        await app.StartAsync();
        return app;
    }

    private static HttpClient Client(WebApplication app)
    {
        var client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
        client.DefaultRequestHeaders.Add("x-functions-key", Key);
        return client;
    }

    private async Task SendAsync(HttpClient client, IReadOnlyList<Domain.Events.ContractEvent> events)
    {
        var lines = SampleGenerator.ToNdjson(events).ToList();
        await File.WriteAllLinesAsync(_events, lines);
        var body = Encoding.UTF8.GetBytes(string.Join('\n', lines));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/events:batch") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        request.Headers.TryAddWithoutValidation(WebhookSignature.Header, WebhookSignature.Sign(Secret, _clock.GetUtcNow().ToUnixTimeSeconds(), body));
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<List<CloseShardMessage>> ReceiveAsync(WebApplication app, int count)
    {
        var queue = app.Services.GetRequiredService<QueueServiceClient>().GetQueueClient(CloseShardQueue.QueueName);
        var messages = (await queue.ReceiveMessagesAsync(32)).Value;
        Assert.Equal(count, messages.Length);
        return messages.Select(m =>
        {
            Assert.True(QueueMessages.TryRead(m.Body.ToString(), out CloseShardMessage? message, out var error), error);
            return message!;
        }).ToList();
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string json) =>
        client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    private static async Task<JsonElement> GetAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await Json.ReadAsync(response);
    }

    private JsonElement OfflineSnapshot(Period period) => Offline("snapshot", period);

    private JsonElement Offline(string command, Period period)
    {
        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);
        var exit = BacklogCommand.Run([command, "--events", _events, "--period", period.ToString(), "--format", "json"], stdout, stderr, () => Stream.Null, showProgress: false);
        Assert.True(exit == 0, stderr.ToString());
        return Json.Parse(stdout.ToString());
    }

    private static string Normalize(JsonElement element) => JsonSerializer.Serialize(element);

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, int attempts = 1200)
    {
        for (var i = 0; i < attempts; i++)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }

    /// <summary>Writes half of a shard's rows and stops: an instance killed in the middle of a shard.</summary>
    private sealed class DiesWritingContracts(TableSnapshotStore inner) : ISnapshotStore
    {
        public async Task WriteContractsAsync(Period period, int version, IReadOnlyList<ContractSnapshot> contracts, CancellationToken cancellationToken)
        {
            await inner.WriteContractsAsync(period, version, contracts.Take(contracts.Count / 2).ToList(), cancellationToken);
            throw new IOException("the instance stopped here");
        }

        public Task<IReadOnlyList<ClosedPeriod>> ListClosedAsync(CancellationToken cancellationToken) => inner.ListClosedAsync(cancellationToken);

        public Task<ClosedPeriod?> FindClosedAsync(Period period, CancellationToken cancellationToken) => inner.FindClosedAsync(period, cancellationToken);

        public Task WriteAsync(Snapshot snapshot, int version, CancellationToken cancellationToken) => inner.WriteAsync(snapshot, version, cancellationToken);

        public Task WriteDocumentAsync(Snapshot snapshot, int version, CancellationToken cancellationToken) => inner.WriteDocumentAsync(snapshot, version, cancellationToken);

        public Task<IReadOnlyList<ContractSnapshot>> ReadContractSnapshotsAsync(Period period, int version, CancellationToken cancellationToken) => inner.ReadContractSnapshotsAsync(period, version, cancellationToken);

        public Task MarkClosedAsync(ClosedPeriod closed, CancellationToken cancellationToken) => inner.MarkClosedAsync(closed, cancellationToken);

        public Task<IReadOnlyDictionary<string, LockedClosing>> ReadLockedClosingsAsync(Period period, int version, CancellationToken cancellationToken) => inner.ReadLockedClosingsAsync(period, version, cancellationToken);

        public Task<StoredSnapshot?> ReadSnapshotDocumentAsync(Period period, int version, CancellationToken cancellationToken) => inner.ReadSnapshotDocumentAsync(period, version, cancellationToken);

        public Task<ContractRow?> ReadContractAsync(Period period, int version, string contractId, CancellationToken cancellationToken) => inner.ReadContractAsync(period, version, contractId, cancellationToken);

        public Task<IReadOnlyDictionary<string, ContractFigures>> ReadContractFiguresAsync(Period period, int version, CancellationToken cancellationToken) => inner.ReadContractFiguresAsync(period, version, cancellationToken);

        public Task WriteDifferencesAsync(Period period, int version, IReadOnlyList<FigureDifference> differences, CancellationToken cancellationToken) => inner.WriteDifferencesAsync(period, version, differences, cancellationToken);

        public Task<IReadOnlyList<FigureDifference>?> ReadDifferencesAsync(Period period, int version, CancellationToken cancellationToken) => inner.ReadDifferencesAsync(period, version, cancellationToken);

        public Task<IReadOnlyList<ClosedPeriod>> ListVersionsAsync(Period period, CancellationToken cancellationToken) => inner.ListVersionsAsync(period, cancellationToken);
    }
}
