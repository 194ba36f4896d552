using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using BacklogFunctions.Application.Close;
using Microsoft.Extensions.Logging;

namespace BacklogFunctions.Storage;

/// <summary>
/// <see cref="IDistributedLock"/> as a blob lease: one blob per lock name in the <c>locks</c> container, leased for
/// 60 seconds and renewed every 20 while held, so a holder that dies frees the lock within a minute.
/// </summary>
public sealed partial class BlobLeaseLock(BlobServiceClient blobs, ILogger<BlobLeaseLock> logger) : IDistributedLock
{
    public const string ContainerName = "locks";

    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(60);

    /// <summary>Lock blobs known to exist: the container and blob are made once per name and process, not per run.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _prepared = new(StringComparer.Ordinal);

    public async Task<IAsyncDisposable?> TryAcquireAsync(string name, CancellationToken cancellationToken)
    {
        var container = blobs.GetBlobContainerClient(ContainerName);
        var blob = container.GetBlobClient(name);
        if (!_prepared.ContainsKey(name))
        {
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            await CreateBlobAsync(blob, name, cancellationToken).ConfigureAwait(false);
            _prepared[name] = true;
        }

        var lease = blob.GetBlobLeaseClient();
        try
        {
            await lease.AcquireAsync(LeaseDuration, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.LeaseAlreadyPresent)
        {
            return null;
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.BlobNotFound || ex.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            // Someone removed the lock blob: the next attempt makes it again.
            _prepared.TryRemove(name, out _);
            throw;
        }

        return new Held(lease, logger);
    }

    private static async Task CreateBlobAsync(BlobClient blob, string name, CancellationToken cancellationToken)
    {
        if (!(await blob.ExistsAsync(cancellationToken).ConfigureAwait(false)).Value)
        {
            try
            {
                await blob.UploadAsync(BinaryData.FromString($"{name} lock"), overwrite: false, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.BlobAlreadyExists || ex.ErrorCode == BlobErrorCode.LeaseIdMissing)
            {
                // Another instance created it first (and may hold its lease already).
            }
        }
    }

    private sealed partial class Held : IAsyncDisposable
    {
        private readonly BlobLeaseClient _lease;
        private readonly ILogger _logger;
        private readonly CancellationTokenSource _renewal = new();
        private readonly Task _renewing;

        public Held(BlobLeaseClient lease, ILogger logger)
        {
            _lease = lease;
            _logger = logger;
            _renewing = RenewAsync(lease, _renewal.Token);
        }

        public async ValueTask DisposeAsync()
        {
            await _renewal.CancelAsync().ConfigureAwait(false);
            await _renewing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _renewal.Dispose();
            try
            {
                await _lease.ReleaseAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
            }
            catch (RequestFailedException ex)
            {
                // The lease expired on its own (storage was away): it frees itself, and the holder's own error matters more.
                LogReleaseFailed(_logger, _lease.Uri.AbsolutePath, ex.Status);
            }
        }

        [LoggerMessage(EventId = 8001, Level = LogLevel.Warning, Message = "Releasing the lock {Lock} failed (status {Status}); it expires by itself")]
        private static partial void LogReleaseFailed(ILogger logger, string @lock, int status);

        private static async Task RenewAsync(BlobLeaseClient lease, CancellationToken cancellationToken)
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(LeaseDuration / 3, cancellationToken).ConfigureAwait(false);
                await lease.RenewAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
