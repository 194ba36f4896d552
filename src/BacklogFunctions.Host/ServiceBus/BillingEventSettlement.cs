using Azure;
using Azure.Messaging.ServiceBus;
using BacklogFunctions.Application.Ingest;
using BacklogFunctions.Application.Telemetry;
using BacklogFunctions.Host.Queues;

namespace BacklogFunctions.Host.ServiceBus;

/// <summary>
/// What becomes of one billing event received from Service Bus: complete it once stored (or a duplicate);
/// dead-letter it, with the reason (<c>invalid</c> or <c>conflict</c>) and a description, when it can never
/// succeed; abandon it on a transient failure, so Service Bus delivers it again and dead-letters it itself
/// (<c>MaxDeliveryCountExceeded</c>) after the queue's maximum delivery count.
/// </summary>
public sealed partial class BillingEventSettlement(QueueMessageIngest ingest, BacklogTelemetry telemetry, ILogger<BillingEventSettlement> logger)
{
    /// <summary>Service Bus keeps at most 4 KB of a dead-letter description; the full reason is in <c>rejectedevents</c>.</summary>
    public const int MaxDescriptionLength = 1024;

    public async Task SettleAsync(ProcessMessageEventArgs args, string queue)
    {
        var message = args.Message;
        QueueIngestResult result;
        try
        {
            result = await ingest.HandleAsync(message.Body.ToString(), Channels.ServiceBus, args.CancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (args.CancellationToken.IsCancellationRequested)
        {
            // Stopping: hand the message back at once rather than wait for its lock to expire.
            await args.AbandonMessageAsync(message, cancellationToken: CancellationToken.None).ConfigureAwait(false);
            return;
        }
        catch (RequestFailedException ex)
        {
            telemetry.Retried(queue);
            LogTransient(logger, message.MessageId, message.DeliveryCount, ex.Status);
            await args.AbandonMessageAsync(message, cancellationToken: CancellationToken.None).ConfigureAwait(false);
            return;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Anything else fails this delivery only: Service Bus redelivers it and dead-letters it after the
            // queue's maximum delivery count; the processor goes on with the other messages.
            telemetry.Retried(queue);
            LogFailed(logger, ex, message.MessageId, message.DeliveryCount);
            await args.AbandonMessageAsync(message, cancellationToken: CancellationToken.None).ConfigureAwait(false);
            return;
        }

        if (result.Outcome == QueueOutcome.Completed)
        {
            await args.CompleteMessageAsync(message, args.CancellationToken).ConfigureAwait(false);
            return;
        }

        var reason = result.RejectedAs ?? "invalid";
        var description = result.Log.Length <= MaxDescriptionLength ? result.Log : result.Log[..(MaxDescriptionLength - 1)] + "…";
        await args.DeadLetterMessageAsync(message, reason, description, args.CancellationToken).ConfigureAwait(false);
        telemetry.Poisoned(queue);
        LogDeadLettered(logger, message.MessageId, reason);
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Service Bus message {MessageId} abandoned on delivery {DeliveryCount}: storage status {Status}; it will be delivered again")]
    private static partial void LogTransient(ILogger logger, string messageId, int deliveryCount, int status);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Error, Message = "Service Bus message {MessageId} failed on delivery {DeliveryCount}; abandoned, it will be delivered again and dead-lettered after the queue's maximum delivery count")]
    private static partial void LogFailed(ILogger logger, Exception exception, string messageId, int deliveryCount);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "Service Bus message {MessageId} dead-lettered: {Reason}")]
    private static partial void LogDeadLettered(ILogger logger, string messageId, string reason);
}
