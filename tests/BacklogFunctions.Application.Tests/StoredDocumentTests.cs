using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BacklogFunctions.Application.Close;
using BacklogFunctions.Application.Messages;
using BacklogFunctions.Application.Presentation;
using BacklogFunctions.Application.Reports;

namespace BacklogFunctions.Application.Tests;

/// <summary>
/// The documents and messages as the code at b427848 stored them (<c>tests/fixtures/stored-b427848</c>) read into
/// the typed forms, and the typed forms write them again byte for byte.
/// </summary>
public sealed class StoredDocumentTests
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "fixtures", "stored-b427848");

    [Fact]
    public void A_stored_manifest_reads_and_writes_the_same_bytes()
    {
        var stored = File.ReadAllBytes(Path.Combine(Fixtures, "reports", "2024-05", "v0002", ReportManifest.FileName));

        var manifest = ReportManifest.FromJson(stored);

        Assert.NotNull(manifest);
        Assert.Equal(("2024-05", 2, 2), (manifest.Period, manifest.Version, manifest.Files.Count));
        Assert.Equal(new DateTimeOffset(2024, 6, 3, 9, 31, 12, 345, TimeSpan.Zero), manifest.GeneratedAt);
        Assert.Equal(new ManifestFile("board-pack.pdf", "application/pdf", 123456, new string('b', 64)), manifest.Files[0]);
        Assert.Equal(Encoding.UTF8.GetString(stored), Encoding.UTF8.GetString(manifest.ToJson()));
    }

    [Fact]
    public void Queued_messages_read_and_write_the_same_bodies()
    {
        foreach (var body in File.ReadAllLines(Path.Combine(Fixtures, "close-shards.messages")))
        {
            Assert.True(QueueMessages.TryRead(body, out CloseShardMessage? message, out var error), error);
            Assert.Equal(body, QueueMessages.Write(message!));
        }

        foreach (var body in File.ReadAllLines(Path.Combine(Fixtures, "report-requests.messages")))
        {
            Assert.True(QueueMessages.TryRead(body, out ReportRequestMessage? message, out var error), error);
            Assert.Equal(body, QueueMessages.Write(message!));
        }
    }

    public static TheoryData<string, string> Rows()
    {
        var rows = new TheoryData<string, string>();
        using var table = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Fixtures, "snapshots.table.json")));
        foreach (var row in table.RootElement.EnumerateArray())
        {
            rows.Add(row.GetProperty("PartitionKey").GetProperty("value").GetString() + "/" + row.GetProperty("RowKey").GetProperty("value").GetString(), row.GetProperty("Figures").GetProperty("value").GetString()!);
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void A_stored_contract_row_reads_and_writes_the_same_text(string key, string stored)
    {
        var row = StoredJson.ReadContractRow(stored);

        Assert.Equal(key[(key.IndexOf('/', StringComparison.Ordinal) + 1)..], row.ContractId);
        Assert.Equal(stored, StoredJson.Write(row));
        Assert.Equal(stored, WithoutForwardView(ContractSnapshotJson.Write(ContractSnapshotJson.Read(stored)), indented: false));
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void A_stored_contract_row_reads_to_the_amounts_it_holds(string key, string stored)
    {
        var json = JsonNode.Parse(stored)!;
        var contract = ContractSnapshotJson.Read(stored);
        var closing = StoredJson.ReadContractRow(stored).ToLockedClosing();

        foreach (var column in FigureColumns.All)
        {
            // A figure the row was written without reads as zero.
            Assert.True(contract.Currency.Format(column.Value(contract.Figures)) == ((string?)json["figures"]![column.Name] ?? contract.Currency.Format(0m)), $"{key} {column.Name}");
        }

        Assert.Equal((string)json["figures"]!["contractPositionInflow"]!, contract.Currency.Format(contract.Figures.ContractPositionInflow));
        Assert.Equal(decimal.Parse((string)json["figures"]!["backlog"]!, System.Globalization.CultureInfo.InvariantCulture), closing.Backlog);
        Assert.Equal(json["lines"]!.AsArray().Select(l => (string)l!["backlog"]!), contract.Lines.Select(l => contract.Currency.Format(l.Figures.Backlog)));
    }

    [Fact]
    public void A_row_from_before_lines_kept_their_figures_reads_their_backlog_revenue_and_tcv()
    {
        var json = JsonNode.Parse(Rows().First()[1].ToString()!)!;
        foreach (var line in json["lines"]!.AsArray())
        {
            line!.AsObject().Remove("figures");
            line["backlog"] = "12.34";
            line["revenue"] = "-5.00";
        }

        var contract = ContractSnapshotJson.Read(json.ToJsonString());

        Assert.All(contract.Lines, l => Assert.Equal((12.34m, -5.00m, 0m), (l.Figures.Backlog, l.Figures.Revenue, l.Figures.RecognizedToDate)));
        Assert.Equal(json.ToJsonString(), StoredJson.Write(StoredJson.ReadContractRow(json.ToJsonString())));
    }

    [Fact]
    public void Stored_differences_read_to_their_amounts()
    {
        var stored = File.ReadAllBytes(Path.Combine(Fixtures, "snapshots", "2024-05", "v0002", "differences.json"));

        var document = StoredJson.ReadDifferences(stored);

        Assert.Equal(("2024-05", 2, 1), (document.Period, document.Version, document.ComparedWith));
        Assert.Equal(new FigureDifference("C-000003", "USD", "backlog", 0.00m, 4697.42m), document.Differences[0].ToDifference());
        Assert.Equal(Encoding.UTF8.GetString(stored), Encoding.UTF8.GetString(StoredJson.Write(DifferencesDocument.From(Domain.Money.Period.Parse(document.Period), document.Version, [.. document.Differences.Select(d => d.ToDifference())]))));
    }

    [Theory]
    [InlineData("2024-04", "v0001")]
    [InlineData("2024-05", "v0001")]
    [InlineData("2024-05", "v0002")]
    public void A_stored_snapshot_document_reads_and_writes_the_same_bytes(string period, string version)
    {
        var stored = File.ReadAllBytes(Path.Combine(Fixtures, "snapshots", period, version, "snapshot.json"));

        var document = SnapshotJson.ReadSnapshot(stored);

        Assert.Equal(period, document.Period);
        Assert.Equal(Encoding.UTF8.GetString(stored), Encoding.UTF8.GetString(SnapshotJson.Write(document)));
        using var again = new MemoryStream();
        SnapshotJson.Write(again, document.ToSnapshot());
        Assert.Equal(Encoding.UTF8.GetString(stored), WithoutForwardView(Encoding.UTF8.GetString(again.ToArray()), indented: true));
    }

    [Fact]
    public void A_stored_snapshot_document_reads_to_the_amounts_it_holds()
    {
        var stored = File.ReadAllBytes(Path.Combine(Fixtures, "snapshots", "2024-05", "v0002", "snapshot.json"));
        var json = JsonNode.Parse(stored)!;

        var snapshot = SnapshotJson.ReadSnapshot(stored).ToSnapshot();

        foreach (var (total, node) in snapshot.Totals.Zip(json["totals"]!.AsArray()))
        {
            Assert.All(FigureColumns.All, column => Assert.Equal((string?)node![column.Name] ?? total.Currency.Format(0m), total.Currency.Format(column.Value(total.Figures))));
            Assert.Equal((null, null), (total.Grr, total.Nrr));
            Assert.Equal((string)node!["rollForward"]!["netContractPosition"]!["billings"]!, total.Currency.Format(total.Figures.ContractPositionInflow));
            Assert.Equal(node["backlogAging"]!.AsObject().Select(a => (a.Key, (string)a.Value!)), total.BacklogAging.Select(a => (BucketLabels.Label(a.Key), total.Currency.Format(a.Value))));
            foreach (var (segment, segmentNode) in total.Segments.Zip(node["segments"]!.AsArray()))
            {
                Assert.Equal(((string)segmentNode!["dimension"]!, (string)segmentNode["value"]!, segmentNode.AsObject().ContainsKey("billings")), (segment.Dimension, BucketLabels.SegmentLabel(segment.Dimension, segment.Value), segment.IncludesBilling));
                Assert.Equal((string)segmentNode["backlog"]!, total.Currency.Format(segment.Figures.Backlog));
            }
        }

        Assert.Equal((string)json["waterfalls"]![0]!["months"]![0]!["amount"]!, snapshot.Waterfalls[0].Currency.Format(snapshot.Waterfalls[0].Months[0].Amount));
    }

    [Fact]
    public void A_snapshot_document_with_members_this_version_does_not_know_still_reads()
    {
        var json = JsonNode.Parse(File.ReadAllBytes(Path.Combine(Fixtures, "snapshots", "2024-05", "v0002", "snapshot.json")))!;
        json["writtenBy"] = "a newer version";
        json["totals"]![0]!["aFigureAddedLater"] = "1.00";
        json["totals"]![0]!["segments"]![0]!["anotherFigure"] = "2.00";
        var newer = Encoding.UTF8.GetBytes(json.ToJsonString());

        var document = SnapshotJson.ReadSnapshot(newer);

        Assert.Equal(SnapshotJson.Write(SnapshotJson.ReadSnapshot(File.ReadAllBytes(Path.Combine(Fixtures, "snapshots", "2024-05", "v0002", "snapshot.json")))), SnapshotJson.Write(document));
    }

    [Fact]
    public void A_document_written_before_a_figure_existed_reads_it_as_zero()
    {
        var json = JsonNode.Parse(File.ReadAllBytes(Path.Combine(Fixtures, "snapshots", "2024-05", "v0002", "snapshot.json")))!;
        json["totals"]![0]!.AsObject().Remove("rpoOver24Months");

        var total = SnapshotJson.ReadSnapshot(Encoding.UTF8.GetBytes(json.ToJsonString())).ToSnapshot().Totals[0];

        Assert.Equal(0m, total.Figures.RpoOver24Months);
        Assert.NotEqual(0m, total.Figures.Backlog);
    }

    public static TheoryData<string, string> ShardWaterfalls()
    {
        var rows = new TheoryData<string, string>();
        using var table = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Fixtures, "periods.table.json")));
        foreach (var row in table.RootElement.EnumerateArray())
        {
            if (row.TryGetProperty("Waterfalls", out var waterfalls))
            {
                rows.Add(row.GetProperty("RowKey").GetProperty("value").GetString()!, waterfalls.GetProperty("value").GetString()!);
            }
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(ShardWaterfalls))]
    public void A_stored_shard_waterfall_column_reads_and_writes_the_same_text(string shard, string stored)
    {
        var document = SnapshotJson.ReadWaterfalls(stored);

        Assert.Equal("2024-06", document.Period);
        Assert.Equal(stored, SnapshotJson.Write(document));
        Assert.Equal(stored, SnapshotJson.Write(WaterfallsDocument.From(document.AsOf, Domain.Money.Period.Parse(document.Period!), document.ToWaterfalls())));
        Assert.StartsWith("shard-", shard, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_bucket_has_one_label_and_term_segments_sort_by_value_as_their_labels_do()
    {
        Assert.Equal(["0-90 days", "91-180 days", "181-365 days", "over 365 days"], Domain.Snapshots.AgeBuckets.All.Select(BucketLabels.Label));
        Assert.Equal(["up to 12 months", "13-24 months", "25-36 months", "over 36 months"], Domain.Snapshots.TermBuckets.All.Select(BucketLabels.Label));
        Assert.All(Domain.Snapshots.TermBuckets.All, t => Assert.Equal(t, BucketLabels.Term(BucketLabels.Label(t))));

        // Segments of equal backlog are ordered by value: the names the domain uses must sort as the labels always have.
        var byValue = Domain.Snapshots.TermBuckets.All.OrderBy(Domain.Snapshots.SegmentDimensions.ValueOf, StringComparer.Ordinal);
        var byLabel = Domain.Snapshots.TermBuckets.All.OrderBy(BucketLabels.Label, StringComparer.Ordinal);
        Assert.Equal(byLabel, byValue);
        Assert.All(Domain.Snapshots.TermBuckets.All, t => Assert.Equal(
            Domain.Snapshots.SegmentDimensions.ValueOf(t),
            BucketLabels.SegmentValue(Domain.Snapshots.SegmentDimensions.TermLength, BucketLabels.SegmentLabel(Domain.Snapshots.SegmentDimensions.TermLength, Domain.Snapshots.SegmentDimensions.ValueOf(t)))));
        Assert.Equal("up to 12 months", BucketLabels.SegmentValue("attribute:term", "up to 12 months"));
    }

    /// <summary>
    /// What a document of this version holds beyond what b427848 wrote, for the same snapshot: the forward view's
    /// members, each of them zero, "n/a" or empty (the old document did not know them). Fails on any other value.
    /// </summary>
    private static string WithoutForwardView(string json, bool indented)
    {
        var node = JsonNode.Parse(json)!;
        Strip(node);
        return node.ToJsonString(new JsonSerializerOptions { WriteIndented = indented, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

        static void Strip(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var name in o.Select(m => m.Key).Where(ForwardViewMembers.Contains).ToList())
                    {
                        // The ratios of figures the old document held have values; everything new is nothing.
                        Assert.True(DerivedKpis.Contains(name) || IsNothing(o[name]), $"{name} = {o[name]?.ToJsonString()}");
                        o.Remove(name);
                    }

                    foreach (var (_, value) in o)
                    {
                        Strip(value);
                    }

                    break;
                case JsonArray a:
                    foreach (var item in a)
                    {
                        Strip(item);
                    }

                    break;
            }
        }

        static bool IsNothing(JsonNode? value) => value switch
        {
            JsonObject o => o.All(m => IsNothing(m.Value)),
            JsonArray a => a.Count == 0,
            JsonValue v when v.TryGetValue<string>(out var text) => text == "n/a" || decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture) == 0m,
            _ => false,
        };
    }

    private static readonly HashSet<string> DerivedKpis = ["bookToBill", "backlogConversion", "cancellationRate"];

    private static readonly HashSet<string> ForwardViewMembers =
    [
        .. FigureColumns.All.SkipWhile(c => c.Name != "notYetBilled").Select(c => c.Name),
        FigureColumns.ReceivablesAging, "bookToBill", "backlogConversion", "cancellationRate", "leadTimeDays", "grr", "nrr", "overdueDeliveries",

        // Usage lines came after the stored fixtures too: their figure is zero in every document written before.
        "usageBeyondCommitments",
    ];

    [Fact]
    public void A_contract_row_with_a_bucket_this_version_does_not_know_is_refused_by_name()
    {
        var json = JsonNode.Parse(Rows().First()[1].ToString()!)!;
        json["termLength"] = "up to 99 months";

        var error = Assert.Throws<InvalidDataException>(() => ContractSnapshotJson.Read(json.ToJsonString()));

        Assert.Contains("'up to 99 months' is not a term bucket", error.Message, StringComparison.Ordinal);
    }
}
