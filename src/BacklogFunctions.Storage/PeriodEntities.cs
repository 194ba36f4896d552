using Azure;
using Azure.Data.Tables;

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

    /// <summary>The shard boundaries: a JSON array of contract ids.</summary>
    public string Boundaries { get; set; } = "[]";
}
