using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using BacklogFunctions.Application.Close;
using BacklogFunctions.Application.Messages;
using BacklogFunctions.Application.Presentation;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Snapshots;
using BacklogFunctions.Storage;
using BacklogFunctions.Testing;

namespace BacklogFunctions.Integration.Tests;

/// <summary>
/// Rows, blobs and queue messages as the code at b427848 stored them (<c>tests/fixtures/stored-b427848</c>: table
/// entities with their property types, blob contents, message bodies) still read, through the storage adapters,
/// to the values that code read from them (<c>read-values.json</c>).
/// </summary>
public sealed class StoredShapeTests : IAsyncLifetime
{
    private static readonly Dictionary<Type, HashSet<string>> AddedSinceB427848 = new()
    {
        [typeof(Snapshot)] = [nameof(Snapshot.Span), nameof(Snapshot.PeriodName), nameof(Snapshot.Forecasts), nameof(Snapshot.OverdueDeliveries), nameof(Snapshot.LossContracts)],
        [typeof(ContractSnapshot)] = [nameof(ContractSnapshot.OverdueDeliveries), nameof(ContractSnapshot.Forward), nameof(ContractSnapshot.LossContracts)],
        [typeof(SnapshotOptions)] = [nameof(SnapshotOptions.ProgressDecimals)],
        [typeof(LineSnapshot)] = [nameof(LineSnapshot.Progress), nameof(LineSnapshot.Recognition)],
        [typeof(CurrencyTotals)] = [nameof(CurrencyTotals.Grr), nameof(CurrencyTotals.Nrr)],
        [typeof(Figures)] =
        [
            .. ForwardColumns.Select(c => char.ToUpperInvariant(c.Name[0]) + c.Name[1..]),
            nameof(Figures.AgingCurrent), nameof(Figures.AgingDays1To30), nameof(Figures.AgingDays31To60), nameof(Figures.AgingDays61To90), nameof(Figures.AgingOver90),
            nameof(Figures.BookToBill), nameof(Figures.BacklogConversion), nameof(Figures.CancellationRate), nameof(Figures.LeadTimeDays),
        ],
    };

    /// <summary>The figures the forward view added (after every figure b427848 knew).</summary>
    private static IEnumerable<FigureColumn> ForwardColumns => FigureColumns.All.SkipWhile(c => c.Name != "notYetBilled");

    private static readonly JsonSerializerOptions Dump = new()
    {
        WriteIndented = true,
        IncludeFields = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new AsText<Period>(p => p.ToString()), new AsText<Currency>(c => c.Code), new AsText<BacklogAge>(BucketLabels.Label), new AsText<TermLength>(BucketLabels.Label) },

