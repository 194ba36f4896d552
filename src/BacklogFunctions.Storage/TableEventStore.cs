using Azure.Data.Tables.Models;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using BacklogFunctions.Application.Ingest;
using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Money;

namespace BacklogFunctions.Storage;

/// <summary>
/// Accepted events in Azure Table Storage. One contract is one partition of the <c>events</c> table (row key
/// <c>{source}|{id}</c>, the idempotency key), so a contract's history is one partition scan and a batch of
/// one contract's events is one entity-group transaction. The <c>contracts</c> table indexes every contract
/// and its currency; it is written before the event, with an idempotent upsert, so a crash between the two
/// writes never leaves an acknowledged event without its index row. Payloads too large for a table
/// property go to the <c>event-payloads</c> blob container first, for the same reason. Before either, the
/// event's key is claimed in the <see cref="EventKeyIndex"/>, so one (source, id) stays with one contract.
/// </summary>
public sealed class TableEventStore : IEventStore
{
    public const string EventsTable = "events";
    public const string ContractsTable = "contracts";
    public const string PayloadContainer = "event-payloads";

    /// <summary>Azure's entity-group transaction limits, enforced here even though Azurite accepts more.</summary>
    public const int MaxBatchEntities = 100;
    public const int MaxBatchBytes = 4 * 1024 * 1024;

    /// <summary>A table string property holds at most 64 KiB (32 K UTF-16 characters); larger payloads go to a blob.</summary>
    public const int MaxInlinePayloadChars = 30_000;

    private const int ContractShards = 16;
    private const int EntityOverheadBytes = 2_048;

    private readonly TableClient _events;
    private readonly TableClient _contracts;
    private readonly BlobContainerClient _payloads;
    private readonly EventKeyIndex _keys;
    /// <summary>
    /// Contracts this process has seen in the index (durably written or read back), with their currency once
    /// known. An indexed contract is not written again, so an event costs one write once its contract is known.
    /// </summary>
    private readonly ConcurrentDictionary<string, Currency?> _indexed = new(StringComparer.Ordinal);

    public TableEventStore(TableServiceClient tables, BlobServiceClient blobs)
    {
        _events = tables.GetTableClient(EventsTable);
        _contracts = tables.GetTableClient(ContractsTable);
        _payloads = blobs.GetBlobContainerClient(PayloadContainer);
        _keys = new EventKeyIndex(tables);
    }

    /// <summary>The (source, id) index that keeps an event key to one contract.</summary>
    public EventKeyIndex Keys => _keys;

