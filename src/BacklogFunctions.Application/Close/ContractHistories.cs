using BacklogFunctions.Application.Ingest;
using BacklogFunctions.Domain.Recognition;

namespace BacklogFunctions.Application.Close;

/// <summary>Every stored contract as a history the engine can replay.</summary>
public sealed class ContractHistories(IEventStore events)
{
    public async Task<(IReadOnlyList<ContractHistory> Contracts, int Events)> LoadAsync(CancellationToken cancellationToken)
    {
        var contracts = new List<ContractHistory>();
        var count = 0;
        await foreach (var contractId in events.ListContractIdsAsync(cancellationToken).ConfigureAwait(false))
        {
            var stored = await events.ReadContractAsync(contractId, cancellationToken).ConfigureAwait(false);
            count += stored.Count;
            contracts.Add(ContractHistory.Create(contractId, stored.Select(s => s.Event)));
        }

        contracts.Sort((a, b) => string.CompareOrdinal(a.ContractId, b.ContractId));
        return (contracts, count);
    }
}
