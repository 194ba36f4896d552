using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Money;

namespace BacklogFunctions.Application.Ingest;

/// <summary>How an event reached the product.</summary>
public static class Channels
{
    public const string Webhook = "webhook";
    public const string Queue = "queue";
    public const string ServiceBus = "servicebus";
}

/// <summary>An accepted event as it is kept: the event, its raw body, its content hash, and when and how it came.</summary>
public sealed record StoredEvent(ContractEvent Event, string RawJson, string PayloadHash, string Channel, DateTimeOffset ReceivedAt);

public enum AppendStatus
{
    /// <summary>New: stored now.</summary>
    Stored,

    /// <summary>The same event was already stored: nothing changed.</summary>
    Duplicate,

    /// <summary>An event with the same id but other content is stored: nothing changed.</summary>
    Conflict,
}

/// <param name="Status">What happened.</param>
/// <param name="ExistingHash">The stored event's content hash, for a duplicate or a conflict.</param>
/// <param name="ClaimedByContract">For a conflict across contracts: the contract that holds the (source, id) key.</param>
public sealed record AppendOutcome(AppendStatus Status, string? ExistingHash = null, string? ClaimedByContract = null);

/// <summary>The append-only store of accepted events, one partition per contract.</summary>
public interface IEventStore
{
    /// <summary>Stores the event unless its id is already stored; durable when it returns.</summary>
    Task<AppendOutcome> AppendAsync(StoredEvent stored, CancellationToken cancellationToken);

    /// <summary>Stores events of one or more contracts, in as few round trips as the store's limits allow.</summary>
    Task<IReadOnlyList<AppendOutcome>> AppendManyAsync(IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken);

    /// <summary>Every stored event of a contract (in no particular order).</summary>
    Task<IReadOnlyList<StoredEvent>> ReadContractAsync(string contractId, CancellationToken cancellationToken);

    /// <summary>The stored events of a contract whose type is one of <paramref name="types"/> (in no particular order).</summary>
    Task<IReadOnlyList<StoredEvent>> ReadContractAsync(string contractId, IReadOnlyCollection<string> types, CancellationToken cancellationToken);

    /// <summary>Every stored event of every contract, contract by contract (one scan of the store).</summary>
    IAsyncEnumerable<StoredEvent> ReadAllAsync(CancellationToken cancellationToken);

    /// <summary>Every contract id the store knows (from the contract index; in no particular order).</summary>
    IAsyncEnumerable<string> ListContractIdsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Every stored event of the contracts whose id is at least <paramref name="from"/> and below
    /// <paramref name="to"/> (ordinal; null for no bound): one range scan.
    /// </summary>
    IAsyncEnumerable<StoredEvent> ReadRangeAsync(string? from, string? to, CancellationToken cancellationToken);

    /// <summary>The currency of a contract once its signing is stored.</summary>
    ValueTask<Currency?> FindCurrencyAsync(string contractId, CancellationToken cancellationToken);
}

/// <summary>An event that can never be accepted, kept with its reason and original body for follow-up.</summary>
public sealed record RejectedEvent(string Channel, DateTimeOffset ReceivedAt, string? EventId, string? ContractId, string Reason, string Body);

public interface IRejectedEventStore
{
    Task RecordAsync(RejectedEvent rejected, CancellationToken cancellationToken);

    IAsyncEnumerable<RejectedEvent> ListAsync(CancellationToken cancellationToken);
}
