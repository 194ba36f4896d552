using System.Globalization;
using Azure;
using Azure.Data.Tables;
using BacklogFunctions.Application.Alerts;
using BacklogFunctions.Domain.Alerts;
using BacklogFunctions.Domain.Money;

namespace BacklogFunctions.Storage;

/// <summary>
/// Uploaded target files in Table storage, every upload a version. <c>targets</c>: the version markers in partition
/// <c>versions</c> (RowKey the version, 10 digits), each upload's rows in partition <c>v{version, 10 digits}</c>
/// (RowKey the row's position, 6 digits); amounts as decimal strings, never table numbers. An upload first claims
/// the next version (an insert that fails when another upload took it, then the next one is tried), writes its rows,
/// and only then marks the version complete: readers see complete versions only, so an upload cut short by a fault
/// is never half-read. Rows are only ever inserted.
/// </summary>
public sealed class TableTargetStore(TableServiceClient tables) : ITargetStore
{
    public const string Table = "targets";

    private const string Versions = "versions";
    private const int MaxClaims = 20;

    private readonly TableClient _table = tables.GetTableClient(Table);

    public async Task EnsureCreatedAsync(CancellationToken cancellationToken) =>
        await _table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);

    public static string VersionKey(int version) => version.ToString("D10", CultureInfo.InvariantCulture);

    public async Task<int> AppendAsync(IReadOnlyList<Target> targets, DateTimeOffset uploadedAt, CancellationToken cancellationToken)
    {
        var uploaded = new DateTimeOffset(uploadedAt.UtcTicks, TimeSpan.Zero);
        var version = (await LatestClaimedAsync(cancellationToken).ConfigureAwait(false)) + 1;
        for (var attempt = 0; ; attempt++, version++)
        {
            try
            {
                await _table.AddEntityAsync(new TableEntity(Versions, VersionKey(version)) { ["Complete"] = false, ["UploadedAt"] = uploaded, ["Rows"] = targets.Count }, cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (RequestFailedException ex) when (ex.Status == 409 && attempt < MaxClaims)
            {
                // Another upload claimed this version at the same time: take the next one.
            }
        }

        var partition = "v" + VersionKey(version);
        var rows = targets.Select((target, i) => new TableEntity(partition, i.ToString("D6", CultureInfo.InvariantCulture))
        {
            ["Period"] = target.Period,
            ["Currency"] = target.Currency.Code,
            ["Figure"] = TargetFigures.NameOf(target.Figure),
            ["Amount"] = target.Currency.Format(target.Amount),
        });
        foreach (var chunk in rows.Chunk(TableEventStore.MaxBatchEntities))
        {
            // Upsert: an upload repeated after a fault between its rows and its marker rewrites the same rows.
            await _table.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)), cancellationToken).ConfigureAwait(false);
        }

        await _table.UpdateEntityAsync(new TableEntity(Versions, VersionKey(version)) { ["Complete"] = true }, ETag.All, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
        return version;
    }

    public async Task<TargetVersion?> ReadAsync(int? version, CancellationToken cancellationToken)
    {
        TableEntity? marker = null;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Versions}");
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (row.GetBoolean("Complete") == true && (version is null || row.RowKey == VersionKey(version.Value)))
            {
                marker = row;
            }
        }

        if (marker is null)
        {
            return null;
        }

        var number = int.Parse(marker.RowKey, NumberStyles.None, CultureInfo.InvariantCulture);
        var targets = new List<Target>();
        var rows = TableClient.CreateQueryFilter($"PartitionKey eq {"v" + marker.RowKey}");
        await foreach (var row in _table.QueryAsync<TableEntity>(rows, maxPerPage: 1000, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            targets.Add(Read(row));
        }

        return new TargetVersion(number, marker.GetDateTimeOffset("UploadedAt") ?? DateTimeOffset.MinValue, targets);
    }

    private async Task<int> LatestClaimedAsync(CancellationToken cancellationToken)
    {
        var latest = 0;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Versions}");
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            latest = Math.Max(latest, int.Parse(row.RowKey, NumberStyles.None, CultureInfo.InvariantCulture));
        }

        return latest;
    }

    private static Target Read(TableEntity row)
    {
        if (row.GetString("Period") is not { Length: > 0 } period ||
            !Currency.TryOf(row.GetString("Currency"), out var currency) ||
            !TargetFigures.TryParse(row.GetString("Figure"), out var figure) ||
            !decimal.TryParse(row.GetString("Amount"), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var amount))
        {
            throw new InvalidDataException($"{Table} row {row.PartitionKey}/{row.RowKey} is not a stored target");
        }

        return new Target(period, currency.Value, figure, amount);
    }
}
