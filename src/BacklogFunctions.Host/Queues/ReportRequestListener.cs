using Azure.Storage.Queues;
using BacklogFunctions.Application.Telemetry;
using BacklogFunctions.Host.Telemetry;
using BacklogFunctions.Storage;
using Microsoft.Extensions.Options;

namespace BacklogFunctions.Host.Queues;

/// <summary>Standalone mode's <c>RenderReport</c>: renders the reports the close requests on <c>report-requests</c>.</summary>
public sealed partial class ReportRequestListener(
    QueueServiceClient queues,
    TracedWork work,
    IOptions<StorageOptions> storage,
    BacklogTelemetry telemetry,
    ILogger<ReportRequestListener> logger) : StorageQueueWorker(queues, storage.Value.MaxDequeueCount, telemetry, logger)
{
    protected override string QueueName => ReportRequestQueue.QueueName;

    protected override TimeSpan Visibility => TimeSpan.FromMinutes(5);

    protected override int Concurrency => 2;

    protected override async Task<MessageDisposition> HandleAsync(string body, long dequeueCount, CancellationToken cancellationToken)
    {
        var result = await work.RenderAsync(body, cancellationToken).ConfigureAwait(false);
        if (!result.Rendered)
        {
            LogInvalid(logger, result.Log);
            return MessageDisposition.Poison;
        }

        return MessageDisposition.Complete;
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Error, Message = "Report request cannot be rendered: {Problem}")]
    private static partial void LogInvalid(ILogger logger, string problem);
}
