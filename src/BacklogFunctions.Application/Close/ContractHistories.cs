using BacklogFunctions.Application.Ingest;
using BacklogFunctions.Domain.Recognition;

namespace BacklogFunctions.Application.Close;

/// <summary>Every stored contract as a history the engine can replay.</summary>
public sealed class ContractHistories(IEventStore events)
{
    /// <summary>One scan of the event store, grouped by contract.</summary>
    public Task<(IReadOnlyList<ContractHistory> Contracts, int Events)> LoadAsync(CancellationToken cancellationToken) =>
        GroupAsync(events.ReadAllAsync(cancellationToken));

    /// <summary>The contracts whose id is in [<paramref name="from"/>, <paramref name="to"/>): one range scan.</summary>
    public Task<(IReadOnlyList<ContractHistory> Contracts, int Events)> LoadRangeAsync(string? from, string? to, CancellationToken cancellationToken) =>
        GroupAsync(events.ReadRangeAsync(from, to, cancellationToken));

    private static async Task<(IReadOnlyList<ContractHistory> Contracts, int Events)> GroupAsync(IAsyncEnumerable<StoredEvent> stored)
    {
        var byContract = new Dictionary<string, List<Domain.Events.ContractEvent>>(StringComparer.Ordinal);
        var count = 0;
        await foreach (var e in stored.ConfigureAwait(false))
        {
            count++;
            if (!byContract.TryGetValue(e.Event.ContractId, out var list))
            {
                list = [];
                byContract.Add(e.Event.ContractId, list);
            }

            list.Add(e.Event);
        }

        var contracts = byContract.Select(c => ContractHistory.Create(c.Key, c.Value)).ToList();
        contracts.Sort((a, b) => string.CompareOrdinal(a.ContractId, b.ContractId));
        return (contracts, count);
    }

    /// <summary>The day of the earliest signing stored, or null when no contract is signed.</summary>
    public async Task<DateOnly?> FirstSigningAsync(CancellationToken cancellationToken)
    {
        var (contracts, _) = await LoadAsync(cancellationToken).ConfigureAwait(false);
        return contracts.Where(c => c.Signing is not null).Select(c => (DateOnly?)c.Signing!.SignedDate).Min();
    }

    /// <summary>Every known contract id, in ordinal order.</summary>
    public async Task<IReadOnlyList<string>> ContractIdsAsync(CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        await foreach (var id in events.ListContractIdsAsync(cancellationToken).ConfigureAwait(false))
        {
            ids.Add(id);
        }

        ids.Sort(StringComparer.Ordinal);
        return ids;
    }
}
