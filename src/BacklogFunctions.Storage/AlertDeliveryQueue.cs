using Azure.Storage.Queues;
using BacklogFunctions.Application.Alerts;
using BacklogFunctions.Application.Messages;

namespace BacklogFunctions.Storage;

/// <summary>The configured alert receivers' URLs in configuration order: what the outbox addresses (their secrets stay with the host).</summary>
public sealed record AlertReceivers(IReadOnlyList<string> Urls)
{
    /// <summary>No receiver: fired alerts are stored with their version and delivered nowhere.</summary>
    public static AlertReceivers None { get; } = new([]);
}

/// <summary>
/// The <c>alert-deliveries</c> queue: one message <c>{"alertId","receiver","attempt":1,"body"}</c> per fired alert and
/// receiver, consumed by the <c>DeliverAlert</c> function (or the standalone listener), which posts it, re-enqueues a
/// delayed copy while it fails, and moves it to <c>alert-deliveries-poison</c> after the last attempt.
/// </summary>
public sealed class AlertDeliveryQueue(QueueServiceClient queues, AlertReceivers receivers) : IAlertOutbox
{
    public const string QueueName = "alert-deliveries";

    public const string PoisonQueueName = QueueName + "-poison";

    /// <summary>Deliveries never expire: they leave the queue delivered or into the poison queue, never silently.</summary>
    private static readonly TimeSpan NeverExpires = TimeSpan.FromSeconds(-1);

    private readonly QueueClient _queue = queues.GetQueueClient(QueueName);

    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        await _queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await queues.GetQueueClient(PoisonQueueName).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    public async Task SendAsync(IReadOnlyList<AlertNotice> notices, CancellationToken cancellationToken)
    {
        // The delivery's span continues the trace of the close that fired the alert.
        var traceParent = System.Diagnostics.Activity.Current?.Id;
        foreach (var notice in notices)
        {
            foreach (var receiver in receivers.Urls)
            {
                var message = AlertDeliveryMessages.Write(new AlertDeliveryMessage(notice.Id, receiver, 1, notice.Body), traceParent);
                await _queue.SendMessageAsync(message, visibilityTimeout: null, timeToLive: NeverExpires, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
