using System.Diagnostics;
using BacklogFunctions.Application.Close;
using BacklogFunctions.Application.Messages;
using BacklogFunctions.Application.Telemetry;
using BacklogFunctions.Host.Reports;

namespace BacklogFunctions.Host.Telemetry;

/// <summary>
/// A close shard and a report render as every host runs them (standalone listener or Functions invocation): one
/// span each, timed. Each span continues the trace its message carries, so one close is one trace across the
/// <c>close-shards</c> and <c>report-requests</c> queues; the invocation that delivered it is kept as a link.
/// </summary>
public sealed class TracedWork(ShardedClose close, ReportRequests reports, BacklogTelemetry telemetry, TimeProvider clock)
{
    public async Task<ShardOutcome> RunShardAsync(CloseShardMessage message, string? traceParent, CancellationToken cancellationToken)
    {
        using var span = StartConsumer("close shard", traceParent);
        span?.SetTag("backlog.period", message.Period.ToString());
        span?.SetTag("backlog.shard", message.Shard);
        span?.SetTag("backlog.shards", message.Shards);
        var started = clock.GetTimestamp();
        var outcome = await close.RunShardAsync(message, cancellationToken).ConfigureAwait(false);
        telemetry.ShardRan(message.Period, message.Shard, clock.GetElapsedTime(started));
        if (outcome.Closed is { } closed)
        {
            span?.SetTag("backlog.closed", $"{closed.Period} v{closed.Version}");
        }

        return outcome;
    }

    /// <summary>A span that continues the trace a message carries, linked to the delivery that brought it.</summary>
    private static Activity? StartConsumer(string name, string? traceParent)
    {
        var delivery = Activity.Current?.Context;
        var parent = ActivityContext.TryParse(traceParent, null, isRemote: true, out var sent) ? sent : default;
        return BacklogTelemetry.Source.StartActivity(name, ActivityKind.Consumer, parent, links: delivery is { } d && parent != default ? [new ActivityLink(d)] : null);
    }

    public async Task<ReportRequestResult> RenderAsync(string body, CancellationToken cancellationToken)
    {
        var period = QueueMessages.TryRead(body, out ReportRequestMessage? request, out var traceParent, out _) ? request!.Period.ToString() : "invalid";
        using var span = StartConsumer("render report", traceParent);
        span?.SetTag("backlog.period", period);
        var started = clock.GetTimestamp();
        var result = await reports.HandleAsync(body, cancellationToken).ConfigureAwait(false);
        telemetry.ReportRendered(period, clock.GetElapsedTime(started));
        if (!result.Rendered)
        {
            span?.SetStatus(ActivityStatusCode.Error, "not rendered");
        }

        return result;
    }
}
