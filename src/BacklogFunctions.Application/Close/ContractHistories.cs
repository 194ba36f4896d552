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

        var contracts = byContract.Select(c => ContractHistory.Create(c.Key, c.Value)).ToList();
        contracts.Sort((a, b) => string.CompareOrdinal(a.ContractId, b.ContractId));
        return (contracts, count);
    }
}
