using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using BacklogFunctions.Application.Telemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace BacklogFunctions.Host.Telemetry;

/// <summary>
/// OpenTelemetry for the program: its own spans and metrics (<see cref="BacklogTelemetry"/>), ASP.NET Core's
/// request spans and metrics, and (with an exporter) its logs, sent where <see cref="TelemetryOptions.Exporter"/>
/// says. Tests add their own in-memory exporter to the same providers.
/// </summary>
internal static class TelemetrySetup
{
    public static void AddBacklogTelemetry(this WebApplicationBuilder builder, TelemetryOptions options)
    {
        var exporter = options.ExporterFor(builder.Configuration);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(options.ServiceName))
            .WithTracing(tracing =>
            {
                tracing.AddSource(BacklogTelemetry.Name)
                    .AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.StartsWithSegments("/api/health", StringComparison.Ordinal));
                _ = exporter switch
                {
                    TelemetryExporter.Console => tracing.AddConsoleExporter(),
                    TelemetryExporter.Otlp => tracing.AddOtlpExporter(),
                    TelemetryExporter.AzureMonitor => tracing.AddAzureMonitorTraceExporter(o => AzureMonitor(o, builder.Configuration)),
                    _ => tracing,
                };
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(BacklogTelemetry.Name).AddAspNetCoreInstrumentation();
                _ = exporter switch
                {
                    TelemetryExporter.Console => metrics.AddConsoleExporter(),
                    TelemetryExporter.Otlp => metrics.AddOtlpExporter(),
                    TelemetryExporter.AzureMonitor => metrics.AddAzureMonitorMetricExporter(o => AzureMonitor(o, builder.Configuration)),
                    _ => metrics,
                };
            });

        // Logs go through the redacting wrapper like every provider (BacklogApp wraps them last).
        if (exporter is TelemetryExporter.Otlp or TelemetryExporter.AzureMonitor)
        {
            builder.Logging.AddOpenTelemetry(logging =>
            {
                logging.IncludeFormattedMessage = true;
                _ = exporter == TelemetryExporter.Otlp
                    ? logging.AddOtlpExporter()
                    : logging.AddAzureMonitorLogExporter(o => AzureMonitor(o, builder.Configuration));
            });
        }
    }

    /// <summary>The connection string from the platform's setting; Entra ID authentication when the platform asks for it (local auth is off in the template).</summary>
    private static void AzureMonitor(AzureMonitorExporterOptions options, ConfigurationManager configuration)
    {
        options.ConnectionString = configuration[TelemetryOptions.ApplicationInsightsSetting];
        if (configuration["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]?.Contains("Authorization=AAD", StringComparison.OrdinalIgnoreCase) == true)
        {
            options.Credential = new DefaultAzureCredential();
        }
    }
}

public enum TelemetryExporter
{
    None,
    Console,
    Otlp,
    AzureMonitor,
}

/// <summary>Where traces, metrics and logs go.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    public const string ApplicationInsightsSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>
    /// <c>none</c>, <c>console</c>, <c>otlp</c> (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, default http://localhost:4317) or
    /// <c>azuremonitor</c>; unset: <c>azuremonitor</c> when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set, else none.
    /// </summary>
    public TelemetryExporter? Exporter { get; set; }

    /// <summary>The <c>service.name</c> of every span and metric (the cloud role name in Application Insights).</summary>
    [System.ComponentModel.DataAnnotations.Required]
    public string ServiceName { get; set; } = "BacklogFunctions";

    public TelemetryExporter ExporterFor(IConfiguration configuration) =>
        Exporter ?? (string.IsNullOrWhiteSpace(configuration[ApplicationInsightsSetting]) ? TelemetryExporter.None : TelemetryExporter.AzureMonitor);
}
