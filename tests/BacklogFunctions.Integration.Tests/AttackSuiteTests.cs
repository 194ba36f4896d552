using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using BacklogFunctions.Application.Webhooks;
using BacklogFunctions.Host;
using BacklogFunctions.Storage;
using BacklogFunctions.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BacklogFunctions.Integration.Tests;

/// <summary>
/// The standalone program (no Functions host) on a real Azurite, with every log line kept at Trace level: the
/// target of the attack suite.
/// </summary>
public sealed class StandaloneFixture : ProgramFixture
{
    public const string Secret = "whsec_attack_0123456789abcdef";
    public const string ReadKey = "read-key-attack-0123456789abcdef";
    public const int MaxEventBytes = 32768;

    public LogCapture Logs { get; } = new();

    public Uri BaseAddress => Client.BaseAddress!;

    public string AccountKey => Azurite.ConnectionString.Split(';').Single(p => p.StartsWith("AccountKey=", StringComparison.Ordinal))["AccountKey=".Length..];

    protected override WebApplication Build(string connectionString) => BacklogApp.Build(
        [
            "--urls", "http://127.0.0.1:0",
            "--Storage:ConnectionString", connectionString,
            "--Storage:ListenToQueue", "true",
            "--Storage:MaxDequeueCount", "2",
            "--Webhook:Secrets:0", Secret,
            "--Webhook:MaxEventBytes", MaxEventBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--Webhook:MaxBatchBytes", "1048576",
            "--ReadApi:Keys:0", ReadKey,
            "--Logging:LogLevel:Default", "Trace",
            "--Logging:LogLevel:Microsoft.AspNetCore", "Trace",
            "--Logging:LogLevel:Azure.Core", "Trace",
        ],
        builder =>
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(Logs);
        });

    public async Task<HttpResponseMessage> PostSignedAsync(string path, byte[] body, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TryAddWithoutValidation(WebhookSignature.Header, WebhookSignature.Sign(Secret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body));
        return await Client.SendAsync(request);
    }

    public Task<HttpResponseMessage> PostSignedAsync(string path, string body, string contentType = "application/json") =>
        PostSignedAsync(path, Encoding.UTF8.GetBytes(body), contentType);

    public Task<HttpResponseMessage> GetWithKeyAsync(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("x-functions-key", ReadKey);
        return Client.SendAsync(request);
    }

    public QueueClient Queue(string name) => new QueueServiceClient(Azurite.ConnectionString).GetQueueClient(name);

    /// <summary>The standalone program is alive and stores: a fresh signed event is accepted and readable.</summary>
    public async Task AssertAliveAsync()
    {
        var contract = Json.NewContractId();
        var response = await PostSignedAsync("/api/events", Json.Signed(contract));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetWithKeyAsync($"/api/contracts/{contract}/history")).StatusCode);
        foreach (var service in Services.GetServices<IHostedService>().OfType<BackgroundService>())
        {
            Assert.False(service.ExecuteTask?.IsCompleted ?? false, $"{service.GetType().Name} has stopped");
        }
    }

    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, int seconds = 30)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < until)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return await condition();
    }
}

[CollectionDefinition(Name)]
public sealed class StandaloneCollection : ICollectionFixture<StandaloneFixture>
{
    public const string Name = "standalone program under attack";
}

/// <summary>
/// The attacks of the hardening review, each over real HTTP (or the real queue) against the standalone program:
/// unsigned writes, invalid text, poison messages, cross-contract key reuse, secrets in logs, slow and aborted
/// bodies, bidirectional controls, loose numbers.
/// </summary>
[Collection(StandaloneCollection.Name)]
public sealed class AttackSuiteTests(StandaloneFixture app)
{
    private static readonly string Fixtures = Path.Combine(Repository.Root, "..", "shared", "fixtures", "functions-host");

    [Theory]
    [InlineData("IngestBillingEvent", "servicebus-single-encoded.json")]
    [InlineData("IngestBillingEvent", "servicebus-double-encoded.json")]
    [InlineData("MonthEndClose", "timer.json")]
    [InlineData("CloseShard", "queue.json")]
    [InlineData("RenderReport", "queue.json")]
    public async Task Function_invocation_routes_do_not_exist_in_standalone_mode(string function, string fixture)
    {
        var before = await app.StoreContentsAsync();
        var envelope = await File.ReadAllTextAsync(Path.Combine(Fixtures, fixture));

        using var content = new StringContent(envelope, Encoding.UTF8, "application/json");
        var response = await app.Client.PostAsync("/" + function, content);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(before, await app.StoreContentsAsync());
    }

