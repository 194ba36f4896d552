using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using BacklogFunctions.Application.Alerts;
using BacklogFunctions.Application.Close;
using BacklogFunctions.Application.Consolidation;
using BacklogFunctions.Application.Ingest;
using BacklogFunctions.Application.Reports;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.DependencyInjection;

namespace BacklogFunctions.Storage;

/// <summary>
/// Where the tables, blobs and queues are: a connection string (Azurite, local), or the three service URIs reached
/// with <see cref="DefaultAzureCredential"/> (Azure, managed identity).
/// </summary>
public sealed record StorageConnection(string? ConnectionString, Uri? TableServiceUri, Uri? BlobServiceUri, Uri? QueueServiceUri, int MaxRetries = 6)
{
    /// <summary>No storage: nothing can be resolved (the program's settings validation refuses to start first).</summary>
    public static StorageConnection None { get; } = new(null, null, null, null);
}

/// <summary>The Azure Storage adapters of every port, for the composition root.</summary>
public static class DependencyInjection
{
    public static IServiceCollection AddBacklogStorage(this IServiceCollection services, StorageConnection connection)
    {
        services.AddAzureClients(clients =>
        {
            if (!string.IsNullOrWhiteSpace(connection.ConnectionString))
            {
                clients.AddTableServiceClient(connection.ConnectionString);
                clients.AddBlobServiceClient(connection.ConnectionString);
                clients.AddQueueServiceClient(connection.ConnectionString);
            }
            else if (connection is { TableServiceUri: not null, BlobServiceUri: not null, QueueServiceUri: not null })
            {
                clients.AddTableServiceClient(connection.TableServiceUri);
                clients.AddBlobServiceClient(connection.BlobServiceUri);
                clients.AddQueueServiceClient(connection.QueueServiceUri);
                clients.UseCredential(new DefaultAzureCredential());
            }

            // Transient faults are retried with exponential backoff before anything is reported as failed.
            clients.ConfigureDefaults(options =>
            {
                options.Retry.Mode = RetryMode.Exponential;
                options.Retry.MaxRetries = connection.MaxRetries;
                options.Retry.Delay = TimeSpan.FromMilliseconds(200);
                options.Retry.MaxDelay = TimeSpan.FromSeconds(5);
                options.Retry.NetworkTimeout = TimeSpan.FromSeconds(20);
            });
        });

        services.AddSingleton(sp => new TableEventStore(sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<BlobServiceClient>()));
        services.AddSingleton<IEventStore>(sp => sp.GetRequiredService<TableEventStore>());
        services.AddSingleton(sp => new TableRejectedEventStore(sp.GetRequiredService<TableServiceClient>()));
        services.AddSingleton<IRejectedEventStore>(sp => sp.GetRequiredService<TableRejectedEventStore>());
        services.AddSingleton(sp => new TableSnapshotStore(sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<BlobServiceClient>()));
        services.AddSingleton<ISnapshotStore>(sp => sp.GetRequiredService<TableSnapshotStore>());
        services.AddSingleton<ISnapshotQueries>(sp => sp.GetRequiredService<TableSnapshotStore>());
        services.AddSingleton<ICloseJobs>(sp => sp.GetRequiredService<TableSnapshotStore>());
        services.AddSingleton(sp => new TableFxRateStore(sp.GetRequiredService<TableServiceClient>()));
        services.AddSingleton<IFxRateStore>(sp => sp.GetRequiredService<TableFxRateStore>());
        services.AddSingleton(sp => new TableTargetStore(sp.GetRequiredService<TableServiceClient>()));
        services.AddSingleton<Application.Alerts.ITargetStore>(sp => sp.GetRequiredService<TableTargetStore>());
        services.AddSingleton(sp => new ReportRequestQueue(sp.GetRequiredService<QueueServiceClient>()));
        services.AddSingleton<IReportRequests>(sp => sp.GetRequiredService<ReportRequestQueue>());
        services.AddSingleton(sp => new CloseShardQueue(sp.GetRequiredService<QueueServiceClient>()));
        services.AddSingleton<ICloseShardQueue>(sp => sp.GetRequiredService<CloseShardQueue>());
        services.AddSingleton(sp => new AlertDeliveryQueue(sp.GetRequiredService<QueueServiceClient>(), sp.GetService<AlertReceivers>() ?? AlertReceivers.None));
        services.AddSingleton<IAlertOutbox>(sp => sp.GetRequiredService<AlertDeliveryQueue>());
        services.AddSingleton(sp => new BlobReportStore(sp.GetRequiredService<BlobServiceClient>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IReportStore>(sp => sp.GetRequiredService<BlobReportStore>());
        services.AddSingleton<IDistributedLock, BlobLeaseLock>();
        services.AddSingleton<StorageSetup>();
        services.AddSingleton<StorageProbe>();
        return services;
    }
}

/// <summary>Creates every table, container and queue the adapters use, and completes the event-key index.</summary>
public sealed class StorageSetup(TableEventStore events, TableRejectedEventStore rejected, TableSnapshotStore snapshots, TableFxRateStore rates, TableTargetStore targets, ReportRequestQueue requests, CloseShardQueue shards, AlertDeliveryQueue alerts, BlobReportStore reports)
{
    /// <summary>Idempotent; returns the event keys two contracts already shared before the key index existed (decision 010).</summary>
    public async Task<IReadOnlyList<(string RowKey, string ContractId, string ClaimedBy)>> EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        await events.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var shared = await events.CompleteKeyIndexAsync(cancellationToken).ConfigureAwait(false);
        await rejected.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await snapshots.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await rates.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await targets.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await requests.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await shards.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await alerts.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await reports.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        return shared;
    }
}
