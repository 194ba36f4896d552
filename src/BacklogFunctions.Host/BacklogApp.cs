using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using BacklogFunctions.Application.Reports;
using BacklogFunctions.Application.Close;
using BacklogFunctions.Application.Ingest;
using BacklogFunctions.Domain.Recognition;
using BacklogFunctions.Domain.Snapshots;
using BacklogFunctions.Host.Close;
using BacklogFunctions.Host.Endpoints;
using BacklogFunctions.Host.Queues;
using BacklogFunctions.Host.Reports;
using BacklogFunctions.Reports;
using BacklogFunctions.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Options;

namespace BacklogFunctions.Host;

/// <summary>The composition root: one program for the Azure Functions custom handler and standalone mode.</summary>
public static partial class BacklogApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);

        // Inside the Functions host the program listens where the host tells it to, on loopback only.
        if (builder.Configuration["FUNCTIONS_CUSTOMHANDLER_PORT"] is { Length: > 0 } port)
        {
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        }

        builder.Services.AddOptions<WebhookOptions>().Bind(builder.Configuration.GetSection(WebhookOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        var behindFunctionsHost = builder.Configuration["FUNCTIONS_CUSTOMHANDLER_PORT"] is { Length: > 0 };
        builder.Services.AddOptions<ReadApiOptions>().Bind(builder.Configuration.GetSection(ReadApiOptions.Section))
            .PostConfigure(o => o.BehindFunctionsHost = behindFunctionsHost).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<StorageOptions>().Bind(builder.Configuration.GetSection(StorageOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<CloseOptions>().Bind(builder.Configuration.GetSection(CloseOptions.Section)).ValidateDataAnnotations().ValidateOnStart();

        var storage = builder.Configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        builder.Services.AddAzureClients(clients =>
        {
            if (!string.IsNullOrWhiteSpace(storage.ConnectionString))
            {
                clients.AddTableServiceClient(storage.ConnectionString);
                clients.AddBlobServiceClient(storage.ConnectionString);
                clients.AddQueueServiceClient(storage.ConnectionString);
            }
            else if (storage.TableServiceUri is not null && storage.BlobServiceUri is not null && storage.QueueServiceUri is not null)
            {
                clients.AddTableServiceClient(storage.TableServiceUri);
                clients.AddBlobServiceClient(storage.BlobServiceUri);
                clients.AddQueueServiceClient(storage.QueueServiceUri);
                clients.UseCredential(new DefaultAzureCredential());
            }

            // Transient faults are retried with exponential backoff before anything is reported as failed.
            clients.ConfigureDefaults(options =>
            {
                options.Retry.Mode = RetryMode.Exponential;
                options.Retry.MaxRetries = storage.MaxRetries;
                options.Retry.Delay = TimeSpan.FromMilliseconds(200);
                options.Retry.MaxDelay = TimeSpan.FromSeconds(5);
                options.Retry.NetworkTimeout = TimeSpan.FromSeconds(20);
            });
        });

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => new TableEventStore(sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<BlobServiceClient>()));
        builder.Services.AddSingleton<IEventStore>(sp => sp.GetRequiredService<TableEventStore>());
        builder.Services.AddSingleton(sp => new TableRejectedEventStore(sp.GetRequiredService<TableServiceClient>()));
        builder.Services.AddSingleton<IRejectedEventStore>(sp => sp.GetRequiredService<TableRejectedEventStore>());
        builder.Services.AddSingleton<EventIngestor>();
        builder.Services.AddSingleton(sp => new TableSnapshotStore(sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<BlobServiceClient>()));
        builder.Services.AddSingleton<ISnapshotStore>(sp => sp.GetRequiredService<TableSnapshotStore>());
        builder.Services.AddSingleton<ContractHistories>();
        builder.Services.AddSingleton(sp => new ReportRequestQueue(sp.GetRequiredService<QueueServiceClient>()));
        builder.Services.AddSingleton<IReportRequests>(sp => sp.GetRequiredService<ReportRequestQueue>());
        builder.Services.AddSingleton(sp => CloseSettingsOf(sp.GetRequiredService<IOptions<CloseOptions>>().Value));
        builder.Services.AddSingleton<PeriodCloser>();
        builder.Services.AddSingleton(sp => new CloseShardQueue(sp.GetRequiredService<QueueServiceClient>()));
        builder.Services.AddSingleton<ICloseShardQueue>(sp => sp.GetRequiredService<CloseShardQueue>());
        builder.Services.AddSingleton<ICloseJobs>(sp => sp.GetRequiredService<TableSnapshotStore>());
        builder.Services.AddSingleton<ShardedClose>();
        builder.Services.AddOptions<ReportsOptions>().Bind(builder.Configuration.GetSection(ReportsOptions.Section))
            .PostConfigure(o => o.BehindFunctionsHost = behindFunctionsHost).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(sp => ReportFonts.Load(sp.GetRequiredService<IOptions<ReportsOptions>>().Value.FontDirectory));
        builder.Services.AddSingleton<BoardPack>();
        builder.Services.AddSingleton<IBoardPackRenderer>(sp => sp.GetRequiredService<BoardPack>());
        builder.Services.AddSingleton(sp => new BlobReportStore(sp.GetRequiredService<BlobServiceClient>(), sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<IReportStore>(sp => sp.GetRequiredService<BlobReportStore>());
        builder.Services.AddSingleton<ReportRenderer>();
        builder.Services.AddSingleton<ReportRequests>();
        builder.Services.AddSingleton<ReportPage>();
        builder.Services.AddSingleton<PageSessions>();

        // Page sessions are protected with an in-memory key ring: they end when the instance restarts (decision 009).
        builder.Services.AddDataProtection().SetApplicationName("BacklogFunctions").UseEphemeralDataProtectionProvider();
        builder.Services.AddSingleton<CloseRunner>();
        builder.Services.AddSingleton<ICatchUpClose>(sp => sp.GetRequiredService<CloseRunner>());
        builder.Services.AddSingleton<QueueMessageIngest>();
        builder.Services.AddHostedService<StorageInitializer>();
        var close = builder.Configuration.GetSection(CloseOptions.Section).Get<CloseOptions>();
        if (storage.ListenToQueue)
        {
            builder.Services.AddHostedService<StorageQueueListener>();
            builder.Services.AddHostedService<ReportRequestListener>();
            if (close?.Shards > 0)
            {
                builder.Services.AddHostedService<CloseShardListener>();
            }
        }

        if (close?.RunScheduler == true)
        {
            builder.Services.AddHostedService<CloseScheduler>();
        }

        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<Http.RequestExceptionHandler>();
        configure?.Invoke(builder);

        // Last, so that providers added by anyone (tests included) are wrapped too.
        Logging.RedactingLoggerProvider.WrapAll(builder.Services, builder.Configuration);

        var app = builder.Build();
        app.UseSecurityHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapGet("/api/health", () => Results.Ok(new { status = "ok" }));
        app.MapEventEndpoints();
        app.MapContractEndpoints();
        app.MapPeriodEndpoints();
        app.MapReportEndpoints();
        if (behindFunctionsHost)
        {
            app.MapFunctionEndpoints();
        }

        return app;
    }

    private static CloseSettings CloseSettingsOf(CloseOptions options) => new(
        PolicyNames.Options(options.Proration, options.DeferredBasis),
        TimeZoneInfo.FindSystemTimeZoneById(options.ReportingTimeZone));

    /// <summary>Creates the tables and containers before the program serves anything.</summary>
    private sealed partial class StorageInitializer(IOptions<StorageOptions> options, IServiceProvider services, ILogger<StorageInitializer> logger) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            // Validated settings first, so a missing storage setting is reported as such.
            _ = options.Value;
            var events = services.GetRequiredService<TableEventStore>();
            await events.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);

            // A store written before the (source, id) index existed gets it once, before anything is ingested.
            foreach (var (rowKey, contractId, claimedBy) in await events.CompleteKeyIndexAsync(cancellationToken).ConfigureAwait(false))
            {
                LogSharedKey(logger, rowKey, contractId, claimedBy);
            }

            await services.GetRequiredService<TableRejectedEventStore>().EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
            await services.GetRequiredService<TableSnapshotStore>().EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
            await services.GetRequiredService<ReportRequestQueue>().EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
            await services.GetRequiredService<CloseShardQueue>().EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
            await services.GetRequiredService<BlobReportStore>().EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);

            // The board pack's font is loaded now: a missing font stops the start, never a blank pack later.
            _ = services.GetRequiredService<ReportFonts>();
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Warning, Message = "Event key {Key} is stored for contract {ContractId} and for contract {ClaimedBy} (received before keys were indexed); new events with this key belong to {ClaimedBy}")]
        private static partial void LogSharedKey(ILogger logger, string key, string contractId, string claimedBy);
    }
}
