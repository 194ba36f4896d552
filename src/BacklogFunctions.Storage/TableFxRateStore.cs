using System.Globalization;
using Azure.Data.Tables;
using BacklogFunctions.Application.Consolidation;
using BacklogFunctions.Domain.Consolidation;
using BacklogFunctions.Domain.Money;

namespace BacklogFunctions.Storage;

/// <summary>
/// Uploaded FX rates in Table storage, append-only. <c>fxrates</c>: PartitionKey <c>{reporting}-{currency}</c>
/// (<c>USD-EUR</c>), RowKey <c>{yyyy-MM-dd}-{upload time in UTC ticks, 19 digits}</c>, so one currency's rates read
/// back by date, then in upload order. The rate is a decimal string (never a table number), the upload time a
/// <c>DateTimeOffset</c>. Rows are only ever inserted.
/// </summary>
public sealed class TableFxRateStore(TableServiceClient tables) : IFxRateStore
{
    public const string Table = "fxrates";

    private readonly TableClient _table = tables.GetTableClient(Table);

    public async Task EnsureCreatedAsync(CancellationToken cancellationToken) =>
        await _table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);

    public static string PartitionOf(Currency reporting, Currency currency) => $"{reporting.Code}-{currency.Code}";

    public static string RowKeyOf(DateOnly date, DateTimeOffset uploadedAt) =>
        string.Create(CultureInfo.InvariantCulture, $"{date:yyyy-MM-dd}-{uploadedAt.UtcTicks:D19}");

    /// <summary>
    /// Inserts every rate, one entity-group transaction per partition and at most 100 rows. A row that exists already
    /// (an upload at the very same instant with the same date and currency) fails the transaction with 409 and
    /// changes nothing of it; transactions of other partitions are independent, so a failed upload may be stored in
    /// part: sending it again supersedes every rate of it.
    /// </summary>
    public async Task AppendAsync(Currency reporting, IReadOnlyList<FxRate> rates, DateTimeOffset uploadedAt, CancellationToken cancellationToken)
    {
        var uploaded = new DateTimeOffset(uploadedAt.UtcTicks, TimeSpan.Zero);
        foreach (var partition in rates.GroupBy(r => PartitionOf(reporting, r.Currency), StringComparer.Ordinal))
        {
            var rows = partition.Select(rate => new TableEntity(partition.Key, RowKeyOf(rate.Date, uploaded))
            {
                ["Reporting"] = reporting.Code,
                ["Currency"] = rate.Currency.Code,
                ["Date"] = rate.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["Rate"] = FxRateFile.Format(rate.Rate),
                ["UploadedAt"] = uploaded,
            });
            foreach (var chunk in rows.Chunk(TableEventStore.MaxBatchEntities))
            {
                await _table.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.Add, r)), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async Task<IReadOnlyList<StoredFxRate>> ReadAsync(Currency reporting, DateOnly? from, DateOnly? to, CancellationToken cancellationToken)
    {
        // Every partition of the reporting currency: "USD-" up to, not including, "USD." ('.' follows '-').
        // A RowKey starts with its date, so a date range is a RowKey range: "2026-11-30." follows every upload of that day.
        var low = $"{reporting.Code}-";
        var high = $"{reporting.Code}.";
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {low} and PartitionKey lt {high}");
        if (from is { } first)
        {
            filter += " and " + TableClient.CreateQueryFilter($"RowKey ge {first.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}");
        }

        if (to is { } last)
        {
            filter += " and " + TableClient.CreateQueryFilter($"RowKey lt {last.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "."}");
        }

        var result = new List<StoredFxRate>();
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            result.Add(Read(reporting, row));
        }

        return [.. result
            .OrderBy(r => r.Rate.Currency.Code, StringComparer.Ordinal)
            .ThenBy(r => r.Rate.Date)
            .ThenBy(r => r.UploadedAt)];
    }

    /// <summary>A stored row; the upload time is read from the RowKey, which holds it to the tick.</summary>
    private static StoredFxRate Read(Currency reporting, TableEntity row)
    {
        var key = row.RowKey;
        if (key.Length != 30 || key[10] != '-' ||
            !DateOnly.TryParseExact(key.AsSpan(0, 10), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ||
            !long.TryParse(key.AsSpan(11), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ||
            ticks > DateTimeOffset.MaxValue.UtcTicks ||
            !Currency.TryOf(row.GetString("Currency"), out var currency) ||
            row.PartitionKey != PartitionOf(reporting, currency.Value) ||
            !decimal.TryParse(row.GetString("Rate"), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var rate) ||
            rate <= 0m)
        {
            throw new InvalidDataException($"{Table} row {row.PartitionKey}/{row.RowKey} is not a stored rate");
        }

        return new StoredFxRate(reporting, new FxRate(date, currency.Value, rate), new DateTimeOffset(ticks, TimeSpan.Zero));
    }
}
