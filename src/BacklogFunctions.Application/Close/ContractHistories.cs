using BacklogFunctions.Application.Ingest;
using BacklogFunctions.Domain.Recognition;

namespace BacklogFunctions.Application.Close;

/// <summary>Every stored contract as a history the engine can replay.</summary>
public sealed class ContractHistories(IEventStore events)
{
    /// <summary>One scan of the event store, grouped by contract.</summary>
    public async Task<(IReadOnlyList<ContractHistory> Contracts, int Events)> LoadAsync(CancellationToken cancellationToken)
    {
        var byContract = new Dictionary<string, List<Domain.Events.ContractEvent>>(StringComparer.Ordinal);
        var count = 0;
        await foreach (var stored in events.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            count++;
            if (!byContract.TryGetValue(stored.Event.ContractId, out var list))
            {
                list = [];
                byContract.Add(stored.Event.ContractId, list);
            }

            list.Add(stored.Event);
        }

        return (Histories(byContract), count);
    }

    /// <summary>
    /// The contracts of one close shard. One shard of one is every contract, read with one scan; otherwise the
    /// shard lists its contracts from the index and reads their partitions, several at a time.
    /// </summary>
    public async Task<(IReadOnlyList<ContractHistory> Contracts, int Events)> LoadShardAsync(int shard, int shards, CancellationToken cancellationToken)
    {
        if (shards == 1)
        {
            return await LoadAsync(cancellationToken).ConfigureAwait(false);
        }

        var ids = new List<string>();
        await foreach (var id in events.ListContractsAsync(shard, shards, cancellationToken).ConfigureAwait(false))
        {
            ids.Add(id);
        }

        var byContract = new System.Collections.Concurrent.ConcurrentDictionary<string, List<Domain.Events.ContractEvent>>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(
            ids,
            new ParallelOptions { MaxDegreeOfParallelism = PartitionReads, CancellationToken = cancellationToken },
            async (id, token) => byContract[id] = (await events.ReadContractAsync(id, token).ConfigureAwait(false)).Select(e => e.Event).ToList()).ConfigureAwait(false);
        var contracts = byContract.Where(c => c.Value.Count > 0).ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
        return (Histories(contracts), contracts.Values.Sum(c => c.Count));
    }

    /// <summary>The day of the earliest signing stored, or null when no contract is signed.</summary>
    public async Task<DateOnly?> FirstSigningAsync(CancellationToken cancellationToken)
    {
        var (contracts, _) = await LoadAsync(cancellationToken).ConfigureAwait(false);
        return contracts.Where(c => c.Signing is not null).Select(c => (DateOnly?)c.Signing!.SignedDate).Min();
    }

    /// <summary>Contract partitions read at once by a shard.</summary>
    private const int PartitionReads = 16;

    private static List<ContractHistory> Histories(IReadOnlyDictionary<string, List<Domain.Events.ContractEvent>> byContract)
    {
        var contracts = byContract.Select(c => ContractHistory.Create(c.Key, c.Value)).ToList();
        contracts.Sort((a, b) => string.CompareOrdinal(a.ContractId, b.ContractId));
        return contracts;
    }
}
