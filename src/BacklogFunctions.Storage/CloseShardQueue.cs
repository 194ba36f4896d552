using Azure.Storage.Queues;
using BacklogFunctions.Application.Close;
using BacklogFunctions.Application.Messages;

namespace BacklogFunctions.Storage;

/// <summary>
/// The <c>close-shards</c> queue: one message <c>{"period","version","shard","shards"}</c> per shard of a
/// fanned-out close, consumed by the <c>CloseShard</c> function (or the standalone listener).
/// </summary>
public sealed class CloseShardQueue(QueueServiceClient queues) : ICloseShardQueue
{
    public const string QueueName = "close-shards";

    private readonly QueueClient _queue = queues.GetQueueClient(QueueName);

    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        await _queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await queues.GetQueueClient(QueueName + "-poison").CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    public async Task SendAsync(IReadOnlyList<CloseShardMessage> messages, CancellationToken cancellationToken)
    {
        foreach (var message in messages)
        {
            // The shard's span continues the trace of whoever sends it (the close run, or the shard that closed the previous month).
            await _queue.SendMessageAsync(QueueMessages.Write(message, System.Diagnostics.Activity.Current?.Id), cancellationToken).ConfigureAwait(false);
        }
    }
}
