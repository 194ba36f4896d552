using System.Diagnostics;
using System.Diagnostics.Metrics;
using BacklogFunctions.Application.Ingest;
using BacklogFunctions.Domain.Money;

namespace BacklogFunctions.Application.Telemetry;

/// <summary>
/// The program's own spans and metrics, named <see cref="Name"/> for any OpenTelemetry exporter (docs/operations.md
/// says what each one means). Only the runtime's <see cref="ActivitySource"/> and <see cref="Meter"/> are used
/// here: exporters are the host's choice.
/// </summary>
public sealed class BacklogTelemetry
{
    public const string Name = "BacklogFunctions";

    /// <summary>The source of every span the program starts (one per process, as activity sources are).</summary>
    public static readonly ActivitySource Source = new(Name);

    private readonly Counter<long> _events;
    private readonly Histogram<double> _closeMonth;
    private readonly Histogram<double> _closeShard;
    private readonly Histogram<double> _render;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _poisoned;

    public BacklogTelemetry(IMeterFactory meters)
    {
        var meter = meters.Create(Name);
        _events = meter.CreateCounter<long>("backlog.events", "{event}", "Billing events received, by channel and outcome (accepted, duplicate, invalid, conflict)");
        _closeMonth = meter.CreateHistogram<double>("backlog.close.duration", "s", "How long closing one month took in one process, by period");
        _closeShard = meter.CreateHistogram<double>("backlog.close.shard.duration", "s", "How long one shard of a fanned-out close took, by period and shard");
        _render = meter.CreateHistogram<double>("backlog.report.render.duration", "s", "How long rendering and publishing one report took, by period");
        _retries = meter.CreateCounter<long>("backlog.queue.retries", "{message}", "Deliveries that failed and are left to be delivered again, by queue");
        _poisoned = meter.CreateCounter<long>("backlog.queue.poisoned", "{message}", "Messages moved to a poison queue or dead-lettered, by queue");
    }

    public void Ingested(string channel, IngestStatus status) =>
        _events.Add(1, new KeyValuePair<string, object?>("channel", channel), new KeyValuePair<string, object?>("outcome", OutcomeName(status)));

    public void MonthClosed(Period period, TimeSpan took) =>
        _closeMonth.Record(took.TotalSeconds, new KeyValuePair<string, object?>("period", period.ToString()));

    public void ShardRan(Period period, int shard, TimeSpan took) =>
        _closeShard.Record(took.TotalSeconds, new KeyValuePair<string, object?>("period", period.ToString()), new KeyValuePair<string, object?>("shard", shard));

    public void ReportRendered(string period, TimeSpan took) =>
        _render.Record(took.TotalSeconds, new KeyValuePair<string, object?>("period", period));

    public void Retried(string queue) => _retries.Add(1, new KeyValuePair<string, object?>("queue", queue));

    public void Poisoned(string queue) => _poisoned.Add(1, new KeyValuePair<string, object?>("queue", queue));

    public static string OutcomeName(IngestStatus status) => status switch
    {
        IngestStatus.Accepted => "accepted",
        IngestStatus.Duplicate => "duplicate",
        IngestStatus.Conflict => "conflict",
        _ => "invalid",
    };
}
