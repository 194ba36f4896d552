using System.Collections.Concurrent;
using BacklogFunctions.Host.Alerts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace BacklogFunctions.Integration.Tests;

/// <summary>
/// Receivers of fired alerts on one Kestrel server bound to 127.0.0.1 (a free port): <c>/ok/{name}</c> answers 200,
/// <c>/flaky</c> answers 500 to the first two attempts of each alert and 200 after, <c>/hang</c> never answers.
/// Every request is recorded with its headers, its body's bytes and the status it got (none for <c>/hang</c>).
/// </summary>
public sealed class AlertReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Request> _requests = new();
    private readonly ConcurrentDictionary<string, int> _flaky = new(StringComparer.Ordinal);

    public sealed record Request(string Path, string? Signature, string? AlertId, string? IdempotencyKey, string? Attempt, string? ContentType, string? Query, byte[] Body, int? Status)
    {
        public string BodyText => System.Text.Encoding.UTF8.GetString(Body);
    }

    private AlertReceiver()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/ok/{name}", async context => await AnswerAsync(context, 200));
        _app.MapPost("/flaky", async context =>
        {
            var id = context.Request.Headers[AlertDelivery.AlertIdHeader].ToString();
            await AnswerAsync(context, _flaky.AddOrUpdate(id, 1, (_, n) => n + 1) <= 2 ? 500 : 200);
        });
        _app.MapPost("/hang", async context =>
        {
            await RecordAsync(context, null);
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The sender gave up waiting: that is the point.
            }
        });
    }

    public string BaseUrl => _app.Urls.Single();

    public IReadOnlyList<Request> Requests => [.. _requests];

    /// <summary>The requests that carried this alert (by the body's id, which every attempt repeats).</summary>
    public IReadOnlyList<Request> Of(string path, string alertId) =>
        [.. _requests.Where(r => r.Path == path && Json.Parse(r.BodyText).GetProperty("id").GetString() == alertId)];

    public static async Task<AlertReceiver> StartAsync()
    {
        var receiver = new AlertReceiver();
        await receiver._app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task AnswerAsync(HttpContext context, int status)
    {
        await RecordAsync(context, status);
        context.Response.StatusCode = status;
    }

    private async Task RecordAsync(HttpContext context, int? status)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var headers = context.Request.Headers;
        _requests.Enqueue(new Request(
            context.Request.Path.Value!,
            headers["Backlog-Signature"].SingleOrDefault(),
            headers[AlertDelivery.AlertIdHeader].SingleOrDefault(),
            headers[AlertDelivery.IdempotencyKeyHeader].SingleOrDefault(),
            headers[AlertDelivery.AttemptHeader].SingleOrDefault(),
            context.Request.ContentType,
            context.Request.QueryString.Value,
            body.ToArray(),
            status));
    }
}
