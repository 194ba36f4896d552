using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using BacklogFunctions.Application.Telemetry;

namespace BacklogFunctions.Host.Queues;

/// <summary>What to do with a message once its handler has run.</summary>
public enum MessageDisposition
{
    /// <summary>Done (or can never succeed and is recorded elsewhere): delete it.</summary>
    Complete,

    /// <summary>Can never succeed and is recorded nowhere else: move it to the poison queue now.</summary>
    Poison,
}

/// <summary>
/// Standalone mode's stand-in for a Functions queue trigger: receives messages in batches, deletes a message once
/// its handler completes, leaves it to reappear after the visibility timeout when storage fails, and after the
/// configured number of deliveries moves it to the <c>-poison</c> queue, as the Functions host does.
/// </summary>
public abstract partial class StorageQueueWorker(QueueServiceClient queues, int maxDequeueCount, BacklogTelemetry telemetry, ILogger logger) : BackgroundService
{
    private static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(500);

    protected abstract string QueueName { get; }

    /// <summary>How long a received message stays invisible to others: longer than its handler takes.</summary>
    protected abstract TimeSpan Visibility { get; }

    /// <summary>Messages received at once and handled concurrently.</summary>
    protected abstract int Concurrency { get; }

    protected abstract Task<MessageDisposition> HandleAsync(string body, long dequeueCount, CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var queue = queues.GetQueueClient(QueueName);
        var poison = queues.GetQueueClient(QueueName + "-poison");
        var created = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            QueueMessage[] messages;
            try
            {
                if (!created)
                {
                    await queue.CreateIfNotExistsAsync(cancellationToken: stoppingToken).ConfigureAwait(false);
                    await poison.CreateIfNotExistsAsync(cancellationToken: stoppingToken).ConfigureAwait(false);
                    created = true;
                }

                messages = (await queue.ReceiveMessagesAsync(Math.Min(32, Concurrency), Visibility, stoppingToken).ConfigureAwait(false)).Value;
            }
            catch (RequestFailedException ex)
            {
                LogReceiveFailed(logger, QueueName, ex.Status);
                await Task.Delay(Idle, stoppingToken).ConfigureAwait(false);
                continue;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The loop outlives anything a receive can throw (a network error outside the SDK's retries).
                LogReceiveError(logger, ex, QueueName);
                await Task.Delay(Idle, stoppingToken).ConfigureAwait(false);
                continue;
            }

            if (messages.Length == 0)
            {
                await Task.Delay(Idle, stoppingToken).ConfigureAwait(false);
                continue;
            }

            await Parallel.ForEachAsync(
                messages,
                new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = stoppingToken },
                async (message, token) => await ProcessAsync(queue, poison, message, token).ConfigureAwait(false)).ConfigureAwait(false);
        }
    }

    private async Task ProcessAsync(QueueClient queue, QueueClient poison, QueueMessage message, CancellationToken cancellationToken)
    {
        try
        {
            if (message.DequeueCount > maxDequeueCount)
            {
                await PoisonAsync(queue, poison, message, cancellationToken).ConfigureAwait(false);
                return;
            }

            if (await HandleAsync(message.Body.ToString(), message.DequeueCount, cancellationToken).ConfigureAwait(false) == MessageDisposition.Poison)
            {
                await PoisonAsync(queue, poison, message, cancellationToken).ConfigureAwait(false);
                return;
            }

            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex)
        {
            // Not deleted: it becomes visible again after the visibility timeout and is retried.
            telemetry.Retried(QueueName);
            LogTransient(logger, message.MessageId, QueueName, ex.Status);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the message reappears after its visibility timeout and another instance takes it.
        }
        catch (Exception ex)
        {
            // Whatever else a handler throws fails this message only: it is retried, then poisoned after the
            // configured number of deliveries, and the listener goes on with the next one.
            telemetry.Retried(QueueName);
            LogHandlerFailed(logger, ex, message.MessageId, QueueName, message.DequeueCount, maxDequeueCount);
        }
    }

    private async Task PoisonAsync(QueueClient queue, QueueClient poison, QueueMessage message, CancellationToken cancellationToken)
    {
        await poison.SendMessageAsync(message.Body, cancellationToken: cancellationToken).ConfigureAwait(false);
        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
        telemetry.Poisoned(QueueName);
        LogPoisoned(logger, message.MessageId, QueueName, message.DequeueCount);
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Receiving from queue {Queue} failed: status {Status}")]
    private static partial void LogReceiveFailed(ILogger logger, string queue, int status);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Error, Message = "Receiving from queue {Queue} failed; the listener goes on")]
    private static partial void LogReceiveError(ILogger logger, Exception exception, string queue);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Error, Message = "Message {MessageId} of {Queue} failed on delivery {DequeueCount} of {MaxDequeueCount}; it will be retried, then poisoned")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string messageId, string queue, long dequeueCount, int maxDequeueCount);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "Message {MessageId} moved from {Queue} to its poison queue after {DequeueCount} deliveries")]
    private static partial void LogPoisoned(ILogger logger, string messageId, string queue, long dequeueCount);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Warning, Message = "Message {MessageId} of {Queue} will be retried: storage status {Status}")]
    private static partial void LogTransient(ILogger logger, string messageId, string queue, int status);
}
