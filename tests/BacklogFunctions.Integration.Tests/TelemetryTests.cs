using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using BacklogFunctions.Application.Telemetry;
using BacklogFunctions.Application.Webhooks;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Host;
using BacklogFunctions.Sample;
using BacklogFunctions.Storage;
using BacklogFunctions.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace BacklogFunctions.Integration.Tests;

/// <summary>Meters are process-wide by name: these tests run alone, so the counters they read are their own.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "telemetry, alone";
}

/// <summary>The program's spans and metrics, through an in-memory OpenTelemetry exporter on the real program and Azurite.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class TelemetryTests : IAsyncLifetime
{
    private const string Secret = "whsec_telemetry_0123456789abcdef";
    private const string Key = "read-key-0123456789abcdef";

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 1, 2, 3, 0, 0, TimeSpan.Zero));
    private readonly List<Activity> _spans = [];
    private readonly List<MetricSnapshot> _metrics = [];
    private AzuriteServer _azurite = null!;

    public async Task InitializeAsync() => _azurite = await AzuriteServer.StartAsync();

    public async Task DisposeAsync() => await _azurite.DisposeAsync();

    [Fact]
    public async Task One_webhook_request_is_a_server_span_with_an_ingest_span_and_counts_its_outcome_by_channel()
    {
        await using var app = await StartAsync(shards: 0);
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
        var signing = SampleGenerator.ToNdjson(SampleGenerator.Generate(new SampleSpec(1, 1, 3, new Period(2024, 12)))).First();

        var trace = ActivityTraceId.CreateRandom();
        Assert.Equal(HttpStatusCode.Accepted, (await PostEventAsync(client, signing, trace)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostEventAsync(client, signing, ActivityTraceId.CreateRandom())).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostEventAsync(client, "{\"id\":\"evt_x\"}", ActivityTraceId.CreateRandom())).StatusCode);

        var spans = await SpansOfAsync(trace, 2);
        var server = Assert.Single(spans, s => s.Kind == ActivityKind.Server);
        Assert.Equal("POST /api/events", server.DisplayName);
        Assert.Equal(202, server.GetTagItem("http.response.status_code"));
        var ingest = Assert.Single(spans, s => s.OperationName == "ingest");
        Assert.Equal(BacklogTelemetry.Name, ingest.Source.Name);
        Assert.Equal(server.SpanId, ingest.ParentSpanId);
        Assert.Equal("webhook", ingest.GetTagItem("backlog.channel"));
        Assert.Equal("accepted", ingest.GetTagItem("backlog.outcome"));

        Flush(app);
        var events = Points("backlog.events").ToDictionary(p => $"{Tag(p, "channel")}/{Tag(p, "outcome")}", p => p.GetSumLong());
        Assert.Equal(new Dictionary<string, long> { ["webhook/accepted"] = 1, ["webhook/duplicate"] = 1, ["webhook/invalid"] = 1 }, events);
    }

    [Fact]
    public async Task One_fanned_out_close_is_one_trace_across_the_shard_and_report_queues_and_times_each_shard()
    {
        await using var app = await StartAsync(shards: 2);
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
        await SendBatchAsync(client, SampleGenerator.ToNdjson(SampleGenerator.Generate(new SampleSpec(20, 1, 11, new Period(2024, 12)))));

        var trace = ActivityTraceId.CreateRandom();
        using var close = new HttpRequestMessage(HttpMethod.Post, "/api/close");
        close.Headers.Add("traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom()}-01");
        close.Headers.Add("x-functions-key", Key);
        Assert.Equal(HttpStatusCode.Accepted, (await client.SendAsync(close)).StatusCode);
        var store = app.Services.GetRequiredService<TableSnapshotStore>();
        Assert.True(await StandaloneFixture.EventuallyAsync(async () => (await store.ListClosedAsync(CancellationToken.None)).Count == 1, 60), "2024-12 closed by its shards");

        var spans = await SpansOfAsync(trace, 4);
        var run = Assert.Single(spans, s => s.OperationName == "close run");
        var shards = spans.Where(s => s.OperationName == "close shard").OrderBy(s => s.GetTagItem("backlog.shard")).ToList();
        Assert.Equal(2, shards.Count);
        Assert.All(shards, s =>
        {
            // The message carried the run's context: each shard, run by the listener, is a child of the run.
            Assert.Equal(ActivityKind.Consumer, s.Kind);
            Assert.Equal(run.SpanId, s.ParentSpanId);
            Assert.Equal("2024-12", s.GetTagItem("backlog.period"));
        });
        Assert.Equal([0, 1], shards.Select(s => (int)s.GetTagItem("backlog.shard")!));
        // The shard that found both done closed the month (two that finish at once may both combine the same rows).
        Assert.Contains(shards, s => (string?)s.GetTagItem("backlog.closed") == "2024-12 v1");

        // The shard that closed the month asked for its report inside its span: the render continues the trace
        // across the report-requests queue.
        Assert.True(await StandaloneFixture.EventuallyAsync(async () => (await SpansOfAsync(trace, 1)).Any(s => s.OperationName == "render report"), 60), "the report of 2024-12 rendered in the close's trace");
        // (Two shards that finish at once both close the month and both ask for its report.)
        Assert.All((await SpansOfAsync(trace, 1)).Where(s => s.OperationName == "render report"), render =>
        {
            Assert.Equal(ActivityKind.Consumer, render.Kind);
            Assert.Equal("2024-12", render.GetTagItem("backlog.period"));
            Assert.Contains(shards, s => s.SpanId == render.ParentSpanId && s.GetTagItem("backlog.closed") is not null);
        });

        Flush(app);
        var timed = Points("backlog.close.shard.duration").Select(p => $"{Tag(p, "period")}#{Tag(p, "shard")}:{p.GetHistogramCount()}").Order(StringComparer.Ordinal);
        Assert.Equal(["2024-12#0:1", "2024-12#1:1"], timed);
    }

    private async Task<WebApplication> StartAsync(int shards)
    {
        var app = BacklogApp.Build(
            [
                "--urls", "http://127.0.0.1:0",
                "--Storage:ConnectionString", _azurite.ConnectionString,
                "--Storage:ListenToQueue", shards > 0 ? "true" : "false",
                "--Close:Shards", shards.ToString(CultureInfo.InvariantCulture),
                "--Webhook:Secrets:0", Secret,
                "--ReadApi:Keys:0", Key,
                "--Logging:LogLevel:Default", "Warning",
            ],
            builder =>
            {
                builder.Services.AddSingleton<TimeProvider>(_clock);
                builder.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(_spans));
                builder.Services.ConfigureOpenTelemetryMeterProvider(m => m.AddInMemoryExporter(_metrics));
            });
        await app.StartAsync();
        return app;
    }

    private Task<HttpResponseMessage> PostEventAsync(HttpClient client, string body, ActivityTraceId trace)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/events") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation(WebhookSignature.Header, WebhookSignature.Sign(Secret, _clock.GetUtcNow().ToUnixTimeSeconds(), bytes));
        request.Headers.Add("traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom()}-01");
        return client.SendAsync(request);
    }

    private async Task SendBatchAsync(HttpClient client, IEnumerable<string> lines)
    {
        var bytes = Encoding.UTF8.GetBytes(string.Join('\n', lines));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/events:batch") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        request.Headers.TryAddWithoutValidation(WebhookSignature.Header, WebhookSignature.Sign(Secret, _clock.GetUtcNow().ToUnixTimeSeconds(), bytes));
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);
    }

    /// <summary>The spans of one trace, once at least <paramref name="atLeast"/> have ended (a server span ends after its answer is sent).</summary>
    private async Task<List<Activity>> SpansOfAsync(ActivityTraceId trace, int atLeast)
    {
        List<Activity> Of()
        {
            lock (_spans)
            {
                return _spans.Where(s => s.TraceId == trace).ToList();
            }
        }

        Assert.True(await StandaloneFixture.EventuallyAsync(() => Task.FromResult(Of().Count >= atLeast), 60), $"{atLeast} spans of trace {trace}");
        return Of();
    }

    private void Flush(WebApplication app)
    {
        _metrics.Clear();
        Assert.True(app.Services.GetRequiredService<MeterProvider>().ForceFlush());
    }

    private IEnumerable<MetricPoint> Points(string name) => _metrics.Last(m => m.Name == name).MetricPoints;

    private static string? Tag(MetricPoint point, string key)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == key)
            {
                return Convert.ToString(tag.Value, CultureInfo.InvariantCulture);
            }
        }

        return null;
    }
}
