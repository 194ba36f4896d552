using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using BacklogFunctions.Application.Close;
using BacklogFunctions.Application.Presentation;
using BacklogFunctions.Domain.Money;

namespace BacklogFunctions.Storage;

/// <summary>
/// A closed version in <c>periods</c>: the closed marker (PartitionKey <c>closed</c>, RowKey the period) or a kept
/// version (PartitionKey <c>versions|{period}</c>, RowKey <c>v{version}</c>), both with the same columns.
/// </summary>
internal sealed class ClosedPeriodEntity : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int Version { get; set; }

    public DateTimeOffset ClosedAt { get; set; }

    public int Contracts { get; set; }

    public int Events { get; set; }

    public string? Proration { get; set; }

    public string? DeferredBasis { get; set; }

    /// <summary>The setting progressDecimals; absent for the exact ratio (and in rows written before progress lines).</summary>
    public int? ProgressDecimals { get; set; }
}

/// <summary>A fanned-out close in <c>periods</c> (PartitionKey <c>jobs|{period}|v{version}</c>, RowKey <c>job</c>).</summary>
internal sealed class CloseJobEntity : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int Shards { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public string? Proration { get; set; }

    public string? DeferredBasis { get; set; }

    /// <summary>The setting progressDecimals; absent for the exact ratio (and in rows written before progress lines).</summary>
    public int? ProgressDecimals { get; set; }

    /// <summary>The shard boundaries: a JSON array of contract ids.</summary>
    public string Boundaries { get; set; } = "[]";
}

/// <summary>
/// A finished shard of a fanned-out close in <c>periods</c> (PartitionKey <c>jobs|{period}|v{version}</c>, RowKey
/// <c>shard-{nn}</c>): <c>Shard</c>, <c>Contracts</c> and <c>Events</c> (Int32) and the waterfalls of its contracts
/// as a <see cref="WaterfallsDocument"/> in <c>Waterfalls</c> (split over <c>Waterfalls1</c>… when long, which a
/// typed entity cannot hold, so the row is a <see cref="TableEntity"/> read and written here).
/// </summary>
internal static class CompletedShardRow
{
    private const string WaterfallsColumn = "Waterfalls";

    public static TableEntity Of(string partitionKey, Period period, CompletedShard shard)
    {
        var row = new TableEntity(partitionKey, string.Create(CultureInfo.InvariantCulture, $"shard-{shard.Shard:00}"))
        {
            ["Shard"] = shard.Shard,
            ["Contracts"] = shard.Contracts,
            ["Events"] = shard.Events,
        };
        LongString.Set(row, WaterfallsColumn, SnapshotJson.Write(WaterfallsDocument.From(period.LastDay, period, shard.Waterfalls)));
        return row;
    }

    public static CompletedShard Read(TableEntity row)
    {
        try
        {
            var waterfalls = SnapshotJson.ReadWaterfalls(LongString.Get(row, WaterfallsColumn)).ToWaterfalls();
            return new CompletedShard(row.GetInt32("Shard")!.Value, row.GetInt32("Contracts")!.Value, row.GetInt32("Events")!.Value, waterfalls);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"row {row.PartitionKey}/{row.RowKey}: {ex.Message}", ex);
        }
    }
}