        // Members the domain records gained after b427848 (a stored month has no span) are not part of what it read.
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver
        {
            Modifiers =
            {
                info =>
                {
                    // And the forward view's: its figures, KPIs, forecasts and late work, all zero or empty here.
                    var added = AddedSinceB427848.GetValueOrDefault(info.Type) ?? [];
                    foreach (var property in info.Properties.Where(p => added.Contains(p.Name)).ToList())
                    {
                        info.Properties.Remove(property);
                    }
                },
            },
        },
    };

    internal static readonly string Fixtures = Path.Combine(Repository.Root, "tests", "fixtures", "stored-b427848");

    private AzuriteServer _azurite = null!;

    public async Task InitializeAsync() => _azurite = await AzuriteServer.StartAsync();

    public async Task DisposeAsync() => await _azurite.DisposeAsync();

    [Fact]
    public async Task What_earlier_code_stored_reads_to_the_same_values()
    {
        var tables = new TableServiceClient(_azurite.ConnectionString);
        var blobs = new BlobServiceClient(_azurite.ConnectionString);
        await LoadAsync(tables, blobs);
        var store = new TableSnapshotStore(tables, blobs);
        var reports = new BlobReportStore(blobs, TimeProvider.System);

        var values = new SortedDictionary<string, object?>(StringComparer.Ordinal)
        {
            ["closed"] = await store.ListClosedAsync(CancellationToken.None),
            ["closed 2024-04"] = await store.FindClosedAsync(new Period(2024, 4), CancellationToken.None),
            ["versions 2024-05"] = await store.ListVersionsAsync(new Period(2024, 5), CancellationToken.None),
            ["job 2024-06 v1"] = await store.FindJobAsync(new Period(2024, 6), 1, CancellationToken.None),
            ["shards 2024-06 v1"] = await store.ListCompletedAsync(new Period(2024, 6), 1, CancellationToken.None),
            ["manifest 2024-05 v2"] = await reports.ReadManifestAsync(new Period(2024, 5), 2, CancellationToken.None),
            ["differences 2024-05 v2"] = await DifferencesAsync(store, new Period(2024, 5), 2),
            ["close-shards messages"] = Messages<CloseShardMessage>("close-shards"),
            ["report-requests messages"] = Messages<ReportRequestMessage>("report-requests"),
        };

        foreach (var (period, version) in new[] { (new Period(2024, 4), 1), (new Period(2024, 5), 1), (new Period(2024, 5), 2) })
        {
            var key = string.Create(CultureInfo.InvariantCulture, $"{period} v{version}");
            var contracts = await store.ReadContractSnapshotsAsync(period, version, CancellationToken.None);
            Assert.All(contracts, c => Assert.True(ForwardColumns.All(f => f.Value(c.Figures) == 0m) && c.Forward is null && c.OverdueDeliveries.Count == 0 && c.Lines.All(l => l.Recognition is null && l.Progress is null), c.ContractId));
            values["contracts " + key] = contracts.OrderBy(c => c.ContractId, StringComparer.Ordinal).ToList();
            values["locked closings " + key] = new SortedDictionary<string, LockedClosing>((await store.ReadLockedClosingsAsync(period, version, CancellationToken.None)).ToDictionary(), StringComparer.Ordinal);
            values["figures " + key] = await FiguresAsync(store, period, version);
            values["document " + key] = await DocumentAsync(store, period, version);
            var rows = new SortedDictionary<string, string?>(StringComparer.Ordinal);
            foreach (var contract in contracts)
            {
                rows[contract.ContractId] = await ContractAsync(store, period, version, contract.ContractId);
            }

            values["contract answers " + key] = rows;
        }

        var expected = await File.ReadAllTextAsync(Path.Combine(Fixtures, "read-values.json"));
        Assert.Equal(expected, JsonSerializer.Serialize(values, Dump));
    }

    /// <summary>
    /// A contract row longer than one property holds, as 20ceeae stored it (<c>tests/fixtures/stored-20ceeae</c>:
    /// 240 lines, text to escape, split over <c>Figures</c>, <c>Figures1</c>, <c>Figures2</c>), reads back whole and
    /// is written again over the same columns.
    /// </summary>
    [Fact]
    public async Task A_contract_row_split_over_columns_reads_back_whole()
    {
        var tables = new TableServiceClient(_azurite.ConnectionString);
        var store = new TableSnapshotStore(tables, new BlobServiceClient(_azurite.ConnectionString));
        await store.EnsureCreatedAsync(CancellationToken.None);
        await LoadTablesAsync(tables, Path.Combine(Repository.Root, "tests", "fixtures", "stored-20ceeae"), TableSnapshotStore.SnapshotsTable);
        var period = new Period(2024, 7);
        var client = tables.GetTableClient(TableSnapshotStore.SnapshotsTable);
        var stored = (await client.GetEntityAsync<TableEntity>(TableSnapshotStore.PartitionOf(period, 1), "C-LONG-ROW")).Value;
        var text = string.Concat(stored.GetString("Figures"), stored.GetString("Figures1"), stored.GetString("Figures2"));
        Assert.True(text.Length > 60_000, $"{text.Length} characters");

        var row = await store.ReadContractAsync(period, 1, "C-LONG-ROW", CancellationToken.None);
        var contract = Assert.Single(await store.ReadContractSnapshotsAsync(period, 1, CancellationToken.None));

        Assert.Equal(text, StoredJson.Write(row!));
        Assert.Equal(240, contract.Lines.Count);
        Assert.Equal("Großhändler \"Ñandú\" \U0001F600 & Söhne", contract.Customer.Name);
        Assert.Equal(StoredMoney.Parse(row!.Figures["backlog"]), (await store.ReadLockedClosingsAsync(period, 1, CancellationToken.None))["C-LONG-ROW"].Backlog);

        // Written again (now with the forward view's figures, zero for this row), it spreads over as many columns as it needs and reads back whole.
        await store.WriteContractsAsync(period, 2, [contract], CancellationToken.None);
        var written = (await client.GetEntityAsync<TableEntity>(TableSnapshotStore.PartitionOf(period, 2), "C-LONG-ROW")).Value;
        var columns = new[] { "Figures", "Figures1", "Figures2", "Figures3", "Figures4" }.TakeWhile(written.ContainsKey).Select(written.GetString).ToList();
        Assert.Equal(StoredJson.Write(ContractRow.From(contract)), string.Concat(columns));
        var again = Assert.Single(await store.ReadContractSnapshotsAsync(period, 2, CancellationToken.None));
        Assert.Equal(contract.Figures, again.Figures);
        Assert.Equal(contract.Lines.Select(l => (l.LineId, l.Figures)), again.Lines.Select(l => (l.LineId, l.Figures)));
    }

    private static async Task<object?> DocumentAsync(TableSnapshotStore store, Period period, int version) =>
        await store.ReadSnapshotDocumentAsync(period, version, CancellationToken.None) is { } stored ? Labelled(stored.Document.ToSnapshot()) : null;

    /// <summary>Term segments by their labels, as b427848 held them (the domain now holds the bucket's name).</summary>
    private static Snapshot Labelled(Snapshot snapshot) => snapshot with
    {
        Totals = [.. snapshot.Totals.Select(t => t with { Segments = [.. t.Segments.Select(s => s with { Value = BucketLabels.SegmentLabel(s.Dimension, s.Value) })] })],
    };

    private static async Task<object?> FiguresAsync(TableSnapshotStore store, Period period, int version) =>
        new SortedDictionary<string, object>(
            (await store.ReadContractFiguresAsync(period, version, CancellationToken.None)).ToDictionary(
                f => f.Key,
                f => (object)new { f.Value.Currency, Figures = FigureColumns.All.Except(ForwardColumns).ToDictionary(c => c.Name, c => c.Value(f.Value.Figures)) }),
            StringComparer.Ordinal);

    private static async Task<string?> ContractAsync(TableSnapshotStore store, Period period, int version, string contractId) =>
        await store.ReadContractAsync(period, version, contractId, CancellationToken.None) is { } row ? StoredJson.Write(row) : null;

    private static async Task<IReadOnlyList<FigureDifference>?> DifferencesAsync(TableSnapshotStore store, Period period, int version)
    {
        return await store.ReadDifferencesAsync(period, version, CancellationToken.None);
    }

    private static List<object?> Messages<T>(string queue)
        where T : class =>
        File.ReadAllLines(Path.Combine(Fixtures, queue + ".messages"))
            .Select(body => typeof(T) == typeof(CloseShardMessage)
                ? QueueMessages.TryRead(body, out CloseShardMessage? shard, out _) ? (object?)shard : null
                : QueueMessages.TryRead(body, out ReportRequestMessage? request, out _) ? request : null)
            .ToList();

    /// <summary>Puts every fixture row, with its property types, and every fixture blob into the emulator.</summary>
    internal static async Task LoadAsync(TableServiceClient tables, BlobServiceClient blobs)
    {
        await LoadTablesAsync(tables, Fixtures, TableSnapshotStore.SnapshotsTable, TableSnapshotStore.PeriodsTable);
        foreach (var container in new[] { TableSnapshotStore.DocumentsContainer, BlobReportStore.ContainerName })
        {
            var client = blobs.GetBlobContainerClient(container);
            await client.CreateIfNotExistsAsync();
            var root = Path.Combine(Fixtures, container);
            foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
            {
                await client.GetBlobClient(Path.GetRelativePath(root, file).Replace('\\', '/')).UploadAsync(BinaryData.FromBytes(await File.ReadAllBytesAsync(file)));
            }
        }
    }

    private static async Task LoadTablesAsync(TableServiceClient tables, string directory, params string[] names)
    {
        foreach (var table in names)
        {
            var client = tables.GetTableClient(table);
            await client.CreateIfNotExistsAsync();
            using var rows = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(directory, table + ".table.json")));
            foreach (var row in rows.RootElement.EnumerateArray())
            {
                var entity = new TableEntity();
                foreach (var property in row.EnumerateObject())
                {
                    var value = property.Value.GetProperty("value");
                    entity[property.Name] = property.Value.GetProperty("type").GetString() switch
                    {
                        "String" => value.GetString(),
                        "Int32" => value.GetInt32(),
                        "Int64" => value.GetInt64(),
                        "Boolean" => value.GetBoolean(),
                        "DateTimeOffset" => DateTimeOffset.Parse(value.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                        var type => throw new InvalidDataException($"fixture property type {type}"),
                    };
                }

                await client.AddEntityAsync(entity);
            }
        }
    }
}

/// <summary>Writes a value type as its text (a period, a currency, a bucket's label): the dump compares values, not their members.</summary>
internal sealed class AsText<T>(Func<T, string> text) : System.Text.Json.Serialization.JsonConverter<T>
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(text(value));

    public override void WriteAsPropertyName(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WritePropertyName(text(value));
}
