using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace BacklogFunctions.Storage;

/// <summary>One storage service the program needs, as the readiness check names it.</summary>
public enum StorageService
{
    Tables,
    Blobs,
    Queues,
}

/// <summary>
/// Asks each storage service one cheap question the program's identity may ask (the data roles of the
/// deployment, no account-level rights): the events table, the reports container, the report-requests queue.
/// </summary>
public sealed class StorageProbe(TableServiceClient tables, BlobServiceClient blobs, QueueServiceClient queues)
{
    /// <summary>Completes when the service answered that the resource exists; throws <see cref="RequestFailedException"/> otherwise.</summary>
    public async Task ProbeAsync(StorageService service, CancellationToken cancellationToken)
    {
        switch (service)
        {
            case StorageService.Tables:
                var filter = TableClient.CreateQueryFilter($"TableName eq {TableEventStore.EventsTable}");
                await foreach (var page in tables.QueryAsync(filter, maxPerPage: 1, cancellationToken).AsPages().ConfigureAwait(false))
                {
                    if (page.Values.Count == 0)
                    {
                        throw new RequestFailedException(404, "the events table does not exist", "TableNotFound", null);
                    }

                    return;
                }

                break;
            case StorageService.Blobs:
                if (!(await blobs.GetBlobContainerClient(BlobReportStore.ContainerName).ExistsAsync(cancellationToken).ConfigureAwait(false)).Value)
                {
                    throw new RequestFailedException(404, "the reports container does not exist", "ContainerNotFound", null);
                }

                break;
            case StorageService.Queues:
                if (!(await queues.GetQueueClient(ReportRequestQueue.QueueName).ExistsAsync(cancellationToken).ConfigureAwait(false)).Value)
                {
                    throw new RequestFailedException(404, "the report-requests queue does not exist", "QueueNotFound", null);
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(service), service, null);
        }
    }
}
