using BacklogFunctions.Application.Close;
using BacklogFunctions.Application.Telemetry;
using Microsoft.Extensions.Options;

namespace BacklogFunctions.Host.Close;

/// <summary>
/// What a close run did: the months it closed in this process, or (fanned out) the month whose shards it sent.
/// </summary>
public sealed record CloseRun(IReadOnlyList<ClosedPeriod> Closed, Domain.Money.Period? LastEnded, CloseStart? FanOut)
{
    public string Describe() => FanOut is { } f
        ? f.Period is { } p ? $"fanned out {p} to {f.Shards} shard(s), {f.Sent} message(s) sent" : "nothing to close"
        : $"closed {Closed.Count} period(s){(Closed.Count > 0 ? ": " + string.Join(", ", Closed.Select(c => c.Period)) : string.Empty)}";
}

/// <summary>The catch-up close as a schedule starts it.</summary>
public interface ICatchUpClose
{
    /// <summary>Closes what is due; null when another instance is closing.</summary>
    Task<CloseRun?> RunAsync(string trigger, CancellationToken cancellationToken);
}

/// <summary>
/// Runs the catch-up close under a blob lease, so only one close runs at a time across every instance
/// (the Functions timer is a singleton already; the lease covers standalone instances and "close now").
/// </summary>
public sealed partial class CloseRunner(PeriodCloser closer, ShardedClose sharded, IOptions<CloseOptions> options, IDistributedLock closeLock, ILogger<CloseRunner> logger) : ICatchUpClose
{
    /// <summary>The one lock of the close and restatements across every instance.</summary>
    public const string LockName = "month-end-close";

    /// <summary>
    /// Closes every due month in this process, or — with <c>Close:Shards</c> set — starts the fanned-out close
    /// of the next due month (the shards carry on from there). Null when another instance holds the lease.
    /// </summary>
    public async Task<CloseRun?> RunAsync(string trigger, CancellationToken cancellationToken)
    {
        var (acquired, result) = await UnderLeaseAsync(trigger, async token =>
        {
            // One trace per run: the months it closes, or the shards it sends (their messages carry this context).
            using var span = BacklogTelemetry.Source.StartActivity("close run");
            span?.SetTag("backlog.trigger", trigger);
            LogStarting(logger, trigger);
            if (options.Value.Shards > 0)
            {
                var start = await sharded.StartDueAsync(options.Value.Shards, token).ConfigureAwait(false);
                var period = start.Period?.ToString() ?? "nothing";
                LogFannedOut(logger, period, start.Shards, start.Sent);
                return new CloseRun([], start.LastEnded, start);
            }

            var closed = await closer.CloseDueAsync(token).ConfigureAwait(false);
            var lastEnded = closed.LastEnded?.ToString() ?? "-";
            LogFinished(logger, closed.Closed.Count, lastEnded);
            return new CloseRun(closed.Closed, closed.LastEnded, null);
        }, cancellationToken).ConfigureAwait(false);
        return acquired ? result : null;
    }

    /// <summary>Restates a closed period under the same lock as the close.</summary>
    public Task<(bool Acquired, (ClosedPeriod Closed, IReadOnlyList<FigureDifference> Differences)? Result)> RestateAsync(Domain.Money.Period period, CancellationToken cancellationToken) =>
        UnderLeaseAsync("restatement", token => closer.RestateAsync(period, token), cancellationToken);

    private async Task<(bool Acquired, T? Result)> UnderLeaseAsync<T>(string trigger, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        var held = await closeLock.TryAcquireAsync(LockName, cancellationToken).ConfigureAwait(false);
        if (held is null)
        {
            LogBusy(logger, trigger);
            return (false, default);
        }

        await using (held.ConfigureAwait(false))
        {
            return (true, await work(cancellationToken).ConfigureAwait(false));
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Month-end close started ({Trigger})")]
    private static partial void LogStarting(ILogger logger, string trigger);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Month-end close finished: {Closed} period(s) closed, last ended month {LastEnded}")]
    private static partial void LogFinished(ILogger logger, int closed, string lastEnded);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Month-end close fanned out: {Period} in {Shards} shard(s), {Sent} message(s) sent")]
    private static partial void LogFannedOut(ILogger logger, string period, int shards, int sent);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Month-end close ({Trigger}) skipped: another instance holds the lock")]
    private static partial void LogBusy(ILogger logger, string trigger);
}
