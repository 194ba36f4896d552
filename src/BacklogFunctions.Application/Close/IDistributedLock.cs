namespace BacklogFunctions.Application.Close;

/// <summary>
/// One holder at a time across every instance of the program: the close and restatements run under it. A held
/// lock is kept alive while its holder works and is released when the holder disposes it; one whose holder
/// disappears frees itself after a short time.
/// </summary>
public interface IDistributedLock
{
    /// <summary>The lock, or null when another holder has it now.</summary>
    Task<IAsyncDisposable?> TryAcquireAsync(string name, CancellationToken cancellationToken);
}
