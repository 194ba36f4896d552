using System.ComponentModel.DataAnnotations;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using BacklogFunctions.Application.Reports;
using BacklogFunctions.Application;
using BacklogFunctions.Application.Close;
using BacklogFunctions.Application.Ingest;
using BacklogFunctions.Domain.Recognition;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Snapshots;
using BacklogFunctions.Host.Alerts;
using BacklogFunctions.Host.Close;
using BacklogFunctions.Host.Endpoints;
using BacklogFunctions.Host.Health;
using BacklogFunctions.Host.Telemetry;
using BacklogFunctions.Host.Queues;
using BacklogFunctions.Host.Reports;
using BacklogFunctions.Reports;
using BacklogFunctions.Storage;
using Microsoft.AspNetCore.DataProtection;
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

        // Options decide which services run, so they are validated before they are read: invalid settings
        // register nothing optional, and the start then stops with the validation message (ValidateOnStart).
        var storage = Validated<StorageOptions>(builder.Configuration, StorageOptions.Section);
        var close = Validated<CloseOptions>(builder.Configuration, CloseOptions.Section);

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddBacklogStorage(storage is null
            ? StorageConnection.None
            : new StorageConnection(storage.ConnectionString, storage.TableServiceUri, storage.BlobServiceUri, storage.QueueServiceUri, storage.MaxRetries));
        builder.Services.AddSingleton(sp => CloseSettingsOf(sp.GetRequiredService<IOptions<CloseOptions>>().Value));
        builder.Services.AddBacklogApplication();
        builder.Services.AddOptions<JournalOptions>().Bind(builder.Configuration.GetSection(JournalOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<JournalOptions>>().Value.ToAccounts());
        builder.Services.AddOptions<Alerts.AlertRuleOptions>().Bind(builder.Configuration.GetSection(Alerts.AlertRuleOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<Alerts.AlertRuleOptions>>().Value.ToSettings());
        builder.Services.AddOptions<ReportsOptions>().Bind(builder.Configuration.GetSection(ReportsOptions.Section))
            .PostConfigure(o => o.BehindFunctionsHost = behindFunctionsHost).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddBacklogReports(sp => sp.GetRequiredService<IOptions<ReportsOptions>>().Value.FontDirectory);
        builder.Services.AddSingleton<ReportRequests>();
        builder.Services.AddSingleton<ReportPage>();
        builder.Services.AddSingleton<PageSessions>();

        // Page sessions are protected with an in-memory key ring: they end when the instance restarts (decision 009).
        builder.Services.AddDataProtection().SetApplicationName("BacklogFunctions").UseEphemeralDataProtectionProvider();
        builder.Services.AddSingleton<CloseRunner>();
        builder.Services.AddSingleton<ICatchUpClose>(sp => sp.GetRequiredService<CloseRunner>());
        builder.Services.AddSingleton<QueueMessageIngest>();
        builder.Services.AddAlertDelivery(builder.Configuration);
        builder.Services.AddSingleton<Telemetry.TracedWork>();
        builder.Services.AddOptions<Telemetry.TelemetryOptions>().Bind(builder.Configuration.GetSection(Telemetry.TelemetryOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        builder.AddBacklogTelemetry(Validated<Telemetry.TelemetryOptions>(builder.Configuration, Telemetry.TelemetryOptions.Section) ?? new Telemetry.TelemetryOptions());
        builder.Services.AddHostedService<StorageInitializer>();
        if (storage?.ListenToQueue == true)
        {
            builder.Services.AddHostedService<StorageQueueListener>();
            builder.Services.AddHostedService<ReportRequestListener>();
            builder.Services.AddHostedService<AlertDeliveryListener>();
            if (close?.Shards > 0)
            {
                builder.Services.AddHostedService<CloseShardListener>();
            }
        }

        builder.Services.AddOptions<ServiceBusOptions>().Bind(builder.Configuration.GetSection(ServiceBusOptions.Section))
            .PostConfigure(o => o.BehindFunctionsHost = behindFunctionsHost).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ServiceBus.BillingEventSettlement>();
        var serviceBus = builder.Configuration.GetSection(ServiceBusOptions.Section).Get<ServiceBusOptions>();
        if (serviceBus is { Enabled: true } && !behindFunctionsHost)
        {
            builder.Services.AddHostedService<ServiceBus.ServiceBusConsumer>();
        }

        if (close?.RunScheduler == true)
        {
            builder.Services.AddHostedService<CloseScheduler>();
        }

        builder.Services.AddOptions<HealthOptions>().Bind(builder.Configuration.GetSection(HealthOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddBacklogHealthChecks(TimeSpan.FromSeconds(Validated<HealthOptions>(builder.Configuration, HealthOptions.Section)?.TimeoutSeconds ?? 2));
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<Http.ProblemExceptionHandler>();
        configure?.Invoke(builder);

        // Last, so that providers added by anyone (tests included) are wrapped too.
        Logging.RedactingLoggerProvider.WrapAll(builder.Services, builder.Configuration);

        var app = builder.Build();
        app.UseSecurityHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapBacklogHealthChecks();
        app.MapEventEndpoints();
        app.MapContractEndpoints();
        app.MapPeriodEndpoints();
        app.MapFxRateEndpoints();
        app.MapTargetEndpoints();
        app.MapReportEndpoints();
        if (behindFunctionsHost)
        {
            app.MapFunctionEndpoints();
        }

        return app;
    }

    /// <summary>The options of a section when they pass their validation, else null.</summary>
    private static T? Validated<T>(ConfigurationManager configuration, string section)
        where T : class, new()
    {
        var options = configuration.GetSection(section).Get<T>() ?? new T();
        return Validator.TryValidateObject(options, new ValidationContext(options), null, validateAllProperties: true) ? options : null;
    }

    private static CloseSettings CloseSettingsOf(CloseOptions options) => new(
        PolicyNames.Options(options.Proration, options.DeferredBasis) with { ProgressDecimals = options.ProgressDecimals },
        TimeZoneInfo.FindSystemTimeZoneById(options.ReportingTimeZone))
    {
        FiscalYearStartMonth = options.FiscalYearStartMonth,
        ReportingCurrency = string.IsNullOrEmpty(options.ReportingCurrency) ? null : Currency.Of(options.ReportingCurrency),
    };

    /// <summary>Creates the tables and containers before the program serves anything.</summary>
    private sealed partial class StorageInitializer(IOptions<StorageOptions> options, IServiceProvider services, ILogger<StorageInitializer> logger) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            // Validated settings first, so a missing storage setting is reported as such.
            _ = options.Value;
            // A store written before the (source, id) index existed gets it once, before anything is ingested.
            foreach (var (rowKey, contractId, claimedBy) in await services.GetRequiredService<StorageSetup>().EnsureCreatedAsync(cancellationToken).ConfigureAwait(false))
            {
                LogSharedKey(logger, rowKey, contractId, claimedBy);
            }

            // The board pack's font is loaded now: a missing font stops the start, never a blank pack later.
            _ = services.GetRequiredService<ReportFonts>();
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Event key {Key} is stored for contract {ContractId} and for contract {ClaimedBy} (received before keys were indexed); new events with this key belong to {ClaimedBy}")]
        private static partial void LogSharedKey(ILogger logger, string key, string contractId, string claimedBy);
    }
}
