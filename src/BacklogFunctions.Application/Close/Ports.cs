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

    /// <summary>Every contract's stored money figures of a version: contract id → (currency, figure name → amount).</summary>
    Task<IReadOnlyDictionary<string, (string Currency, IReadOnlyDictionary<string, decimal> Figures)>> ReadContractFiguresAsync(Period period, int version, CancellationToken cancellationToken);

    /// <summary>Keeps what a restatement changed next to the new version.</summary>
    Task WriteDifferencesAsync(Period period, int version, IReadOnlyList<FigureDifference> differences, CancellationToken cancellationToken);

    Task<byte[]?> ReadDifferencesAsync(Period period, int version, CancellationToken cancellationToken);

    /// <summary>All closed versions of a period, oldest first.</summary>
    Task<IReadOnlyList<ClosedPeriod>> ListVersionsAsync(Period period, CancellationToken cancellationToken);

    /// <summary>One contract's stored figures (JSON), or null.</summary>
    Task<string?> ReadContractAsync(Period period, int version, string contractId, CancellationToken cancellationToken);
}

/// <summary>One figure of one contract that a restatement changed.</summary>
public sealed record FigureDifference(string ContractId, string Currency, string Figure, decimal Before, decimal After);

/// <summary>Hands a closed period version over to report rendering (a queue message the report step consumes).</summary>
public interface IReportRequests
{
    Task RequestAsync(ClosedPeriod closed, CancellationToken cancellationToken);
}