    /// <summary>
    /// Fills the key index from the events stored before it existed, once per store (start-up calls it; later calls
    /// only check the marker). Returns the keys that two contracts already shared.
    /// </summary>
    public async Task<IReadOnlyList<(string RowKey, string ContractId, string ClaimedBy)>> CompleteKeyIndexAsync(CancellationToken cancellationToken) =>
        await _keys.IsCompleteAsync(cancellationToken).ConfigureAwait(false) ? [] : await _keys.BackfillAsync(_events, cancellationToken).ConfigureAwait(false);

    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        await _events.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        await _contracts.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        await _payloads.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await _keys.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
    }

    public static string RowKeyOf(EventKey key) => $"{key.Source}|{key.Id}";

    public static string ContractShardOf(string contractId) =>
        "shard-" + (System.IO.Hashing.XxHash32.HashToUInt32(Encoding.UTF8.GetBytes(contractId)) % ContractShards).ToString("00", System.Globalization.CultureInfo.InvariantCulture);

    public async Task<AppendOutcome> AppendAsync(StoredEvent stored, CancellationToken cancellationToken)
    {
        // The key first: an event whose (source, id) belongs to another contract is refused before anything is written.
        var owner = (await _keys.ClaimAsync([(stored.Event.Key, stored.Event.ContractId)], cancellationToken).ConfigureAwait(false))[0];
        if (!string.Equals(owner, stored.Event.ContractId, StringComparison.Ordinal))
        {
            return new AppendOutcome(AppendStatus.Conflict, ClaimedByContract: owner);
        }

        await IndexContractsAsync([stored], cancellationToken).ConfigureAwait(false);
        var entity = await ToEntityAsync(stored, cancellationToken).ConfigureAwait(false);
        return await AddOneAsync(entity, stored.PayloadHash, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<AppendOutcome>> AppendManyAsync(IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken)
    {
        var outcomes = new AppendOutcome[events.Count];
        if (events.Count == 0)
        {
            return outcomes;
        }

        var owners = await _keys.ClaimAsync(events.Select(e => (e.Event.Key, e.Event.ContractId)).ToList(), cancellationToken).ConfigureAwait(false);
        var writable = new List<int>(events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            if (string.Equals(owners[i], events[i].Event.ContractId, StringComparison.Ordinal))
            {
                writable.Add(i);
            }
            else
            {
                outcomes[i] = new AppendOutcome(AppendStatus.Conflict, ClaimedByContract: owners[i]);
            }
        }

        await IndexContractsAsync(writable.Select(i => events[i]).ToList(), cancellationToken).ConfigureAwait(false);
        foreach (var partition in writable.GroupBy(i => events[i].Event.ContractId, StringComparer.Ordinal))
        {
            // The same event twice in one request: the first is stored, the second answered from it.
            var firstOfKey = new Dictionary<string, int>(StringComparer.Ordinal);
            var rows = new List<(int Index, TableEntity Entity)>();
            foreach (var index in partition)
            {
                var stored = events[index];
                var rowKey = RowKeyOf(stored.Event.Key);
                if (firstOfKey.TryGetValue(rowKey, out var first))
                {
                    outcomes[index] = new AppendOutcome(string.Equals(events[first].PayloadHash, stored.PayloadHash, StringComparison.Ordinal) ? AppendStatus.Duplicate : AppendStatus.Conflict, events[first].PayloadHash);
                    continue;
                }

                firstOfKey.Add(rowKey, index);
                rows.Add((index, await ToEntityAsync(stored, cancellationToken).ConfigureAwait(false)));
            }

            foreach (var transaction in SplitIntoTransactions(rows, row => EstimateBytes(row.Entity)))
            {
                await SubmitAsync(transaction, events, outcomes, cancellationToken).ConfigureAwait(false);
            }
        }

        return outcomes;
    }

    public Task<IReadOnlyList<StoredEvent>> ReadContractAsync(string contractId, CancellationToken cancellationToken) =>
        ReadPartitionAsync(TableClient.CreateQueryFilter($"PartitionKey eq {contractId}"), cancellationToken);

    public async Task<IReadOnlyList<StoredEvent>> ReadContractAsync(string contractId, IReadOnlyCollection<string> types, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(types);
        if (types.Count == 0)
        {
            return [];
        }

        // One query of the contract's partition; the service returns only the rows of those types.
        var filter = $"{TableClient.CreateQueryFilter($"PartitionKey eq {contractId}")} and ({string.Join(" or ", types.Select(t => TableClient.CreateQueryFilter($"Type eq {t}")))})";
        return await ReadPartitionAsync(filter, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The events of one contract's partition that <paramref name="filter"/> selects.</summary>
    private async Task<IReadOnlyList<StoredEvent>> ReadPartitionAsync(string filter, CancellationToken cancellationToken)
    {
        var result = new List<StoredEvent>();
        await foreach (var entity in _events.QueryAsync<TableEntity>(filter, select: StoredColumns, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            result.Add(await ToStoredAsync(entity, cancellationToken).ConfigureAwait(false));
        }

        return result;
    }

    private static readonly string[] StoredColumns = ["PartitionKey", "RowKey", "Payload", "PayloadBlob", "PayloadSha256", "Channel", "ReceivedAt"];

    /// <summary>
    /// One scan of the whole table. The next page is requested while the current one is parsed, so parsing
    /// overlaps the storage round trips.
    /// </summary>
    public IAsyncEnumerable<StoredEvent> ReadAllAsync(CancellationToken cancellationToken) => ScanAsync(null, cancellationToken);

    private async IAsyncEnumerable<StoredEvent> ScanAsync(string? filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var pages = _events.QueryAsync<TableEntity>(filter, select: StoredColumns, maxPerPage: 1000, cancellationToken: cancellationToken)
            .AsPages().GetAsyncEnumerator(cancellationToken);
        var next = pages.MoveNextAsync();
        while (await next.ConfigureAwait(false))
        {
            var page = pages.Current.Values;
            next = pages.MoveNextAsync();
            foreach (var entity in page)
            {
                yield return await ToStoredAsync(entity, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<StoredEvent> ToStoredAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        var raw = entity.GetString("PayloadBlob") is { } blobName
            ? (await _payloads.GetBlobClient(blobName).DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content.ToString()
            : entity.GetString("Payload");
        var parsed = EventJson.ReadStored(raw);
        if (parsed.Event is not { } e)
        {
            throw new InvalidDataException($"stored event {entity.RowKey} of contract {entity.PartitionKey} no longer parses: {string.Join("; ", parsed.Errors)}");
        }

        return new StoredEvent(e, raw, entity.GetString("PayloadSha256"), entity.GetString("Channel"), entity.GetDateTimeOffset("ReceivedAt")!.Value);
    }

    public async IAsyncEnumerable<string> ListContractIdsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in _contracts.QueryAsync<TableEntity>(maxPerPage: 1000, select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return row.RowKey;
        }
    }

    public IAsyncEnumerable<StoredEvent> ReadRangeAsync(string? from, string? to, CancellationToken cancellationToken) =>
        ScanAsync(
            (from, to) switch
            {
                (null, null) => null,
                (not null, null) => TableClient.CreateQueryFilter($"PartitionKey ge {from}"),
                (null, not null) => TableClient.CreateQueryFilter($"PartitionKey lt {to}"),
                _ => TableClient.CreateQueryFilter($"PartitionKey ge {from} and PartitionKey lt {to}"),
            },
            cancellationToken);

    public async ValueTask<Currency?> FindCurrencyAsync(string contractId, CancellationToken cancellationToken)
    {
        if (_indexed.TryGetValue(contractId, out var known) && known is not null)
        {
            return known;
        }

        // Another instance may have stored the signing since: look it up.
        var row = await _contracts.GetEntityIfExistsAsync<TableEntity>(ContractShardOf(contractId), contractId, ["Currency"], cancellationToken).ConfigureAwait(false);
        if (!row.HasValue)
        {
            return null;
        }

        Currency? currency = row.Value!.GetString("Currency") is { } code && Currency.TryOf(code, out var found) ? found : null;
        _indexed[contractId] = currency;
        return currency;
    }

    /// <summary>Writes the contract index first; repeating it is harmless, so retries are always safe.</summary>
    private async Task IndexContractsAsync(IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken)
    {
        var rows = new Dictionary<string, (TableEntity Row, Currency? Currency)>(StringComparer.Ordinal);
        foreach (var stored in events)
        {
            var contractId = stored.Event.ContractId;
            var signing = stored.Event as ContractSigned;
            var known = _indexed.TryGetValue(contractId, out var currency);
            if ((known && (currency is not null || signing is null)) || (rows.ContainsKey(contractId) && signing is null))
            {
                continue;
            }

            rows[contractId] = (ContractRowOf(stored), signing?.Currency);
        }

        if (rows.Count == 1)
        {
            var (contractId, (row, currency)) = rows.First();
            await _contracts.UpsertEntityAsync(row, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
            _indexed[contractId] = currency;
            return;
        }

        foreach (var shard in rows.GroupBy(r => r.Value.Row.PartitionKey, StringComparer.Ordinal))
        {
            foreach (var chunk in shard.Chunk(MaxBatchEntities))
            {
                await _contracts.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertMerge, r.Value.Row)), cancellationToken).ConfigureAwait(false);
                foreach (var (contractId, (_, currency)) in chunk)
                {
                    _indexed[contractId] = currency;
                }
            }
        }
    }

    private async Task SubmitAsync(List<(int Index, TableEntity Entity)> chunk, IReadOnlyList<StoredEvent> events, AppendOutcome[] outcomes, CancellationToken cancellationToken)
    {
        if (chunk.Count == 0)
        {
            return;
        }

        try
        {
            await _events.SubmitTransactionAsync(chunk.Select(c => new TableTransactionAction(TableTransactionActionType.Add, c.Entity)), cancellationToken).ConfigureAwait(false);
            foreach (var (index, _) in chunk)
            {
                outcomes[index] = new AppendOutcome(AppendStatus.Stored);
            }
        }
        catch (TableTransactionFailedException ex) when (ex.ErrorCode == TableErrorCode.EntityAlreadyExists)
        {
            // Some of them are stored already (a retried request): the transaction stored nothing, so decide one by one.
            foreach (var (index, entity) in chunk)
            {
                outcomes[index] = await AddOneAsync(entity, events[index].PayloadHash, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<AppendOutcome> AddOneAsync(TableEntity entity, string hash, CancellationToken cancellationToken)
    {
        try
        {
            await _events.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            return new AppendOutcome(AppendStatus.Stored);
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == TableErrorCode.EntityAlreadyExists)
        {
            var existing = await _events.GetEntityAsync<TableEntity>(entity.PartitionKey, entity.RowKey, ["PayloadSha256"], cancellationToken).ConfigureAwait(false);
            var existingHash = existing.Value.GetString("PayloadSha256");
            return new AppendOutcome(string.Equals(existingHash, hash, StringComparison.Ordinal) ? AppendStatus.Duplicate : AppendStatus.Conflict, existingHash);
        }
    }

    /// <summary>The row of an event whose payload fits in the row (see <see cref="MaxInlinePayloadChars"/>).</summary>
    public static TableEntity ToEntity(StoredEvent stored)
    {
        var entity = Describe(stored);
        entity["Payload"] = stored.RawJson.Length <= MaxInlinePayloadChars
            ? stored.RawJson
            : throw new ArgumentException("the payload is too large for a table row", nameof(stored));
        return entity;
    }

    /// <summary>The contract index row an event needs.</summary>
    public static TableEntity ContractRowOf(StoredEvent stored)
    {
        var row = new TableEntity(ContractShardOf(stored.Event.ContractId), stored.Event.ContractId);
        if (stored.Event is ContractSigned signed)
        {
            row["Currency"] = signed.Currency.Code;
        }

        return row;
    }

    private static TableEntity Describe(StoredEvent stored)
    {
        var e = stored.Event;
        return new TableEntity(e.ContractId, RowKeyOf(e.Key))
        {
            ["Type"] = e.Type,
            ["EventId"] = e.Id,
            ["Source"] = e.Source ?? string.Empty,
            ["OccurredAt"] = e.OccurredAt,
            ["BusinessDate"] = EventJson.Iso(e.BusinessDate),
            ["EffectiveDate"] = EventJson.Iso(e.EffectiveDate),
            ["ReceivedAt"] = stored.ReceivedAt,
            ["Channel"] = stored.Channel,
            ["PayloadSha256"] = stored.PayloadHash,
        };
    }

    private async Task<TableEntity> ToEntityAsync(StoredEvent stored, CancellationToken cancellationToken)
    {
        if (stored.RawJson.Length <= MaxInlinePayloadChars)
        {
            return ToEntity(stored);
        }

        // The blob is written before the entity that points to it; writing it again is harmless.
        var entity = Describe(stored);
        var blobName = $"{stored.Event.ContractId}/{Uri.EscapeDataString(entity.RowKey)}.json";
        await _payloads.GetBlobClient(blobName).UploadAsync(BinaryData.FromString(stored.RawJson), overwrite: true, cancellationToken).ConfigureAwait(false);
        entity["PayloadBlob"] = blobName;
        return entity;
    }

    /// <summary>
    /// Consecutive groups that fit one entity-group transaction: at most <see cref="MaxBatchEntities"/> rows and
    /// fewer than <see cref="MaxBatchBytes"/> bytes. Azurite accepts larger batches; Azure does not.
    /// </summary>
    internal static IEnumerable<List<T>> SplitIntoTransactions<T>(IEnumerable<T> rows, Func<T, int> bytes)
    {
        var current = new List<T>();
        var size = 0;
        foreach (var row in rows)
        {
            var rowBytes = bytes(row);
            if (current.Count > 0 && (current.Count == MaxBatchEntities || size + rowBytes >= MaxBatchBytes))
            {
                yield return current;
                current = [];
                size = 0;
            }

            current.Add(row);
            size += rowBytes;
        }

        if (current.Count > 0)
        {
            yield return current;
        }
    }

    internal static int EstimateBytes(TableEntity entity) =>
        EntityOverheadBytes + (2 * ((entity.GetString("Payload")?.Length ?? 0) + entity.RowKey.Length + entity.PartitionKey.Length));
}
