using System.Text.Json;
using BacklogFunctions.Application.Close;
using BacklogFunctions.Application.Ingest;
using BacklogFunctions.Storage;
using BacklogFunctions.Host.Queues;

namespace BacklogFunctions.Host.Endpoints;

/// <summary>
/// Non-HTTP functions as the Azure Functions host invokes a custom handler: <c>POST /{FunctionName}</c> with
/// <c>{"Data":{…},"Metadata":{…}}</c>, answered with <c>{"Outputs":{},"Logs":[…],"ReturnValue":null}</c>.
/// A non-2xx answer fails the invocation, so the host retries and finally dead-letters the message.
/// </summary>
internal static class FunctionEndpoints
{
    /// <summary>Service Bus trigger for billing events; binding name <c>message</c>.</summary>
    public const string IngestBillingEvent = "IngestBillingEvent";

    /// <summary>Timer trigger of the month-end close; binding name <c>timer</c>.</summary>
    public const string MonthEndClose = "MonthEndClose";

    /// <summary>Queue trigger on <c>close-shards</c>: one shard of a fanned-out close; binding name <c>item</c>.</summary>
    public const string CloseShard = "CloseShard";

    /// <summary>Queue trigger on <c>report-requests</c>: renders and publishes a closed version's report; binding name <c>item</c>.</summary>
    public const string RenderReport = "RenderReport";

    public static void MapFunctionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/" + IngestBillingEvent, IngestAsync);
        app.MapPost("/" + MonthEndClose, CloseAsync);
        app.MapPost("/" + CloseShard, CloseShardAsync);
        app.MapPost("/" + RenderReport, RenderReportAsync);
    }

    /// <summary>The timer fires (on time or past due): close every month that has ended and is not closed.</summary>
    private static async Task<IResult> CloseAsync(HttpContext context, Close.CloseRunner runner)
    {
        var pastDue = false;
        try
        {
            using var envelope = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
            pastDue = envelope.RootElement.TryGetProperty("Data", out var data) && data.TryGetProperty("timer", out var timer) &&
                      timer.TryGetProperty("IsPastDue", out var due) && due.ValueKind == JsonValueKind.True;
        }
        catch (JsonException)
        {
            return Results.Problem(title: "Not a function invocation", detail: "the envelope is not JSON", statusCode: StatusCodes.Status400BadRequest);
        }

        var result = await runner.RunAsync(pastDue ? "timer, past due" : "timer", context.RequestAborted).ConfigureAwait(false);
        return Answer(result is null ? "another instance is closing" : result.Describe());
    }

    private static async Task<IResult> IngestAsync(HttpContext context, QueueMessageIngest ingest)
    {
        JsonElement message;
        try
        {
            using var envelope = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
            if (!envelope.RootElement.TryGetProperty("Data", out var data) || !data.TryGetProperty("message", out var found))
            {
                return Results.Problem(title: "Not a function invocation", detail: "expected {\"Data\":{\"message\":…},\"Metadata\":{…}}", statusCode: StatusCodes.Status400BadRequest);
            }

            message = found.Clone();
        }
        catch (JsonException)
        {
            return Results.Problem(title: "Not a function invocation", detail: "the envelope is not JSON", statusCode: StatusCodes.Status400BadRequest);
        }

        var body = message.ValueKind == JsonValueKind.String ? message.GetString()! : message.GetRawText();
        var (_, log) = await ingest.HandleAsync(body, Channels.ServiceBus, context.RequestAborted).ConfigureAwait(false);
        return Answer(log);
    }

    /// <summary>
    /// Queue trigger on <c>close-shards</c>; binding name <c>item</c>. A message that is not a shard of a started
    /// close fails the invocation (400), so after the host's retries it lands in <c>close-shards-poison</c>.
    /// </summary>
    private static async Task<IResult> CloseShardAsync(HttpContext context, ShardedClose close)
    {
        string body;
        long dequeueCount = 1;
        try
        {
            using var envelope = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
            if (!envelope.RootElement.TryGetProperty("Data", out var data) || !data.TryGetProperty("item", out var item))
            {
                return Results.Problem(title: "Not a function invocation", detail: "expected {\"Data\":{\"item\":…},\"Metadata\":{…}}", statusCode: StatusCodes.Status400BadRequest);
            }

            body = item.ValueKind == JsonValueKind.String ? item.GetString()! : item.GetRawText();
            if (envelope.RootElement.TryGetProperty("Metadata", out var metadata) && metadata.TryGetProperty("DequeueCount", out var count))
            {
                _ = long.TryParse(count.ValueKind == JsonValueKind.String ? count.GetString() : count.GetRawText(), out dequeueCount);
            }
        }
        catch (JsonException)
        {
            return Results.Problem(title: "Not a function invocation", detail: "the envelope is not JSON", statusCode: StatusCodes.Status400BadRequest);
        }

        if (!CloseShardQueue.TryParse(body, out var message, out var error))
        {
            return Results.Problem(title: "Not a close shard", detail: error, statusCode: StatusCodes.Status400BadRequest);
        }

        try
        {
            var outcome = await close.RunShardAsync(message!, context.RequestAborted).ConfigureAwait(false);
            return Answer(dequeueCount > 1 ? $"{outcome.Log} (delivery {dequeueCount})" : outcome.Log);
        }
        catch (InvalidDataException ex)
        {
            return Results.Problem(title: "Close shard cannot run", detail: ex.Message, statusCode: StatusCodes.Status400BadRequest);
        }
    }

    /// <summary>A request that names no closed version fails the invocation (400): after the host's retries it is in <c>report-requests-poison</c>.</summary>
    private static async Task<IResult> RenderReportAsync(HttpContext context, Reports.ReportRequests requests)
    {
        string body;
        try
        {
            using var envelope = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
            if (!envelope.RootElement.TryGetProperty("Data", out var data) || !data.TryGetProperty("item", out var item))
            {
                return Results.Problem(title: "Not a function invocation", detail: "expected {\"Data\":{\"item\":…},\"Metadata\":{…}}", statusCode: StatusCodes.Status400BadRequest);
            }

            body = item.ValueKind == JsonValueKind.String ? item.GetString()! : item.GetRawText();
        }
        catch (JsonException)
        {
            return Results.Problem(title: "Not a function invocation", detail: "the envelope is not JSON", statusCode: StatusCodes.Status400BadRequest);
        }

        var (manifest, log) = await requests.HandleAsync(body, context.RequestAborted).ConfigureAwait(false);
        return manifest is null ? Results.Problem(title: "Report request cannot be rendered", detail: log, statusCode: StatusCodes.Status400BadRequest) : Answer(log);
    }

    private static IResult Answer(string log) =>
        Results.Json(new Dictionary<string, object?> { ["Outputs"] = new Dictionary<string, object>(), ["Logs"] = new[] { log }, ["ReturnValue"] = null });
}
