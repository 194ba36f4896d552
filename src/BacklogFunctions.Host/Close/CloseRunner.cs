using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using BacklogFunctions.Application.Close;

namespace BacklogFunctions.Host.Close;

/// <summary>
/// Runs the catch-up close under a blob lease, so only one close runs at a time across every instance
/// (the Functions timer is a singleton already; the lease covers standalone instances and "close now").
/// </summary>
public sealed partial class CloseRunner(PeriodCloser closer, BlobServiceClient blobs, ILogger<CloseRunner> logger)
{
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(60);

    /// <summary>Null when another instance holds the lease.</summary>
    public async Task<CloseResult?> RunAsync(string trigger, CancellationToken cancellationToken)
    {
        var (acquired, result) = await UnderLeaseAsync(trigger, async token =>
        {
            LogStarting(logger, trigger);
            var closed = await closer.CloseDueAsync(token).ConfigureAwait(false);
            var lastEnded = closed.LastEnded?.ToString() ?? "-";
            LogFinished(logger, closed.Closed.Count, lastEnded);
            return closed;
        }, cancellationToken).ConfigureAwait(false);
        return acquired ? result : null;
    }

    /// <summary>Restates a closed period under the same lock as the close.</summary>
    public Task<(bool Acquired, (ClosedPeriod Closed, IReadOnlyList<FigureDifference> Differences)? Result)> RestateAsync(Domain.Money.Period period, CancellationToken cancellationToken) =>
        UnderLeaseAsync("restatement", token => closer.RestateAsync(period, token), cancellationToken);

    private async Task<(bool Acquired, T? Result)> UnderLeaseAsync<T>(string trigger, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        var container = blobs.GetBlobContainerClient("locks");
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var blob = container.GetBlobClient("month-end-close");
        if (!(await blob.ExistsAsync(cancellationToken).ConfigureAwait(false)).Value)
        {
            try
            {
                await blob.UploadAsync(BinaryData.FromString("month-end close lock"), overwrite: false, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Another instance created it first.
            }
        }

        var lease = blob.GetBlobLeaseClient();
        try
        {
            await lease.AcquireAsync(LeaseDuration, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            LogBusy(logger, trigger);
            return (false, default);
        }

        using var renewal = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var renewing = RenewAsync(lease, renewal.Token);
        try
        {
            return (true, await work(cancellationToken).ConfigureAwait(false));
        }
        finally
        {
            await renewal.CancelAsync().ConfigureAwait(false);
            await renewing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            try
            {
                await lease.ReleaseAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
            }
            catch (RequestFailedException ex)
            {
                // The lease expired on its own (storage was away): it frees itself, and the run's own error matters more.
                LogReleaseFailed(logger, ex.Status);
            }
        }
    }

    private static async Task RenewAsync(BlobLeaseClient lease, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(LeaseDuration / 3, cancellationToken).ConfigureAwait(false);
            await lease.RenewAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Month-end close started ({Trigger})")]
    private static partial void LogStarting(ILogger logger, string trigger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Month-end close finished: {Closed} period(s) closed, last ended month {LastEnded}")]
    private static partial void LogFinished(ILogger logger, int closed, string lastEnded);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Releasing the close lock failed (status {Status}); it expires by itself")]
    private static partial void LogReleaseFailed(ILogger logger, int status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Month-end close ({Trigger}) skipped: another instance holds the lock")]
    private static partial void LogBusy(ILogger logger, string trigger);
}
