using System.Text;
using System.Text.Json;
using BacklogFunctions.Application.Ingest;
using BacklogFunctions.Domain.Events;
using Microsoft.Extensions.Options;

namespace BacklogFunctions.Host.Queues;

public enum QueueOutcome
{
    /// <summary>Stored or a duplicate: complete the message.</summary>
    Completed,

    /// <summary>Can never succeed: kept in the rejected-events store; complete the message.</summary>
    Rejected,
}

/// <summary>What became of one queued event, and the line to log; for a rejected one, <c>invalid</c> or <c>conflict</c>.</summary>
public sealed record QueueIngestResult(QueueOutcome Outcome, string Log, string? RejectedAs = null);

/// <summary>
/// One billing event from a queue message (Storage queue or Service Bus), through the same ingest code as the
/// webhook. A storage fault throws, so the message is retried and, after the configured count, poisoned.
/// </summary>
public sealed partial class QueueMessageIngest(EventIngestor ingestor, IRejectedEventStore rejected, IOptions<WebhookOptions> limits, TimeProvider clock, ILogger<QueueMessageIngest> logger)
{
    public async Task<QueueIngestResult> HandleAsync(string body, string channel, CancellationToken cancellationToken)
    {
        if (Decode(body) is not { } json)
        {
            return await RejectAsync(channel, "the message body is not a JSON event (nor a JSON string holding one)", body, cancellationToken).ConfigureAwait(false);
        }

        if (!JsonText.IsValidText(json))
        {
            return await RejectAsync(channel, $"the event {JsonText.LoneSurrogate}", body, cancellationToken).ConfigureAwait(false);
        }

        var bytes = Encoding.UTF8.GetBytes(json);
        if (bytes.Length > limits.Value.MaxEventBytes)
        {
            return await RejectAsync(channel, $"the event has {bytes.Length} bytes; at most {limits.Value.MaxEventBytes} are accepted", body, cancellationToken).ConfigureAwait(false);
        }

        var result = await ingestor.IngestAsync(bytes, channel, cancellationToken).ConfigureAwait(false);
        if (result.Status is IngestStatus.Accepted or IngestStatus.Duplicate)
        {
            return new QueueIngestResult(QueueOutcome.Completed, $"{(result.Status == IngestStatus.Accepted ? "stored" : "duplicate of")} event {result.EventId} for contract {result.ContractId}");
        }

        var why = string.Join("; ", result.Errors.Select(e => $"{e.Field}: {e.Reason}"));
        await rejected.RecordAsync(new RejectedEvent(channel, clock.GetUtcNow(), result.EventId, result.ContractId, $"{EventEndpointsStatus(result.Status)}: {why}", json), cancellationToken).ConfigureAwait(false);
        LogRejected(logger, result.EventId, why);
        return new QueueIngestResult(QueueOutcome.Rejected, $"rejected event {result.EventId}: {why}", EventEndpointsStatus(result.Status));
    }

    private async Task<QueueIngestResult> RejectAsync(string channel, string reason, string body, CancellationToken cancellationToken)
    {
        await rejected.RecordAsync(new RejectedEvent(channel, clock.GetUtcNow(), null, null, reason, body), cancellationToken).ConfigureAwait(false);
        LogRejected(logger, null, reason);
        return new QueueIngestResult(QueueOutcome.Rejected, reason, "invalid");
    }

    /// <summary>A JSON object, or a JSON string holding one, at most twice encoded (as the Functions host may send it).</summary>
    internal static string? Decode(string body)
    {
        var text = body;
        for (var depth = 0; depth < 3; depth++)
        {
            var trimmed = text.TrimStart();
            if (trimmed.StartsWith('{'))
            {
                return text;
            }

            if (!trimmed.StartsWith('"'))
            {
                return null;
            }

            try
            {
                text = JsonSerializer.Deserialize<string>(text) ?? string.Empty;
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException)
            {
                return null;
            }
        }

        return null;
    }

    private static string EventEndpointsStatus(IngestStatus status) => status == IngestStatus.Conflict ? "conflict" : "invalid";

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Rejected queued event {EventId}: {Reason}")]
    private static partial void LogRejected(ILogger logger, string? eventId, string reason);
}
