using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using BacklogFunctions.Application.Ingest;
using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Money;

namespace BacklogFunctions.Application.Tests.InMemory;

/// <summary>
/// The event store port in memory, with the contract of the Table Storage adapter: one (source, id) belongs to the
/// contract that stored it first; the same content again is a duplicate, other content a conflict.
/// </summary>
public sealed class InMemoryEventStore : IEventStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<EventKey, string> _owners = [];
    private readonly SortedDictionary<string, Dictionary<EventKey, StoredEvent>> _contracts = new(StringComparer.Ordinal);

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _contracts.Values.Sum(c => c.Count);
            }
        }
    }

    public Task<AppendOutcome> AppendAsync(StoredEvent stored, CancellationToken cancellationToken) => Task.FromResult(Append(stored));

    public Task<IReadOnlyList<AppendOutcome>> AppendManyAsync(IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<AppendOutcome>>([.. events.Select(Append)]);

    public Task<IReadOnlyList<StoredEvent>> ReadContractAsync(string contractId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<StoredEvent>>(_contracts.TryGetValue(contractId, out var events) ? [.. events.Values] : []);
        }
    }

    public async Task<IReadOnlyList<StoredEvent>> ReadContractAsync(string contractId, IReadOnlyCollection<string> types, CancellationToken cancellationToken) =>
        [.. (await ReadContractAsync(contractId, cancellationToken).ConfigureAwait(false)).Where(e => types.Contains(e.Event.Type))];

    public IAsyncEnumerable<StoredEvent> ReadAllAsync(CancellationToken cancellationToken) => ReadRangeAsync(null, null, cancellationToken);

    public async IAsyncEnumerable<string> ListContractIdsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string[] ids;
        lock (_gate)
        {
            ids = [.. _contracts.Keys];
        }

        foreach (var id in ids)
        {
            await Task.Yield();
            yield return id;
        }
    }

    public async IAsyncEnumerable<StoredEvent> ReadRangeAsync(string? from, string? to, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        StoredEvent[] events;
        lock (_gate)
        {
            events = [.. _contracts
                .Where(c => (from is null || string.CompareOrdinal(c.Key, from) >= 0) && (to is null || string.CompareOrdinal(c.Key, to) < 0))
                .SelectMany(c => c.Value.Values)];
        }

        foreach (var e in events)
        {
            await Task.Yield();
            yield return e;
        }
    }

    /// <summary>How often ingest asked for a contract's currency.</summary>
    public int CurrencyLookups { get; private set; }

    public ValueTask<Currency?> FindCurrencyAsync(string contractId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            CurrencyLookups++;
            var signing = _contracts.TryGetValue(contractId, out var events) ? events.Values.Select(e => e.Event).OfType<ContractSigned>().FirstOrDefault() : null;
            return ValueTask.FromResult(signing?.Currency);
        }
    }

    private AppendOutcome Append(StoredEvent stored)
    {
        var e = stored.Event;
        lock (_gate)
        {
            if (_owners.TryGetValue(e.Key, out var owner) && !string.Equals(owner, e.ContractId, StringComparison.Ordinal))
            {
                return new AppendOutcome(AppendStatus.Conflict, ClaimedByContract: owner);
            }

            _owners[e.Key] = e.ContractId;
            if (!_contracts.TryGetValue(e.ContractId, out var events))
            {
                events = [];
                _contracts.Add(e.ContractId, events);
            }

            if (events.TryGetValue(e.Key, out var existing))
            {
                return new AppendOutcome(
                    string.Equals(existing.PayloadHash, stored.PayloadHash, StringComparison.Ordinal) ? AppendStatus.Duplicate : AppendStatus.Conflict,
                    existing.PayloadHash);
            }

            events.Add(e.Key, stored);
            return new AppendOutcome(AppendStatus.Stored);
        }
    }
}
