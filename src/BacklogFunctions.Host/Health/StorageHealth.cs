using System.Text.Json;
using Azure;
using BacklogFunctions.Storage;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace BacklogFunctions.Host.Health;

/// <summary>Whether one storage service answers, within the registration's timeout.</summary>
internal sealed class StorageHealthCheck(StorageProbe probe, StorageService service) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await probe.ProbeAsync(service, cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy("answered");
        }
        catch (RequestFailedException ex)
        {
            // The status and error code say enough; the message may carry the request's address.
            return HealthCheckResult.Unhealthy(ex.Status == 0 ? "no answer" : $"status {ex.Status}{(ex.ErrorCode is { } code ? $" ({code})" : string.Empty)}");
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is RequestFailedException or HttpRequestException))
        {
            return HealthCheckResult.Unhealthy("no answer");
        }
    }
}

/// <summary>
/// <c>/api/health/live</c>: the process serves (no dependency is asked, so a storage outage never restarts it).
/// <c>/api/health/ready</c> and <c>/api/health</c>: tables, blobs and queues each answer within
/// <c>Health:TimeoutSeconds</c>; 200 when all do, 503 otherwise. The answer names each check, its status and
/// duration, never an address, key or connection string.
/// </summary>
internal static class HealthEndpoints
{
    private const string Ready = "ready";

    public static IServiceCollection AddBacklogHealthChecks(this IServiceCollection services, TimeSpan timeout)
    {
        var checks = services.AddHealthChecks();
        foreach (var service in Enum.GetValues<StorageService>())
        {
            checks.Add(new HealthCheckRegistration(
                service.ToString().ToLowerInvariant(),
                sp => new StorageHealthCheck(sp.GetRequiredService<StorageProbe>(), service),
                HealthStatus.Unhealthy,
                [Ready],
                timeout));
        }

        return services;
    }

    public static void MapBacklogHealthChecks(this IEndpointRouteBuilder app)
    {
        var get = new HttpMethodMetadata([HttpMethods.Get]);
        app.MapHealthChecks("/api/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync }).WithMetadata(get);
        var ready = new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready), ResponseWriter = WriteAsync };
        app.MapHealthChecks("/api/health/ready", ready).WithMetadata(get);
        app.MapHealthChecks("/api/health", ready).WithMetadata(get);
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = Name(report.Status),
            durationMs = Math.Round(report.TotalDuration.TotalMilliseconds),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = Name(e.Value.Status),
                durationMs = Math.Round(e.Value.Duration.TotalMilliseconds),
                description = Describe(e.Value),
            }),
        }));
    }

    /// <summary>Our own descriptions; an exception's message is never shown (it may hold an address).</summary>
    private static string Describe(HealthReportEntry entry) => entry.Exception switch
    {
        null => entry.Description ?? string.Empty,
        OperationCanceledException => $"no answer within the timeout",
        var ex => $"failed ({ex.GetType().Name})",
    };

    private static string Name(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };
}
