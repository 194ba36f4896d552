using System.Text.Json;
using BacklogFunctions.Application.Ingest;
using BacklogFunctions.Domain.Events;
using BacklogFunctions.Application.Webhooks;
using BacklogFunctions.Host.Http;
using Microsoft.Extensions.Options;

namespace BacklogFunctions.Host.Endpoints;

/// <summary>The signed webhook: <c>POST /api/events</c> and <c>POST /api/events:batch</c>.</summary>
internal static partial class EventEndpoints
{
    private static readonly string[] BatchContentTypes = ["application/json", "application/x-ndjson"];

    public static void MapEventEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/events", IngestOneAsync)
            .WithMetadata(new StorageUnavailableDetail("The event was not stored; send it again."));
        app.MapPost("/api/events:batch", IngestBatchAsync)
            .WithMetadata(new StorageUnavailableDetail("Some events of the batch may be stored; send the whole batch again (stored events answer as duplicates)."));
    }

    private static async Task<IResult> IngestOneAsync(HttpContext context, EventIngestor ingestor, IOptions<WebhookOptions> options, TimeProvider clock, ILogger<EventIngestor> logger)
    {
        var webhook = options.Value;
        var (body, refusal) = await ReadSignedBodyAsync(context, ["application/json"], webhook.MaxEventBytes, webhook, clock).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        var result = await ingestor.IngestAsync(body, Channels.Webhook, context.RequestAborted).ConfigureAwait(false);

        LogIngested(logger, result.EventId, result.ContractId, result.Status);
        return result.Status switch
        {
            IngestStatus.Accepted => Results.Json(Describe(result), statusCode: StatusCodes.Status202Accepted),
            IngestStatus.Duplicate => Results.Json(Describe(result), statusCode: StatusCodes.Status200OK),
            IngestStatus.Conflict => Problem(StatusCodes.Status409Conflict, "Conflicting duplicate", result),
            _ => Problem(StatusCodes.Status400BadRequest, "Invalid event", result),
        };
    }

    private static async Task<IResult> IngestBatchAsync(HttpContext context, EventIngestor ingestor, IOptions<WebhookOptions> options, TimeProvider clock, ILogger<EventIngestor> logger)
    {
        var webhook = options.Value;
        var (body, refusal) = await ReadSignedBodyAsync(context, BatchContentTypes, webhook.MaxBatchBytes, webhook, clock).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        var isNdjson = MediaType(context.Request.ContentType) == "application/x-ndjson";
        var (items, error) = isNdjson ? SplitNdjson(body) : SplitArray(body);
        if (error is not null)
        {
            return Results.Problem(title: "Invalid batch", detail: error, statusCode: StatusCodes.Status400BadRequest);
        }

        if (items.Count > webhook.MaxBatchEvents)
        {
            return Results.Problem(title: "Batch too large", detail: $"a batch holds at most {webhook.MaxBatchEvents} events, this one {items.Count}", statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        var results = await ingestor.IngestManyAsync(items, Channels.Webhook, context.RequestAborted).ConfigureAwait(false);

        var accepted = results.Count(r => r.Status == IngestStatus.Accepted);
        LogBatch(logger, results.Count, accepted);
        return Results.Json(new
        {
            accepted,
            duplicates = results.Count(r => r.Status == IngestStatus.Duplicate),
            invalid = results.Count(r => r.Status == IngestStatus.Invalid),
            conflicts = results.Count(r => r.Status == IngestStatus.Conflict),
            results = results.Select((r, i) => new
            {
                index = i,
                id = r.EventId,
                contractId = r.ContractId,
                status = StatusName(r.Status),
                payloadSha256 = r.PayloadHash,
                errors = r.Errors.Select(e => new { field = e.Field, reason = e.Reason }),
            }),
        });
    }

    /// <summary>Content type (415), size (413) and signature (401), in that order; then the raw body.</summary>
    private static async Task<(byte[] Body, IResult? Refusal)> ReadSignedBodyAsync(HttpContext context, string[] contentTypes, int maxBytes, WebhookOptions webhook, TimeProvider clock)
    {
        var request = context.Request;
        var mediaType = MediaType(request.ContentType);
        if (mediaType is null || !contentTypes.Contains(mediaType, StringComparer.Ordinal))
        {
            return ([], Results.Problem(title: "Unsupported content type", detail: $"send {string.Join(" or ", contentTypes)} (UTF-8)", statusCode: StatusCodes.Status415UnsupportedMediaType));
        }

        if (await RequestBody.ReadAsync(request, maxBytes, context.RequestAborted).ConfigureAwait(false) is not { } body)
        {
            return ([], RequestBody.TooLarge(maxBytes));
        }

        var problem = WebhookSignature.Verify(request.Headers[WebhookSignature.Header], body, webhook.Secrets, clock.GetUtcNow(), TimeSpan.FromSeconds(webhook.ToleranceSeconds));
        if (problem is not null)
        {
            return ([], Results.Problem(title: "Bad signature", detail: problem, statusCode: StatusCodes.Status401Unauthorized));
        }

        return (body, null);
    }

    /// <summary>The media type of a Content-Type in lower case, or null when it is missing, malformed or not UTF-8.</summary>
    internal static string? MediaType(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType) || !Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var parsed))
        {
            return null;
        }

        var charset = parsed.Charset.Value;
        if (charset is not null && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return parsed.MediaType.Value?.ToLowerInvariant();
    }

    private static (IReadOnlyList<ReadOnlyMemory<byte>> Items, string? Error) SplitArray(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = EventJson.MaxDepth + 1 });
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return ([], "a batch is a JSON array of events (or NDJSON with Content-Type application/x-ndjson)");
            }

            return (document.RootElement.EnumerateArray().Select(e => (ReadOnlyMemory<byte>)System.Text.Encoding.UTF8.GetBytes(e.GetRawText())).ToList(), null);
        }
        catch (JsonException ex)
        {
            return ([], $"malformed JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1})");
        }
    }

    private static (IReadOnlyList<ReadOnlyMemory<byte>> Items, string? Error) SplitNdjson(byte[] body)
    {
        var items = new List<ReadOnlyMemory<byte>>();
        var start = 0;
        for (var i = 0; i <= body.Length; i++)
        {
            if (i == body.Length || body[i] == (byte)'\n')
            {
                var line = body.AsMemory(start, i - start);
                if (!line.Span.Trim(" \t\r"u8).IsEmpty)
                {
                    items.Add(line);
                }

                start = i + 1;
            }
        }

        return (items, null);
    }

    private static object Describe(IngestResult result) => new
    {
        id = result.EventId,
        contractId = result.ContractId,
        status = StatusName(result.Status),
        payloadSha256 = result.PayloadHash,
    };

    private static IResult Problem(int status, string title, IngestResult result) => Results.Problem(
        title: title,
        detail: string.Join("; ", result.Errors.Select(e => $"{e.Field}: {e.Reason}")),
        statusCode: status,
        extensions: new Dictionary<string, object?>
        {
            ["eventId"] = result.EventId,
            ["errors"] = result.Errors.Select(e => new { field = e.Field, reason = e.Reason }).ToList(),
        });

    internal static string StatusName(IngestStatus status) => status switch
    {
        IngestStatus.Accepted => "accepted",
        IngestStatus.Duplicate => "duplicate",
        IngestStatus.Conflict => "conflict",
        _ => "invalid",
    };

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Event {EventId} of contract {ContractId}: {Status}")]
    private static partial void LogIngested(ILogger logger, string? eventId, string? contractId, IngestStatus status);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Batch of {Count} events, {Accepted} accepted")]
    private static partial void LogBatch(ILogger logger, int count, int accepted);

}
