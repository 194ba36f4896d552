using Cronos;
using Microsoft.Extensions.Options;

namespace BacklogFunctions.Host.Close;

/// <summary>Standalone mode: runs the catch-up close on the cron schedule, with time from the injected clock.</summary>
public sealed partial class CloseScheduler(ICatchUpClose runner, IOptions<CloseOptions> options, TimeProvider clock, ILogger<CloseScheduler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var schedule = CronExpression.Parse(options.Value.Schedule);

        // A first run at start-up catches up whatever was missed while nothing was running.
        await RunOnceAsync("start-up catch-up", stoppingToken).ConfigureAwait(false);
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = clock.GetUtcNow();
            var next = schedule.GetNextOccurrence(now.UtcDateTime, TimeZoneInfo.Utc);
            if (next is null)
            {
                return;
            }

            await Task.Delay(next.Value - now.UtcDateTime, clock, stoppingToken).ConfigureAwait(false);
            await RunOnceAsync("schedule", stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task RunOnceAsync(string trigger, CancellationToken cancellationToken)
    {
        try
        {
            await runner.RunAsync(trigger, cancellationToken).ConfigureAwait(false);
        }
        catch (Azure.RequestFailedException ex)
        {
            // Storage trouble: the next occurrence catches up.
            LogFailed(logger, ex.Status);
        }
        catch (InvalidDataException ex)
        {
            // A stored event no longer reads: nothing is closed until it is repaired, and the program keeps serving.
            LogUnreadable(logger, ex.Message);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Anything else fails this run only: the schedule goes on, and the next run catches up.
            LogRunFailed(logger, ex, trigger);
        }
    }

    [LoggerMessage(EventId = 3011, Level = LogLevel.Error, Message = "Month-end close run ({Trigger}) failed; the schedule goes on and the next run catches up")]
    private static partial void LogRunFailed(ILogger logger, Exception exception, string trigger);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Warning, Message = "Month-end close failed (storage status {Status}); the next run catches up")]
    private static partial void LogFailed(ILogger logger, int status);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Error, Message = "Month-end close stopped: {Problem}")]
    private static partial void LogUnreadable(ILogger logger, string problem);
}
