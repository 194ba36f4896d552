using BacklogFunctions.Application.Messages;
using Azure.Storage.Queues;
using BacklogFunctions.Application.Close;
using BacklogFunctions.Application.Telemetry;
using BacklogFunctions.Host.Telemetry;
using BacklogFunctions.Storage;
using Microsoft.Extensions.Options;

namespace BacklogFunctions.Host.Queues;

/// <summary>
/// Standalone mode's <c>CloseShard</c>: runs the shards of a fanned-out close from the <c>close-shards</c>
/// queue. A message that names no close (or is not a shard message at all) goes to the poison queue at once.
/// </summary>
public sealed partial class CloseShardListener(
    QueueServiceClient queues,
    TracedWork work,
    IOptions<StorageOptions> storage,
    IOptions<CloseOptions> options,
    BacklogTelemetry telemetry,
    ILogger<CloseShardListener> logger) : StorageQueueWorker(queues, storage.Value.MaxDequeueCount, telemetry, logger)
{
    protected override string QueueName => CloseShardQueue.QueueName;

    // A shard replays thousands of contracts: keep it invisible to others well beyond that.
    protected override TimeSpan Visibility => TimeSpan.FromMinutes(10);

    protected override int Concurrency => options.Value.ShardConcurrency;

    protected override async Task<MessageDisposition> HandleAsync(string body, long dequeueCount, CancellationToken cancellationToken)
    {
        if (!QueueMessages.TryRead(body, out CloseShardMessage? message, out var traceParent, out var error))
        {
            LogInvalid(logger, error);
            return MessageDisposition.Poison;
        }

        try
        {
            var outcome = await work.RunShardAsync(message!, traceParent, cancellationToken).ConfigureAwait(false);
            if (outcome.Refusal is { } refusal)
            {
                LogInvalid(logger, refusal);
                return MessageDisposition.Poison;
            }

            LogDone(logger, outcome.Log, dequeueCount);
            return MessageDisposition.Complete;
        }
        catch (InvalidDataException ex)
        {
            // A stored row that no longer reads: retrying cannot help.
            LogInvalid(logger, ex.Message);
            return MessageDisposition.Poison;
        }
    }

    [LoggerMessage(EventId = 3021, Level = LogLevel.Information, Message = "{Log} (delivery {DequeueCount})")]
    private static partial void LogDone(ILogger logger, string log, long dequeueCount);

    [LoggerMessage(EventId = 3022, Level = LogLevel.Error, Message = "Close shard message cannot be run: {Problem}")]
    private static partial void LogInvalid(ILogger logger, string problem);
}
