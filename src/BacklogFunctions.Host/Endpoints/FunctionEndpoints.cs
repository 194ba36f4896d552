using System.Text.Json;
using BacklogFunctions.Application.Ingest;
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

    public static void MapFunctionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/" + IngestBillingEvent, IngestAsync);
        app.MapPost("/" + MonthEndClose, CloseAsync);
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
        var log = result is null
            ? "another instance is closing"
            : $"closed {result.Closed.Count} period(s){(result.Closed.Count > 0 ? ": " + string.Join(", ", result.Closed.Select(c => c.Period)) : string.Empty)}";
        return Results.Json(new Dictionary<string, object?> { ["Outputs"] = new Dictionary<string, object>(), ["Logs"] = new[] { log }, ["ReturnValue"] = null });
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
        return Results.Json(new Dictionary<string, object?> { ["Outputs"] = new Dictionary<string, object>(), ["Logs"] = new[] { log }, ["ReturnValue"] = null });
    }
}
