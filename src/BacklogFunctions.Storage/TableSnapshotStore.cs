using Azure.Data.Tables.Models;
using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using BacklogFunctions.Application.Close;
using BacklogFunctions.Application.Presentation;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Recognition;
using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Storage;

/// <summary>
/// Closed periods in Table and Blob storage. <c>snapshots</c>: one row per contract per period version
/// (PartitionKey <c>{period}|v{version}</c>), its figures as decimal strings in JSON. Blob
/// <c>snapshots/{period}/v{version}/snapshot.json</c>: the snapshot document (totals, roll-forwards, RPO,
/// aging, concentration, segments). <c>periods</c>: the closed marker, written last, and the bookkeeping of
/// fanned-out closes (PartitionKey <c>jobs|{period}|v{version}</c>: the job, then one row per finished shard).
/// </summary>
public sealed class TableSnapshotStore : ISnapshotStore, ICloseJobs
{
    public const string SnapshotsTable = "snapshots";
    public const string PeriodsTable = "periods";
    public const string DocumentsContainer = "snapshots";
    private const string ClosedPartition = "closed";
    private const string FiguresColumn = "Figures";

    private readonly TableClient _rows;
    private readonly TableClient _periods;
    private readonly BlobContainerClient _documents;

    public TableSnapshotStore(TableServiceClient tables, BlobServiceClient blobs)
    {
        _rows = tables.GetTableClient(SnapshotsTable);
        _periods = tables.GetTableClient(PeriodsTable);
        _documents = blobs.GetBlobContainerClient(DocumentsContainer);
    }

    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        await _rows.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        await _periods.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        await _documents.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    public static string PartitionOf(Period period, int version) => string.Create(CultureInfo.InvariantCulture, $"{period}|v{version:0000}");

    public static string DocumentOf(Period period, int version) => string.Create(CultureInfo.InvariantCulture, $"{period}/v{version:0000}/snapshot.json");

    public async Task<IReadOnlyList<ClosedPeriod>> ListClosedAsync(CancellationToken cancellationToken)
    {
        var result = new List<ClosedPeriod>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {ClosedPartition}");
        await foreach (var row in _periods.QueryAsync<ClosedPeriodEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            result.Add(ToClosed(row));
        }

        return result.OrderBy(c => c.Period).ToList();
    }

