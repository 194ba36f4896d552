using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Application.Close;

/// <summary>A closed (locked) period version.</summary>
public sealed record ClosedPeriod(Period Period, int Version, DateTimeOffset ClosedAt, int Contracts, int Events, SnapshotOptions Options);

/// <summary>Stored month-end snapshots: per-contract rows, the whole snapshot document, and the closed marker.</summary>
public interface ISnapshotStore
{
    /// <summary>The latest closed version of every closed period, oldest first.</summary>
    Task<IReadOnlyList<ClosedPeriod>> ListClosedAsync(CancellationToken cancellationToken);

    Task<ClosedPeriod?> FindClosedAsync(Period period, CancellationToken cancellationToken);

    /// <summary>Writes every row and the snapshot document of one version; repeating it gives the same rows.</summary>
    Task WriteAsync(Snapshot snapshot, int version, CancellationToken cancellationToken);

    /// <summary>Marks the version closed. Called only after <see cref="WriteAsync"/> completed.</summary>
    Task MarkClosedAsync(ClosedPeriod closed, CancellationToken cancellationToken);

    /// <summary>Each contract's stored closing of a closed version: where the next period opens.</summary>
    Task<IReadOnlyDictionary<string, LockedClosing>> ReadLockedClosingsAsync(Period period, int version, CancellationToken cancellationToken);

    /// <summary>The stored snapshot document (JSON, as <c>backlog snapshot --format json</c> writes it).</summary>
    Task<byte[]?> ReadSnapshotDocumentAsync(Period period, int version, CancellationToken cancellationToken);

    /// <summary>One contract's stored figures (JSON), or null.</summary>
    Task<string?> ReadContractAsync(Period period, int version, string contractId, CancellationToken cancellationToken);
}
