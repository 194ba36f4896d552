using System.Globalization;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Azure.Data.Tables.Models;
using BacklogFunctions.Domain.Events;

namespace BacklogFunctions.Storage;

/// <summary>
/// The idempotency index: which contract each (source, id) belongs to, in the <c>eventkeys</c> table
/// (PartitionKey a hash shard of the key, RowKey <c>{source}|{id}</c>, property <c>ContractId</c>). An event's key
/// is claimed before the event is written, so the same key sent for a second contract is refused; claiming again
/// for the same contract is harmless, so a write that crashed half-way is completed by its retry.
/// </summary>
public sealed class EventKeyIndex(TableServiceClient tables)
{
    public const string Table = "eventkeys";

    private const int Shards = 16;
    private const string MetaPartition = "meta";
    private const string BackfillRow = "backfill";

    private readonly TableClient _keys = tables.GetTableClient(Table);

    public async Task EnsureCreatedAsync(CancellationToken cancellationToken) =>
        await _keys.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);

    public static string ShardOf(string rowKey) =>
        "k" + (System.IO.Hashing.XxHash32.HashToUInt32(Encoding.UTF8.GetBytes(rowKey)) % Shards).ToString("00", CultureInfo.InvariantCulture);

    /// <summary>
    /// Claims each key for its contract and answers, per claim, the contract that holds the key now: the claim's
    /// own contract, or the one that claimed it first. The first of repeated keys in one call claims for the rest.
    /// </summary>
    public async Task<string[]> ClaimAsync(IReadOnlyList<(EventKey Key, string ContractId)> claims, CancellationToken cancellationToken)
    {
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        var firstClaims = new List<TableEntity>();
        foreach (var (key, contractId) in claims)
        {
            var rowKey = TableEventStore.RowKeyOf(key);
            if (owners.TryAdd(rowKey, contractId))
            {
                firstClaims.Add(new TableEntity(ShardOf(rowKey), rowKey) { ["ContractId"] = contractId });
            }
        }

        if (firstClaims.Count == 1)
        {
            var only = firstClaims[0];
            owners[only.RowKey] = await ClaimOneAsync(only, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            foreach (var shard in firstClaims.GroupBy(c => c.PartitionKey, StringComparer.Ordinal))
            {
                foreach (var chunk in shard.Chunk(TableEventStore.MaxBatchEntities))
                {
                    try
                    {
                        await _keys.SubmitTransactionAsync(chunk.Select(c => new TableTransactionAction(TableTransactionActionType.Add, c)), cancellationToken).ConfigureAwait(false);
                    }
                    catch (TableTransactionFailedException ex) when (ex.ErrorCode == TableErrorCode.EntityAlreadyExists)
                    {
                        // Some keys are claimed already (a retry, or a key used before): the transaction claimed nothing.
                        foreach (var claim in chunk)
                        {
                            owners[claim.RowKey] = await ClaimOneAsync(claim, cancellationToken).ConfigureAwait(false);
                        }
                    }
                }
            }
        }

        return claims.Select(c => owners[TableEventStore.RowKeyOf(c.Key)]).ToArray();
    }

    /// <summary>True once every event stored before the index existed has its key in it.</summary>
    public async Task<bool> IsCompleteAsync(CancellationToken cancellationToken) =>
        (await _keys.GetEntityIfExistsAsync<TableEntity>(MetaPartition, BackfillRow, cancellationToken: cancellationToken).ConfigureAwait(false)).HasValue;

    /// <summary>
    /// Adds the key of every stored event to the index (one scan of the events' keys), then marks the index complete.
    /// Repeating it is harmless. Keys that two contracts already share (stored before the index existed) are left
    /// with the first contract claimed and returned, for the operator to look at.
    /// </summary>
    public async Task<IReadOnlyList<(string RowKey, string ContractId, string ClaimedBy)>> BackfillAsync(TableClient events, CancellationToken cancellationToken)
    {
        var shared = new List<(string, string, string)>();
        var page = new List<(EventKey Key, string ContractId)>();
        async Task FlushAsync()
        {
            var owners = await ClaimAsync(page, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < page.Count; i++)
            {
                if (!string.Equals(owners[i], page[i].ContractId, StringComparison.Ordinal))
                {
                    shared.Add((TableEventStore.RowKeyOf(page[i].Key), page[i].ContractId, owners[i]));
                }
            }

            page.Clear();
        }

        await foreach (var row in events.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"], maxPerPage: 1000, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var separator = row.RowKey.IndexOf('|', StringComparison.Ordinal);
            page.Add((new EventKey(row.RowKey[..separator], row.RowKey[(separator + 1)..]), row.PartitionKey));
            if (page.Count == 1000)
            {
                await FlushAsync().ConfigureAwait(false);
            }
        }

        await FlushAsync().ConfigureAwait(false);
        await _keys.UpsertEntityAsync(new TableEntity(MetaPartition, BackfillRow) { ["Shared"] = shared.Count }, cancellationToken: cancellationToken).ConfigureAwait(false);
        return shared;
    }

    private async Task<string> ClaimOneAsync(TableEntity claim, CancellationToken cancellationToken)
    {
        try
        {
            await _keys.AddEntityAsync(claim, cancellationToken).ConfigureAwait(false);
            return claim.GetString("ContractId");
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == TableErrorCode.EntityAlreadyExists)
        {
            var existing = await _keys.GetEntityAsync<TableEntity>(claim.PartitionKey, claim.RowKey, ["ContractId"], cancellationToken).ConfigureAwait(false);
            return existing.Value.GetString("ContractId");
        }
    }
}
