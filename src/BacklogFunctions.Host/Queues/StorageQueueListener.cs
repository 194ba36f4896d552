using Azure.Storage.Queues;
using BacklogFunctions.Application.Ingest;
using BacklogFunctions.Application.Telemetry;
using Microsoft.Extensions.Options;

namespace BacklogFunctions.Host.Queues;

/// <summary>
/// Standalone mode: receives billing events from a Storage queue. A message is deleted once it is stored, a
/// duplicate, or rejected for good (and recorded in the rejected-events store); a storage fault leaves it to
/// reappear; after the configured number of deliveries it moves to the <c>-poison</c> queue.
/// </summary>
public sealed class StorageQueueListener(
    QueueServiceClient queues,
    QueueMessageIngest ingest,
    IOptions<StorageOptions> options,
    BacklogTelemetry telemetry,
    ILogger<StorageQueueListener> logger) : StorageQueueWorker(queues, options.Value.MaxDequeueCount, telemetry, logger)
{
    protected override string QueueName => options.Value.BillingEventsQueue;

    protected override TimeSpan Visibility => TimeSpan.FromSeconds(30);

    // Messages are independent (the engine orders events by effect, and storing is idempotent), so a batch is
    // handled concurrently, as the Functions host does with its queue batch size.
    protected override int Concurrency => options.Value.QueueConcurrency;

    protected override async Task<MessageDisposition> HandleAsync(string body, long dequeueCount, CancellationToken cancellationToken)
    {
        await ingest.HandleAsync(body, Channels.Queue, cancellationToken).ConfigureAwait(false);
        return MessageDisposition.Complete;
    }
}
