using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Application.Close;

/// <summary>A closed (locked) period version.</summary>
public sealed record ClosedPeriod(Period Period, int Version, DateTimeOffset ClosedAt, int Contracts, int Events, SnapshotOptions Options);

/// <summary>One contract's stored money figures of a closed version.</summary>
public sealed record ContractFigures(Currency Currency, Figures Figures);

/// <summary>What is stored of closed periods, for everything that reads it: the API, the report page, report rendering.</summary>
public interface ISnapshotQueries
{
    /// <summary>The latest closed version of every closed period, oldest first.</summary>
    Task<IReadOnlyList<ClosedPeriod>> ListClosedAsync(CancellationToken cancellationToken);

    Task<ClosedPeriod?> FindClosedAsync(Period period, CancellationToken cancellationToken);

    /// <summary>All closed versions of a period, oldest first.</summary>
    Task<IReadOnlyList<ClosedPeriod>> ListVersionsAsync(Period period, CancellationToken cancellationToken);

    /// <summary>Every stored contract row of a version, read back as contract snapshots.</summary>
    Task<IReadOnlyList<ContractSnapshot>> ReadContractSnapshotsAsync(Period period, int version, CancellationToken cancellationToken);

    /// <summary>Each contract's stored closing of a closed version: where the next period opens.</summary>
    Task<IReadOnlyDictionary<string, LockedClosing>> ReadLockedClosingsAsync(Period period, int version, CancellationToken cancellationToken);

    /// <summary>The stored snapshot document (as <c>backlog snapshot --format json</c> writes it, without contracts), or null.</summary>
    Task<StoredSnapshot?> ReadSnapshotDocumentAsync(Period period, int version, CancellationToken cancellationToken);

    /// <summary>Every contract's stored money figures of a version, by contract id.</summary>
    Task<IReadOnlyDictionary<string, ContractFigures>> ReadContractFiguresAsync(Period period, int version, CancellationToken cancellationToken);

    /// <summary>What the restatement that wrote this version changed; null when none was recorded (the first version).</summary>
    Task<IReadOnlyList<FigureDifference>?> ReadDifferencesAsync(Period period, int version, CancellationToken cancellationToken);

    /// <summary>One contract's stored row, or null.</summary>
    Task<Presentation.ContractRow?> ReadContractAsync(Period period, int version, string contractId, CancellationToken cancellationToken);
}

/// <summary>
/// A stored snapshot document, read, and its bytes as stored: the manifest (<c>snapshotSha256</c>) and the board
/// pack show their SHA-256.
/// </summary>
public sealed record StoredSnapshot(Presentation.SnapshotDocument Document, byte[] Bytes);

/// <summary>What the close writes, in its order: rows, the document, differences of a restatement, then the closed marker.</summary>
public interface ICloseWriter
{
    /// <summary>Writes every row and the snapshot document of one version; repeating it gives the same rows.</summary>
    Task WriteAsync(Snapshot snapshot, int version, CancellationToken cancellationToken);

    /// <summary>Writes (or overwrites) the rows of some contracts of one version: what a shard of the close writes.</summary>
    Task WriteContractsAsync(Period period, int version, IReadOnlyList<ContractSnapshot> contracts, CancellationToken cancellationToken);

    /// <summary>Writes the snapshot document (totals) of one version.</summary>
    Task WriteDocumentAsync(Snapshot snapshot, int version, CancellationToken cancellationToken);

    /// <summary>Keeps what a restatement changed next to the new version.</summary>
    Task WriteDifferencesAsync(Period period, int version, IReadOnlyList<FigureDifference> differences, CancellationToken cancellationToken);

    /// <summary>Marks the version closed. Called only after its rows and document are written.</summary>
    Task MarkClosedAsync(ClosedPeriod closed, CancellationToken cancellationToken);
}

/// <summary>Both sides, for the use cases that close periods (they read back what they and earlier closes wrote).</summary>
public interface ISnapshotStore : ISnapshotQueries, ICloseWriter;

/// <summary>One figure of one contract that a restatement changed.</summary>
public sealed record FigureDifference(string ContractId, string Currency, string Figure, decimal Before, decimal After);

/// <summary>Hands a closed period version over to report rendering (a queue message the report step consumes).</summary>
public interface IReportRequests
{
    Task RequestAsync(ClosedPeriod closed, CancellationToken cancellationToken);
}

/// <summary>One shard of a fanned-out close: the contracts of one range of contract ids (see <see cref="CloseJob"/>).</summary>
public sealed record CloseShardMessage(Period Period, int Version, int Shard, int Shards)
{
    /// <summary>The most shards a close fans out to.</summary>
    public const int MaxShards = 16;
}

/// <summary>
/// A fanned-out close of one period version: how many shards, with which policies, started when. Shard i
/// takes the contract ids from <c>Boundaries[i − 1]</c> (inclusive; from the first id for shard 0) to
/// <c>Boundaries[i]</c> (exclusive; to the last id for the last shard), so every contract, even one that
/// arrives during the close, is in exactly one shard, and each shard reads its events with one range scan.
/// </summary>
public sealed record CloseJob(Period Period, int Version, int Shards, DateTimeOffset StartedAt, SnapshotOptions Options, IReadOnlyList<string> Boundaries)
{
    /// <summary>Shards of about the same number of contracts: <paramref name="shards"/> − 1 ids from the sorted list.</summary>
    public static IReadOnlyList<string> BoundariesOf(IReadOnlyList<string> sortedContractIds, int shards) =>
        Enumerable.Range(1, shards - 1).Select(k => sortedContractIds.Count == 0 ? string.Empty : sortedContractIds[(int)((long)k * sortedContractIds.Count / shards)]).ToList();

    /// <summary>The id range of one shard: [From, To), null for no bound.</summary>
    public (string? From, string? To) RangeOf(int shard) =>
        (shard == 0 ? null : Boundaries[shard - 1], shard == Shards - 1 ? null : Boundaries[shard]);
}

/// <summary>A shard that has written every one of its contract rows, with the waterfall of its contracts.</summary>
public sealed record CompletedShard(int Shard, int Contracts, int Events, IReadOnlyList<Waterfall> Waterfalls);

/// <summary>The bookkeeping of fanned-out closes (which shards are done), next to the closed markers.</summary>
public interface ICloseJobs
{
    /// <summary>Records the job; false when it was recorded already (by this or another instance).</summary>
    Task<bool> TryStartAsync(CloseJob job, CancellationToken cancellationToken);

    Task<CloseJob?> FindJobAsync(Period period, int version, CancellationToken cancellationToken);

    /// <summary>Records a shard as done (again, when it was redelivered) and answers every shard done so far.</summary>
    Task<IReadOnlyList<CompletedShard>> CompleteShardAsync(Period period, int version, CompletedShard shard, CancellationToken cancellationToken);

    Task<IReadOnlyList<CompletedShard>> ListCompletedAsync(Period period, int version, CancellationToken cancellationToken);
}

/// <summary>Sends shard work to whoever listens on the <c>close-shards</c> queue.</summary>
public interface ICloseShardQueue
{
    Task SendAsync(IReadOnlyList<CloseShardMessage> messages, CancellationToken cancellationToken);
}
