using Azure.Storage.Queues;
using BacklogFunctions.Application.Close;
using BacklogFunctions.Application.Messages;

namespace BacklogFunctions.Storage;

/// <summary>Closed period versions for report rendering, as messages on the <c>report-requests</c> queue.</summary>
public sealed class ReportRequestQueue(QueueServiceClient queues) : IReportRequests
{
    public const string QueueName = "report-requests";

    private readonly QueueClient _queue = queues.GetQueueClient(QueueName);

    public async Task EnsureCreatedAsync(CancellationToken cancellationToken) =>
        await _queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);

    public async Task RequestAsync(ClosedPeriod closed, CancellationToken cancellationToken)
    {
        var message = QueueMessages.Write(new ReportRequestMessage(closed.Period, closed.Version), System.Diagnostics.Activity.Current?.Id);
        await _queue.SendMessageAsync(message, cancellationToken).ConfigureAwait(false);
    }
}
