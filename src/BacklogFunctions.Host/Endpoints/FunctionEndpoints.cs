using BacklogFunctions.Application.Messages;
using System.Net;
using System.Text.Json;
using BacklogFunctions.Application.Close;
using BacklogFunctions.Application.Ingest;
using BacklogFunctions.Host.Http;
using BacklogFunctions.Host.Queues;
using BacklogFunctions.Storage;
using Microsoft.Extensions.Options;

namespace BacklogFunctions.Host.Endpoints;

/// <summary>
/// Non-HTTP functions as the Azure Functions host invokes a custom handler: <c>POST /{FunctionName}</c> with
/// <c>{"Data":{…},"Metadata":{…}}</c>, answered with <c>{"Outputs":{},"Logs":[…],"ReturnValue":null}</c>.
/// A non-2xx answer fails the invocation, so the host retries and finally dead-letters the message.
/// </summary>
/// <remarks>
/// These routes carry no signature or key: the Functions host has already taken the message from a trigger the
/// deployment owns. They are therefore mapped only when the program runs as the host's custom handler (listening
/// on loopback at <c>FUNCTIONS_CUSTOMHANDLER_PORT</c>), answer only loopback callers, and are absent (404) in
/// standalone mode, where nobody but the program's own listeners may feed the queues.
/// </remarks>
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

    /// <summary>Queue trigger on <c>alert-deliveries</c>: delivers one fired alert to one receiver; binding name <c>item</c>.</summary>
    public const string DeliverAlert = "DeliverAlert";

    public static void MapFunctionEndpoints(this IEndpointRouteBuilder app)
    {
        var invocations = app.MapGroup(string.Empty).AddEndpointFilter(OnlyFromLoopback);
        invocations.MapPost("/" + IngestBillingEvent, IngestAsync);
        invocations.MapPost("/" + MonthEndClose, CloseAsync);
        invocations.MapPost("/" + CloseShard, CloseShardAsync);
        invocations.MapPost("/" + RenderReport, RenderReportAsync);
        invocations.MapPost("/" + DeliverAlert, Alerts.DeliverAlertFunction.InvokeAsync);
    }

    /// <summary>The host runs on the same machine and calls over loopback; anyone else finds nothing here.</summary>
    private static async ValueTask<object?> OnlyFromLoopback(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        context.HttpContext.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote)
            ? await next(context).ConfigureAwait(false)
            : Results.NotFound();

    /// <summary>The timer fires (on time or past due): close every month that has ended and is not closed.</summary>
    private static async Task<IResult> CloseAsync(HttpContext context, Close.CloseRunner runner, IOptions<WebhookOptions> limits)
    {
        var (invocation, refusal) = await FunctionInvocation.ReadAsync(context, "timer", limits.Value.MaxEventBytes).ConfigureAwait(false);
        if (invocation is null)
        {
            return refusal!;
        }

        var pastDue = invocation.Binding.ValueKind == JsonValueKind.Object && invocation.Binding.TryGetProperty("IsPastDue", out var due) && due.ValueKind == JsonValueKind.True;
        var result = await runner.RunAsync(pastDue ? "timer, past due" : "timer", context.RequestAborted).ConfigureAwait(false);
        return FunctionInvocation.Answer(result is null ? "another instance is closing" : result.Describe());
    }

    private static async Task<IResult> IngestAsync(HttpContext context, QueueMessageIngest ingest, IOptions<WebhookOptions> limits)
    {
        // A message holds one event; its envelope (metadata, a twice-encoded body) may take up to a batch's size.
        var (invocation, refusal) = await FunctionInvocation.ReadAsync(context, "message", limits.Value.MaxBatchBytes).ConfigureAwait(false);
        if (invocation is null)
        {
            return refusal!;
        }

        if (invocation.BindingText is not { } body)
        {
            return FunctionInvocation.Refuse($"Data.message {Domain.Events.JsonText.LoneSurrogate}");
        }

        var result = await ingest.HandleAsync(body, Channels.ServiceBus, context.RequestAborted).ConfigureAwait(false);
        return FunctionInvocation.Answer(result.Log);
    }

    /// <summary>
    /// Queue trigger on <c>close-shards</c>; binding name <c>item</c>. A message that is not a shard of a started
    /// close fails the invocation (400), so after the host's retries it lands in <c>close-shards-poison</c>.
    /// </summary>
    private static async Task<IResult> CloseShardAsync(HttpContext context, Telemetry.TracedWork work, IOptions<WebhookOptions> limits)
    {
        var (invocation, refusal) = await FunctionInvocation.ReadAsync(context, "item", limits.Value.MaxEventBytes).ConfigureAwait(false);
        if (invocation is null)
        {
            return refusal!;
        }

        if (!QueueMessages.TryRead(invocation.BindingText ?? string.Empty, out CloseShardMessage? message, out var traceParent, out var error))
        {
            return Results.Problem(title: "Not a close shard", detail: error, statusCode: StatusCodes.Status400BadRequest);
        }

        try
        {
            var outcome = await work.RunShardAsync(message!, traceParent, context.RequestAborted).ConfigureAwait(false);
            return outcome.Refusal is { } reason
                ? Results.Problem(title: "Close shard cannot run", detail: reason, statusCode: StatusCodes.Status400BadRequest)
                : FunctionInvocation.Answer(invocation.DequeueCount > 1 ? $"{outcome.Log} (delivery {invocation.DequeueCount})" : outcome.Log);
        }
        catch (InvalidDataException ex)
        {
            return Results.Problem(title: "Close shard cannot run", detail: ex.Message, statusCode: StatusCodes.Status400BadRequest);
        }
    }

    /// <summary>A request that names no closed version fails the invocation (400): after the host's retries it is in <c>report-requests-poison</c>.</summary>
    private static async Task<IResult> RenderReportAsync(HttpContext context, Telemetry.TracedWork work, IOptions<WebhookOptions> limits)
    {
        var (invocation, refusal) = await FunctionInvocation.ReadAsync(context, "item", limits.Value.MaxEventBytes).ConfigureAwait(false);
        if (invocation is null)
        {
            return refusal!;
        }

        var result = await work.RenderAsync(invocation.BindingText ?? string.Empty, context.RequestAborted).ConfigureAwait(false);
        return result.Rendered ? FunctionInvocation.Answer(result.Log) : Results.Problem(title: "Report request cannot be rendered", detail: result.Log, statusCode: StatusCodes.Status400BadRequest);
    }
}
