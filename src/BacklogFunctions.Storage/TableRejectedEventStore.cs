using System.Globalization;
using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using BacklogFunctions.Application.Ingest;

namespace BacklogFunctions.Storage;

/// <summary>
/// Events that can never be accepted (invalid, conflicting) from the queues, with the reason and the original
/// body, partitioned by day, newest first.
/// </summary>
public sealed class TableRejectedEventStore(TableServiceClient tables) : IRejectedEventStore
{
    public const string Table = "rejectedevents";

    private readonly TableClient _table = tables.GetTableClient(Table);

    public async Task EnsureCreatedAsync(CancellationToken cancellationToken) =>
        await _table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);

    public async Task RecordAsync(RejectedEvent rejected, CancellationToken cancellationToken)
    {
        var body = rejected.Body.Length <= TableEventStore.MaxInlinePayloadChars
            ? rejected.Body
            : string.Concat(rejected.Body.AsSpan(0, TableEventStore.MaxInlinePayloadChars), "…(truncated)");
        var rowKey = (DateTimeOffset.MaxValue.UtcTicks - rejected.ReceivedAt.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N");
        var entity = new TableEntity(rejected.ReceivedAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), rowKey)
        {
            ["Channel"] = rejected.Channel,
            ["ReceivedAt"] = rejected.ReceivedAt,
            ["EventId"] = rejected.EventId,
            ["ContractId"] = rejected.ContractId,
            ["Reason"] = AsText(rejected.Reason.Length <= TableEventStore.MaxInlinePayloadChars ? rejected.Reason : rejected.Reason[..TableEventStore.MaxInlinePayloadChars]),
            ["Body"] = AsText(body),
        };
        await _table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// What was refused is kept as it came, except that a lone UTF-16 surrogate (from a decoded message, or a cut
    /// through a pair) becomes U+FFFD: storage accepts only valid text, and the record must never fail to be written.
    /// </summary>
    private static string AsText(string value) => System.Text.Encoding.UTF8.GetString(System.Text.Encoding.UTF8.GetBytes(value));

    public async IAsyncEnumerable<RejectedEvent> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var e in _table.QueryAsync<TableEntity>(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return new RejectedEvent(e.GetString("Channel"), e.GetDateTimeOffset("ReceivedAt")!.Value, e.GetString("EventId"), e.GetString("ContractId"), e.GetString("Reason"), e.GetString("Body"));
        }
    }
}
