using BacklogFunctions.Application.Close;
using BacklogFunctions.Application.Ingest;
using BacklogFunctions.Application.Reports;
using Microsoft.Extensions.DependencyInjection;

namespace BacklogFunctions.Application;

/// <summary>
/// The use cases, for the composition root. They need their ports (from an adapter project), a
/// <see cref="TimeProvider"/> and, for the close, the <see cref="CloseSettings"/> of the host's configuration.
/// </summary>
public static class DependencyInjection
{
    public static IServiceCollection AddBacklogApplication(this IServiceCollection services)
    {
        services.AddSingleton<Telemetry.BacklogTelemetry>();
        services.AddSingleton<EventIngestor>();
        services.AddSingleton<ContractHistories>();
        services.AddSingleton<Consolidation.GroupFigures>();
        services.AddSingleton<Alerts.PlanAndAlerts>();
        services.AddSingleton<PeriodCloser>();
        services.AddSingleton<StoredPeriods>();
        services.AddSingleton<Journal.PeriodJournals>();
        services.AddSingleton<Explain.ContractExplanations>();
        services.AddSingleton<ShardedClose>();
        services.AddSingleton<ReportRenderer>();
        return services;
    }
}