    public async Task<ClosedPeriod?> FindClosedAsync(Period period, CancellationToken cancellationToken)
    {
        var row = await _periods.GetEntityIfExistsAsync<ClosedPeriodEntity>(ClosedPartition, period.ToString(), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? ToClosed(row.Value!) : null;
    }

    public async Task WriteAsync(Snapshot snapshot, int version, CancellationToken cancellationToken)
    {
        var period = snapshot.Period ?? throw new ArgumentException("only period snapshots are stored", nameof(snapshot));
        await WriteContractsAsync(period, version, snapshot.Contracts, cancellationToken).ConfigureAwait(false);
        await WriteDocumentAsync(snapshot, version, cancellationToken).ConfigureAwait(false);
    }

    public async Task WriteContractsAsync(Period period, int version, IReadOnlyList<ContractSnapshot> contracts, CancellationToken cancellationToken)
    {
        var partition = PartitionOf(period, version);
        var rows = contracts.Select(c =>
        {
            var row = new TableEntity(partition, c.ContractId) { ["Currency"] = c.Currency.Code };
            LongString.Set(row, FiguresColumn, StoredJson.Write(ContractRow.From(c)));
            return row;
        });

        // Transactions of one partition are independent upserts: several in flight at once.
        await Parallel.ForEachAsync(
            TableEventStore.SplitIntoTransactions(rows, r => 2 * (LongString.Length(r, FiguresColumn) + 512)),
            new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (chunk, token) => await _rows.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)), token).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>The document holds the totals; contract detail lives in the rows (one per contract).</summary>
    public async Task WriteDocumentAsync(Snapshot snapshot, int version, CancellationToken cancellationToken)
    {
        var period = snapshot.Period ?? throw new ArgumentException("only period snapshots are stored", nameof(snapshot));
        using var document = new MemoryStream();
        SnapshotJson.Write(document, snapshot with { Contracts = [] });
        document.Position = 0;
        await _documents.GetBlobClient(DocumentOf(period, version)).UploadAsync(document, overwrite: true, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ContractSnapshot>> ReadContractSnapshotsAsync(Period period, int version, CancellationToken cancellationToken)
    {
        var result = new List<ContractSnapshot>();
        await foreach (var row in ReadRowsAsync(period, version, cancellationToken).ConfigureAwait(false))
        {
            result.Add(row.ToSnapshot());
        }

        return result;
    }

    /// <summary>The contract rows of a version, in contract id order.</summary>
    private async IAsyncEnumerable<ContractRow> ReadRowsAsync(Period period, int version, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {PartitionOf(period, version)}");
        await foreach (var row in _rows.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return RowOf(row);
        }
    }

    /// <summary>The stored row document (chunked over <c>Figures</c>, <c>Figures1</c>… when long).</summary>
    private static ContractRow RowOf(TableEntity row)
    {
        try
        {
            return StoredJson.ReadContractRow(LongString.Get(row, FiguresColumn));
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"row {row.PartitionKey}/{row.RowKey}: {ex.Message}", ex);
        }
    }

    public async Task MarkClosedAsync(ClosedPeriod closed, CancellationToken cancellationToken)
    {
        ClosedPeriodEntity Row(string partition, string rowKey) => new()
        {
            PartitionKey = partition,
            RowKey = rowKey,
            Version = closed.Version,
            ClosedAt = closed.ClosedAt,
            Contracts = closed.Contracts,
            Events = closed.Events,
            Proration = PolicyNames.NameOf(closed.Options.Proration),
            DeferredBasis = PolicyNames.NameOf(closed.Options.DeferredBasis),
            ProgressDecimals = closed.Options.ProgressDecimals,
        };

        var version = Row($"versions|{closed.Period}", string.Create(CultureInfo.InvariantCulture, $"v{closed.Version:0000}"));
        var row = Row(ClosedPartition, closed.Period.ToString());
        await _periods.UpsertEntityAsync(version, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        await _periods.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyDictionary<string, LockedClosing>> ReadLockedClosingsAsync(Period period, int version, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, LockedClosing>(StringComparer.Ordinal);
        await foreach (var row in ReadRowsAsync(period, version, cancellationToken).ConfigureAwait(false))
        {
            result[row.ContractId] = row.ToLockedClosing();
        }

        return result;
    }

    public async Task<StoredSnapshot?> ReadSnapshotDocumentAsync(Period period, int version, CancellationToken cancellationToken)
    {
        var blob = _documents.GetBlobClient(DocumentOf(period, version));
        if (!(await blob.ExistsAsync(cancellationToken).ConfigureAwait(false)).Value)
        {
            return null;
        }

        var bytes = (await blob.DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content.ToArray();
        try
        {
            return new StoredSnapshot(SnapshotJson.ReadSnapshot(bytes), bytes);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"blob {DocumentsContainer}/{blob.Name}: {ex.Message}", ex);
        }
    }

    public async Task<IReadOnlyDictionary<string, ContractFigures>> ReadContractFiguresAsync(Period period, int version, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, ContractFigures>(StringComparer.Ordinal);
        await foreach (var row in ReadRowsAsync(period, version, cancellationToken).ConfigureAwait(false))
        {
            result[row.ContractId] = new ContractFigures(Currency.Of(row.Currency), StoredMoney.Figures(row.Figures));
        }

        return result;
    }

    public async Task WriteDifferencesAsync(Period period, int version, IReadOnlyList<FigureDifference> differences, CancellationToken cancellationToken)
    {
        var document = StoredJson.Write(DifferencesDocument.From(period, version, differences));
        await _documents.GetBlobClient(DifferencesOf(period, version)).UploadAsync(BinaryData.FromBytes(document), overwrite: true, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<FigureDifference>?> ReadDifferencesAsync(Period period, int version, CancellationToken cancellationToken)
    {
        var blob = _documents.GetBlobClient(DifferencesOf(period, version));
        if (!(await blob.ExistsAsync(cancellationToken).ConfigureAwait(false)).Value)
        {
            return null;
        }

        var content = (await blob.DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content;
        return [.. StoredJson.ReadDifferences(content.ToMemory().Span).Differences.Select(d => d.ToDifference())];
    }

    public async Task<IReadOnlyList<ClosedPeriod>> ListVersionsAsync(Period period, CancellationToken cancellationToken)
    {
        var result = new List<ClosedPeriod>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {"versions|" + period}");
        await foreach (var row in _periods.QueryAsync<ClosedPeriodEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            result.Add(ToClosed(row) with { Period = period });
        }

        return result.OrderBy(v => v.Version).ToList();
    }

    public async Task<bool> TryStartAsync(CloseJob job, CancellationToken cancellationToken)
    {
        var row = new CloseJobEntity
        {
            PartitionKey = JobPartitionOf(job.Period, job.Version),
            RowKey = "job",
            Shards = job.Shards,
            StartedAt = job.StartedAt,
            Proration = PolicyNames.NameOf(job.Options.Proration),
            DeferredBasis = PolicyNames.NameOf(job.Options.DeferredBasis),
            ProgressDecimals = job.Options.ProgressDecimals,
            Boundaries = StoredJson.WriteStrings(job.Boundaries),
        };
        try
        {
            await _periods.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Azure.RequestFailedException ex) when (ex.ErrorCode == TableErrorCode.EntityAlreadyExists)
        {
            return false;
        }
    }

    public async Task<CloseJob?> FindJobAsync(Period period, int version, CancellationToken cancellationToken)
    {
        var row = await _periods.GetEntityIfExistsAsync<CloseJobEntity>(JobPartitionOf(period, version), "job", cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!row.HasValue)
        {
            return null;
        }

        var job = row.Value!;
        return new CloseJob(period, version, job.Shards, job.StartedAt, OptionsOf(job.PartitionKey, job.RowKey, job.Proration, job.DeferredBasis, job.ProgressDecimals), StoredJson.ReadStrings(job.Boundaries));
    }

    public async Task<IReadOnlyList<CompletedShard>> CompleteShardAsync(Period period, int version, CompletedShard shard, CancellationToken cancellationToken)
    {
        var row = CompletedShardRow.Of(JobPartitionOf(period, version), period, shard);
        await _periods.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        return await ListCompletedAsync(period, version, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<CompletedShard>> ListCompletedAsync(Period period, int version, CancellationToken cancellationToken)
    {
        var result = new List<CompletedShard>();
        var partition = JobPartitionOf(period, version);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {"shard-"} and RowKey lt {"shard."}");
        await foreach (var row in _periods.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            result.Add(CompletedShardRow.Read(row));
        }

        return result.OrderBy(s => s.Shard).ToList();
    }

    public static string JobPartitionOf(Period period, int version) => string.Create(CultureInfo.InvariantCulture, $"jobs|{period}|v{version:0000}");

    public static string DifferencesOf(Period period, int version) => string.Create(CultureInfo.InvariantCulture, $"{period}/v{version:0000}/differences.json");

    public async Task<ContractRow?> ReadContractAsync(Period period, int version, string contractId, CancellationToken cancellationToken)
    {
        var row = await _rows.GetEntityIfExistsAsync<TableEntity>(PartitionOf(period, version), contractId, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? RowOf(row.Value!) : null;
    }

    private static ClosedPeriod ToClosed(ClosedPeriodEntity row) => new(
        Period.TryParse(row.RowKey, out var period) ? period : Period.Parse(row.PartitionKey["versions|".Length..]),
        row.Version,
        row.ClosedAt,
        row.Contracts,
        row.Events,
        OptionsOf(row.PartitionKey, row.RowKey, row.Proration, row.DeferredBasis, row.ProgressDecimals));

    /// <summary>The policies a version was closed with; a row with names outside the table is unreadable, never a default.</summary>
    private static SnapshotOptions OptionsOf(string partitionKey, string rowKey, string? proration, string? deferredBasis, int? progressDecimals)
    {
        try
        {
            return PolicyNames.Options(proration, deferredBasis) with { ProgressDecimals = progressDecimals };
        }
        catch (FormatException ex)
        {
            throw new InvalidDataException($"row {partitionKey}/{rowKey}: {ex.Message}", ex);
        }
    }
}
