using BacklogFunctions.Application.Close;
using BacklogFunctions.Application.Presentation;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Application.Tests.InMemory;

/// <summary>
/// Closed periods and close jobs in memory. Contract rows and documents go through the same presentation JSON the
/// Table and Blob adapter stores, so what the use cases read back is what they would read back from Azure.
/// </summary>
public sealed class InMemorySnapshotStore : ISnapshotStore, ICloseJobs
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(Period, int), SortedDictionary<string, string>> _rows = [];
    private readonly Dictionary<(Period, int), byte[]> _documents = [];
    private readonly Dictionary<(Period, int), IReadOnlyList<FigureDifference>> _differences = [];
    private readonly Dictionary<Period, List<ClosedPeriod>> _versions = [];
    private readonly Dictionary<(Period, int), CloseJob> _jobs = [];
    private readonly Dictionary<(Period, int), SortedDictionary<int, CompletedShard>> _shards = [];

    /// <summary>How many times a contract row was written (rewrites of a redelivered shard included).</summary>
    public int RowWrites { get; private set; }

    public Task<IReadOnlyList<ClosedPeriod>> ListClosedAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<ClosedPeriod>>([.. _versions.Values.Select(v => v[^1]).OrderBy(c => c.Period)]);
        }
    }

    public Task<ClosedPeriod?> FindClosedAsync(Period period, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_versions.TryGetValue(period, out var versions) ? versions[^1] : null);
        }
    }

    public async Task WriteAsync(Snapshot snapshot, int version, CancellationToken cancellationToken)
    {
        await WriteContractsAsync(snapshot.Period!.Value, version, snapshot.Contracts, cancellationToken);
        await WriteDocumentAsync(snapshot, version, cancellationToken);
    }

    public Task WriteContractsAsync(Period period, int version, IReadOnlyList<ContractSnapshot> contracts, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_rows.TryGetValue((period, version), out var rows))
            {
                rows = new SortedDictionary<string, string>(StringComparer.Ordinal);
                _rows.Add((period, version), rows);
            }

            foreach (var contract in contracts)
            {
                rows[contract.ContractId] = ContractSnapshotJson.Write(contract);
                RowWrites++;
            }
        }

        return Task.CompletedTask;
    }

    public Task WriteDocumentAsync(Snapshot snapshot, int version, CancellationToken cancellationToken)
    {
        using var document = new MemoryStream();
        SnapshotJson.Write(document, snapshot with { Contracts = [] });
        lock (_gate)
        {
            _documents[(snapshot.Period!.Value, version)] = document.ToArray();
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ContractSnapshot>> ReadContractSnapshotsAsync(Period period, int version, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ContractSnapshot>>([.. Rows(period, version).Values.Select(ContractSnapshotJson.Read)]);

    public Task MarkClosedAsync(ClosedPeriod closed, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_versions.TryGetValue(closed.Period, out var versions))
            {
                versions = [];
                _versions.Add(closed.Period, versions);
            }

            versions.RemoveAll(v => v.Version == closed.Version);
            versions.Add(closed);
            versions.Sort((a, b) => a.Version.CompareTo(b.Version));
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyDictionary<string, LockedClosing>> ReadLockedClosingsAsync(Period period, int version, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, LockedClosing>>(
            Rows(period, version).ToDictionary(r => r.Key, r => LockedClosing.Of(ContractSnapshotJson.Read(r.Value)), StringComparer.Ordinal));

    public Task<StoredSnapshot?> ReadSnapshotDocumentAsync(Period period, int version, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_documents.GetValueOrDefault((period, version)) is { } bytes ? new StoredSnapshot(SnapshotJson.ReadSnapshot(bytes), bytes) : null);
        }
    }

    public Task<IReadOnlyDictionary<string, ContractFigures>> ReadContractFiguresAsync(Period period, int version, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, ContractFigures>>(
            Rows(period, version).ToDictionary(
                r => r.Key,
                r =>
                {
                    var contract = ContractSnapshotJson.Read(r.Value);
                    return new ContractFigures(contract.Currency, contract.Figures);
                },
                StringComparer.Ordinal));

    public Task WriteDifferencesAsync(Period period, int version, IReadOnlyList<FigureDifference> differences, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _differences[(period, version)] = differences;
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<FigureDifference>?> ReadDifferencesAsync(Period period, int version, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_differences.GetValueOrDefault((period, version)));
        }
    }

    /// <summary>What a restatement recorded, as the use case handed it over.</summary>
    public IReadOnlyList<FigureDifference> DifferencesOf(Period period, int version)
    {
        lock (_gate)
        {
            return _differences.GetValueOrDefault((period, version)) ?? [];
        }
    }

    public Task<IReadOnlyList<ClosedPeriod>> ListVersionsAsync(Period period, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<ClosedPeriod>>(_versions.TryGetValue(period, out var versions) ? [.. versions] : []);
        }
    }

    public Task<ContractRow?> ReadContractAsync(Period period, int version, string contractId, CancellationToken cancellationToken) =>
        Task.FromResult(Rows(period, version).GetValueOrDefault(contractId) is { } json ? StoredJson.ReadContractRow(json) : null);

    public Task<bool> TryStartAsync(CloseJob job, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_jobs.TryAdd((job.Period, job.Version), job));
        }
    }

    public Task<CloseJob?> FindJobAsync(Period period, int version, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_jobs.GetValueOrDefault((period, version)));
        }
    }

    public async Task<IReadOnlyList<CompletedShard>> CompleteShardAsync(Period period, int version, CompletedShard shard, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_shards.TryGetValue((period, version), out var shards))
            {
                shards = [];
                _shards.Add((period, version), shards);
            }

            shards[shard.Shard] = shard;
        }

        return await ListCompletedAsync(period, version, cancellationToken);
    }

    public Task<IReadOnlyList<CompletedShard>> ListCompletedAsync(Period period, int version, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<CompletedShard>>(_shards.TryGetValue((period, version), out var shards) ? [.. shards.Values] : []);
        }
    }

    private SortedDictionary<string, string> Rows(Period period, int version)
    {
        lock (_gate)
        {
            return new SortedDictionary<string, string>(_rows.GetValueOrDefault((period, version)) ?? [], StringComparer.Ordinal);
        }
    }
}
