using Azure.Storage.Queues;
using BacklogFunctions.Application.Telemetry;
using BacklogFunctions.Host.Queues;
using BacklogFunctions.Storage;
using Microsoft.Extensions.Options;

namespace BacklogFunctions.Host.Alerts;

/// <summary>
/// Standalone mode's <c>DeliverAlert</c>: delivers the fired alerts on <c>alert-deliveries</c>. The delivery itself
/// re-enqueues a delayed copy while a receiver fails and moves it to the poison queue after the last attempt, so
/// every message is completed once handled; one whose handling fails on storage is delivered again.
/// </summary>
public sealed class AlertDeliveryListener(
    QueueServiceClient queues,
    AlertDelivery delivery,
    IOptions<StorageOptions> storage,
    IOptions<AlertDeliveryOptions> options,
    BacklogTelemetry telemetry,
    ILogger<AlertDeliveryListener> logger) : StorageQueueWorker(queues, storage.Value.MaxDequeueCount, telemetry, logger)
{
    protected override string QueueName => AlertDeliveryQueue.QueueName;

    // One POST within its timeout, and the copy or poison message after it.
    protected override TimeSpan Visibility => options.Value.Delivery.Timeout + TimeSpan.FromMinutes(1);

    protected override int Concurrency => options.Value.Delivery.Concurrency;

    protected override async Task<MessageDisposition> HandleAsync(string body, long dequeueCount, CancellationToken cancellationToken)
    {
        _ = await delivery.HandleAsync(body, cancellationToken).ConfigureAwait(false);
        return MessageDisposition.Complete;
    }
}
