using Azure.Storage.Blobs;
using BacklogFunctions.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace BacklogFunctions.Integration.Tests;

/// <summary>The distributed lock of the close, as a blob lease on a real Azurite.</summary>
[Collection(StandaloneCollection.Name)]
public sealed class BlobLeaseLockTests(StandaloneFixture app)
{
    [Fact]
    public async Task One_holder_at_a_time_and_the_lock_is_free_again_once_released()
    {
        var blobs = new BlobServiceClient(app.Azurite.ConnectionString);
        var first = new BlobLeaseLock(blobs, NullLogger<BlobLeaseLock>.Instance);
        var second = new BlobLeaseLock(blobs, NullLogger<BlobLeaseLock>.Instance);
        var name = "test-" + Guid.NewGuid().ToString("N")[..8];

        var held = await first.TryAcquireAsync(name, CancellationToken.None);
        Assert.NotNull(held);
        Assert.Null(await second.TryAcquireAsync(name, CancellationToken.None));
        Assert.NotNull(await second.TryAcquireAsync(name + "-other", CancellationToken.None));

        await held.DisposeAsync();
        var again = await second.TryAcquireAsync(name, CancellationToken.None);
        Assert.NotNull(again);
        await again.DisposeAsync();
    }

    [Fact]
    public async Task Of_many_concurrent_callers_exactly_one_gets_the_lock()
    {
        var blobs = new BlobServiceClient(app.Azurite.ConnectionString);
        var name = "race-" + Guid.NewGuid().ToString("N")[..8];

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => new BlobLeaseLock(blobs, NullLogger<BlobLeaseLock>.Instance).TryAcquireAsync(name, CancellationToken.None)));

        var holder = Assert.Single(results, r => r is not null);
        await holder!.DisposeAsync();
    }
}