    [Fact]
    public async Task A_lone_surrogate_gets_a_400_naming_the_field_and_stores_nothing()
    {
        var before = await app.StoreContentsAsync();
        var contract = Json.NewContractId();

        var response = await app.PostSignedAsync("/api/events", Json.Signed(contract).Replace("Contoso", "Contoso\\ud800", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Json.ReadAsync(response);
        Assert.Equal("data.customer.name", problem.GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Contains("surrogate", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await app.StoreContentsAsync());
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/x-ndjson")]
    public async Task A_batch_with_a_lone_surrogate_stores_its_valid_events(string contentType)
    {
        var good = Json.NewContractId();
        var bad = Json.NewContractId();
        var events = new[]
        {
            Json.Compact(Json.Signed(good)),
            Json.Compact(Json.Signed(bad)).Replace("\"L1\"", "\"L1\\udc00\"", StringComparison.Ordinal),
            Json.Compact(Json.Invoice(good, "inv-1")),
        };
        var body = contentType == "application/json" ? "[" + string.Join(',', events) + "]" : string.Join('\n', events);

        var response = await app.PostSignedAsync("/api/events:batch", body, contentType);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await Json.ReadAsync(response);
        Assert.Equal(2, answer.GetProperty("accepted").GetInt32());
        Assert.Equal(1, answer.GetProperty("invalid").GetInt32());
        Assert.Equal("data.lines[0].lineId", answer.GetProperty("results")[1].GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Equal(2, (await Json.ReadAsync(await app.GetWithKeyAsync($"/api/contracts/{good}/history"))).GetProperty("events").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await app.GetWithKeyAsync($"/api/contracts/{bad}/history")).StatusCode);
    }

    public static TheoryData<string> PoisonMessages => new()
    {
        { "not json at all" },
        { "{\"id\":" },
        { "\"{\\\"id\\\":\\\"x\\ud800\\\"}\"" },
        { JsonSerializer.Serialize(Json.Compact(Json.Signed("C-POISON-1")).Replace("Contoso", "Contoso\\ud800", StringComparison.Ordinal)) },
        { Json.Compact(Json.Signed("C-POISON-2")).Replace("Contoso", "Contoso\\ud800", StringComparison.Ordinal) },
        { Json.Compact(Json.Signed("C-POISON-3")).Replace("Contoso", "Contoso\\u202Eevil", StringComparison.Ordinal) },
        { Json.Compact(Json.Signed("C-POISON-4")).Replace("\"1200.00\"", "1200", StringComparison.Ordinal) },
        { "[1,2,3]" },
        { new string('[', 5000) },
        { "{\"Data\":{\"message\":\"\\ud800\"}}" },
        { JsonSerializer.Serialize(JsonSerializer.Serialize(JsonSerializer.Serialize("{}"))) },
        { "{" + new string(' ', StandaloneFixture.MaxEventBytes + 1000) + "}" },
    };

    [Theory]
    [MemberData(nameof(PoisonMessages))]
    public async Task The_queue_listener_survives_a_poison_message_of_every_kind(string body)
    {
        var queue = app.Queue("billing-events");
        await queue.CreateIfNotExistsAsync();
        var before = await app.StoreContentsAsync();

        await queue.SendMessageAsync(body);
        Assert.True(await StandaloneFixture.EventuallyAsync(async () => (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0), "the message was not taken off the queue");

        // Nothing was stored, and the same listener still stores the next message.
        Assert.Equal(before, await app.StoreContentsAsync());
        var contract = Json.NewContractId();
        await queue.SendMessageAsync(Json.Compact(Json.Signed(contract)));
        Assert.True(await StandaloneFixture.EventuallyAsync(async () => (await app.GetWithKeyAsync($"/api/contracts/{contract}/history")).StatusCode == HttpStatusCode.OK));
        await app.AssertAliveAsync();
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("\"\\ud800\"")]
    [InlineData("{\"period\":\"2026-1\\ud800\",\"version\":1}")]
    [InlineData("{\"period\":\"2026-10\",\"version\":1e400}")]
    [InlineData("{\"period\":\"2026-10\",\"version\":1}")]
    public async Task The_report_listener_poisons_a_request_it_cannot_render_and_goes_on(string body)
    {
        var queue = app.Queue("report-requests");
        var poison = app.Queue("report-requests-poison");
        await queue.CreateIfNotExistsAsync();
        await poison.CreateIfNotExistsAsync();
        var poisoned = (await poison.GetPropertiesAsync()).Value.ApproximateMessagesCount;

        await queue.SendMessageAsync(body);

        // Nothing is closed in this store, so no request can be rendered: each one is poisoned at once.
        Assert.True(await StandaloneFixture.EventuallyAsync(async () => (await poison.GetPropertiesAsync()).Value.ApproximateMessagesCount == poisoned + 1), "the request was not poisoned");
        await app.AssertAliveAsync();
    }

    [Fact]
    public async Task One_source_and_id_belongs_to_one_contract_across_the_webhook_the_batch_and_the_queue()
    {
        var first = Json.NewContractId();
        var second = Json.NewContractId();
        var third = Json.NewContractId();
        var shared = $"evt-shared-{Guid.NewGuid():N}";
        string Event(string contract) => Json.Compact(Json.Signed(contract, id: shared)).Replace(Json.SourceOf(contract), "billing-shared", StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Accepted, (await app.PostSignedAsync("/api/events", Event(first))).StatusCode);
        var before = await app.StoreContentsAsync();

        var again = await app.PostSignedAsync("/api/events", Event(second));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains(first, (await Json.ReadAsync(again)).GetProperty("detail").GetString(), StringComparison.Ordinal);

        var batch = await Json.ReadAsync(await app.PostSignedAsync("/api/events:batch", "[" + Event(second) + "," + Event(third) + "]"));
        Assert.Equal(2, batch.GetProperty("conflicts").GetInt32());

        await app.Queue("billing-events").SendMessageAsync(Event(third));
        Assert.True(await StandaloneFixture.EventuallyAsync(async () => (await app.Queue("billing-events").GetPropertiesAsync()).Value.ApproximateMessagesCount == 0));

        Assert.Equal(before, await app.StoreContentsAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await app.GetWithKeyAsync($"/api/contracts/{second}/history")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.PostSignedAsync("/api/events", Event(first))).StatusCode);
    }

    [Fact]
    public async Task Within_one_batch_the_first_contract_keeps_a_shared_key()
    {
        var first = Json.NewContractId();
        var second = Json.NewContractId();
        var id = $"evt-batch-{Guid.NewGuid():N}";
        string Event(string contract) => Json.Compact(Json.Signed(contract, id: id)).Replace(Json.SourceOf(contract), "billing-shared", StringComparison.Ordinal);

        var batch = await Json.ReadAsync(await app.PostSignedAsync("/api/events:batch", "[" + Event(first) + "," + Event(second) + "]"));

        Assert.Equal("accepted", batch.GetProperty("results")[0].GetProperty("status").GetString());
        Assert.Equal("conflict", batch.GetProperty("results")[1].GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await app.GetWithKeyAsync($"/api/contracts/{second}/history")).StatusCode);
    }

    [Theory]
    [InlineData("/api/reports/2026-10?version=1%00", "version")]
    [InlineData("/api/reports/2026-10?version=+1", "version")]
    [InlineData("/api/reports/2026-10?version=01", "version")]
    [InlineData("/api/reports/2026-10?version=1.0", "version")]
    [InlineData("/api/reports/2026-10?version=%201", "version")]
    [InlineData("/api/reports/2026-10?version=99999999999", "version")]
    [InlineData("/api/reports/2026-1%20", "period")]
    [InlineData("/api/periods/2026-10/snapshot?version=1%00", "version")]
    [InlineData("/api/periods/2026-10/snapshot?version=0", "version")]
    [InlineData("/api/periods/2026-10/snapshot?contract=a%2Fb", "contract")]
    [InlineData("/api/periods/%2B026-10/snapshot", "period")]
    [InlineData("/api/snapshot?asOf=2026-10-15%00", "asOf")]
    [InlineData("/api/snapshot?asOf=%202026-10-15", "asOf")]
    [InlineData("/api/contracts/a%23b/history", "contractId")]
    public async Task Every_route_and_query_value_is_read_strictly(string path, string parameter)
    {
        var response = await app.GetWithKeyAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(parameter, (await Json.ReadAsync(response)).GetProperty("parameter").GetString());
    }

    [Fact]
    public async Task Bidirectional_controls_are_refused_at_ingest()
    {
        var before = await app.StoreContentsAsync();

        var response = await app.PostSignedAsync("/api/events", Json.Signed(Json.NewContractId()).Replace("Contoso", "Contoso\\u202Egnp.exe", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("U+202E", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await app.StoreContentsAsync());
    }

    [Fact]
    public async Task A_body_sent_too_slowly_gets_408_and_one_line_of_log()
    {
        var errorsBefore = app.Logs.Entries.Count(e => e.Level >= LogLevel.Error);
        using var socket = new TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, app.BaseAddress.Port);
        var stream = socket.GetStream();
        var headers = $"POST /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n{WebhookSignature.Header}: t=1,v1=00\r\n\r\n{{";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(headers));

        // One byte a second, far below Kestrel's minimum body rate: after its grace period the request is timed out.
        var answer = new StringBuilder();
        var buffer = new byte[4096];
        var until = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < until && !answer.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            try
            {
                await stream.WriteAsync("x"u8.ToArray());
            }
            catch (IOException)
            {
                // The server closed the connection after answering; read what it said.
            }

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            try
            {
                var read = await stream.ReadAsync(buffer, wait.Token);
                if (read == 0)
                {
                    break;
                }

                answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
            catch (OperationCanceledException)
            {
            }
        }

        Assert.StartsWith("HTTP/1.1 408", answer.ToString(), StringComparison.Ordinal);
        Assert.True(await StandaloneFixture.EventuallyAsync(() => Task.FromResult(app.Logs.Entries.Any(e => e.Message.Contains("refused with 408", StringComparison.Ordinal)))));
        Assert.Equal(errorsBefore, app.Logs.Entries.Count(e => e.Level >= LogLevel.Error));
        await app.AssertAliveAsync();
    }

    [Fact]
    public async Task An_aborted_body_is_no_error_and_leaves_the_program_serving()
    {
        var errorsBefore = app.Logs.Entries.Count(e => e.Level >= LogLevel.Error);
        for (var i = 0; i < 10; i++)
        {
            using var socket = new TcpClient();
            await socket.ConnectAsync(IPAddress.Loopback, app.BaseAddress.Port);
            var stream = socket.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"POST /api/events:batch HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n[{{\"id\":\"x\""));
            await Task.Delay(50);
            socket.Client.Close(0);
        }

        await Task.Delay(500);
        Assert.Equal(errorsBefore, app.Logs.Entries.Count(e => e.Level >= LogLevel.Error));
        await app.AssertAliveAsync();
    }

    [Fact]
    public async Task No_secret_reaches_the_log_at_trace_level()
    {
        // The read key in the query and in the header, the webhook signature, a wrong key, a SAS-like query.
        await app.Client.GetAsync($"/api/periods?code={StandaloneFixture.ReadKey}");
        await app.Client.GetAsync($"/api/contracts/C-1/history?code={StandaloneFixture.ReadKey}&x=1");
        await app.Client.GetAsync($"/api/reports?sig=c2lnbmF0dXJlLXZhbHVl&code=wrong-key-but-still-secret-looking");
        await app.GetWithKeyAsync("/api/periods");
        await app.PostSignedAsync("/api/events", Json.Signed(Json.NewContractId()));
        using (var unsigned = new StringContent("{}", Encoding.UTF8, "application/json"))
        {
            await app.Client.PostAsync($"/api/events?code={StandaloneFixture.ReadKey}", unsigned);
        }

        await Task.Delay(200);
        var text = app.Logs.AllText();

        // The test sees what it must: the request lines were logged (with the query redacted).
        Assert.Contains("code=[redacted]", text, StringComparison.Ordinal);
        Assert.DoesNotContain(StandaloneFixture.ReadKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(StandaloneFixture.Secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(app.AccountKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain("c2lnbmF0dXJlLXZhbHVl", text, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-key-but-still-secret-looking", text, StringComparison.Ordinal);
    }
}
