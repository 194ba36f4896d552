using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using BacklogFunctions.Application.Ingest;
using Microsoft.Extensions.Options;

namespace BacklogFunctions.Host.Queues;

/// <summary>
/// Standalone mode: receives billing events from a Storage queue. A message is deleted once it is stored, a
/// duplicate, or rejected for good; a storage fault leaves it to reappear; after the configured number of
/// deliveries it moves to the <c>-poison</c> queue.
/// </summary>
public sealed partial class StorageQueueListener(
    QueueServiceClient queues,
    QueueMessageIngest ingest,
    IOptions<StorageOptions> options,
    ILogger<StorageQueueListener> logger) : BackgroundService
{
    private static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Visibility = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var queue = queues.GetQueueClient(options.Value.BillingEventsQueue);
        var poison = queues.GetQueueClient(options.Value.BillingEventsQueue + "-poison");
        await queue.CreateIfNotExistsAsync(cancellationToken: stoppingToken).ConfigureAwait(false);
        await poison.CreateIfNotExistsAsync(cancellationToken: stoppingToken).ConfigureAwait(false);

        while (!stoppingToken.IsCancellationRequested)
        {
            QueueMessage[] messages;
            try
            {
                messages = (await queue.ReceiveMessagesAsync(32, Visibility, stoppingToken).ConfigureAwait(false)).Value;
            }
            catch (RequestFailedException ex)
            {
                LogReceiveFailed(logger, ex.Status);
                await Task.Delay(Idle, stoppingToken).ConfigureAwait(false);
                continue;
            }

            if (messages.Length == 0)
            {
                await Task.Delay(Idle, stoppingToken).ConfigureAwait(false);
                continue;
            }

            // Messages are independent (the engine orders events by effect, and storing is idempotent),
            // so a batch is handled concurrently, as the Functions host does with its queue batch size.
            await Parallel.ForEachAsync(
                messages,
                new ParallelOptions { MaxDegreeOfParallelism = options.Value.QueueConcurrency, CancellationToken = stoppingToken },
                async (message, token) => await HandleAsync(queue, poison, message, token).ConfigureAwait(false)).ConfigureAwait(false);
        }
    }

    private async Task HandleAsync(QueueClient queue, QueueClient poison, QueueMessage message, CancellationToken cancellationToken)
    {
        if (message.DequeueCount > options.Value.MaxDequeueCount)
        {
            await poison.SendMessageAsync(message.Body, cancellationToken: cancellationToken).ConfigureAwait(false);
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
            LogPoisoned(logger, message.MessageId, message.DequeueCount);
            return;
        }

        try
        {
            await ingest.HandleAsync(message.Body.ToString(), Channels.Queue, cancellationToken).ConfigureAwait(false);
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex)
        {
            // Not deleted: it becomes visible again after the visibility timeout and is retried.
            LogTransient(logger, message.MessageId, ex.Status);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Receiving from the billing events queue failed: status {Status}")]
    private static partial void LogReceiveFailed(ILogger logger, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} moved to the poison queue after {DequeueCount} deliveries")]
    private static partial void LogPoisoned(ILogger logger, string messageId, long dequeueCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} will be retried: storage status {Status}")]
    private static partial void LogTransient(ILogger logger, string messageId, int status);
}
