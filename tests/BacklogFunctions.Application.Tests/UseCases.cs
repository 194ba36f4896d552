using System.Text;
using BacklogFunctions.Application.Close;
using BacklogFunctions.Application.Consolidation;
using BacklogFunctions.Application.Events;
using BacklogFunctions.Application.Ingest;
using BacklogFunctions.Application.Presentation;
using BacklogFunctions.Application.Tests.InMemory;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Recognition;
using BacklogFunctions.Domain.Snapshots;
using BacklogFunctions.Sample;
using Microsoft.Extensions.Time.Testing;

namespace BacklogFunctions.Application.Tests;

/// <summary>The use cases wired to in-memory ports, as the host wires them to Azure: one company's world.</summary>
public sealed class UseCases
{
    public static readonly SnapshotOptions Options = new() { Proration = ProrationPolicy.Daily, DeferredBasis = DeferredBasis.Billed };

    /// <param name="reporting">The reporting currency the closes consolidate into; null: none.</param>
    /// <param name="rules">The alert rules every close evaluates; null: the documented defaults.</param>
    public UseCases(DateTimeOffset now, Currency? reporting = null, IReadOnlyList<Domain.Alerts.AlertRule>? rules = null)
    {
        Clock = new FakeTimeProvider(now);
        var settings = new CloseSettings(Options, TimeZoneInfo.Utc) { ReportingCurrency = reporting };
        var histories = new ContractHistories(Events);
        var group = new GroupFigures(FxRates, Snapshots, settings);
        Ingestor = new EventIngestor(Events, Clock);
        var alerts = new Alerts.PlanAndAlerts(Targets, Snapshots, new Alerts.AlertSettings(rules ?? Domain.Alerts.AlertRule.Defaults), Outbox);
        Closer = new PeriodCloser(histories, Snapshots, Reports, Clock, settings, group: group, alerts: alerts);
        Sharded = new ShardedClose(histories, Snapshots, Snapshots, Shards, Reports, Clock, settings, group, alerts);
    }

    public InMemoryFxRateStore FxRates { get; } = new();

    public InMemoryTargetStore Targets { get; } = new();

    public InMemoryAlertOutbox Outbox { get; } = new();

    public FakeTimeProvider Clock { get; }

    public InMemoryEventStore Events { get; } = new();

    public InMemorySnapshotStore Snapshots { get; } = new();

    public InMemoryShardQueue Shards { get; } = new();

    public InMemoryReportRequests Reports { get; } = new();

    public EventIngestor Ingestor { get; }

    public PeriodCloser Closer { get; }

    public ShardedClose Sharded { get; }

    /// <summary>A sample company's events as NDJSON lines (contracts from January 2025, 14 months).</summary>
    public static IReadOnlyList<string> Sample(int contracts = 40, int seed = 11) =>
        [.. SampleGenerator.ToNdjson(SampleGenerator.Generate(new SampleSpec(contracts, 14, seed, new Period(2025, 1))))];

    /// <summary>What the offline command computes from the same lines: the reference every close must equal.</summary>
    public static IReadOnlyList<ContractHistory> Offline(IEnumerable<string> lines)
    {
        var stream = EventStream.Read(new StringReader(string.Join('\n', lines)));
        Assert.True(stream.IsValid, string.Join("; ", stream.Errors));
        return stream.Contracts;
    }

    public async Task<IReadOnlyList<IngestResult>> IngestAsync(IEnumerable<string> lines) =>
        await Ingestor.IngestManyAsync([.. lines.Select(l => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(l))], Channels.Webhook, CancellationToken.None);

    /// <summary>Delivers every message on the close-shards queue (and those the deliveries send) until none is left.</summary>
    public async Task<int> DrainShardsAsync(Random? order = null)
    {
        var delivered = 0;
        while (!Shards.Sent.IsEmpty)
        {
            var batch = new List<CloseShardMessage>();
            while (Shards.Sent.TryDequeue(out var message))
            {
                batch.Add(message);
            }

            foreach (var message in order is null ? batch : [.. batch.OrderBy(_ => order.Next())])
            {
                await Sharded.RunShardAsync(message, CancellationToken.None);
                delivered++;
            }
        }

        return delivered;
    }

    /// <summary>The stored document of a period version, read back.</summary>
    public async Task<Snapshot> DocumentAsync(Period period, int version = 1) =>
        (await Snapshots.ReadSnapshotDocumentAsync(period, version, CancellationToken.None) ?? throw new InvalidOperationException($"{period} v{version} has no document")).Document.ToSnapshot();

    /// <summary>Every figure of every currency, by name, rounded to the currency: the same for equal snapshots.</summary>
    public static IReadOnlyDictionary<string, decimal> Figures(Snapshot snapshot) =>
        snapshot.Totals.SelectMany(t => FigureColumns.All.Select(c => (Key: $"{t.Currency.Code}.{c.Name}", Value: t.Currency.Round(c.Value(t.Figures)))))
            .Concat(snapshot.Totals.SelectMany(t => t.BacklogAging.Select(a => (Key: $"{t.Currency.Code}.aging.{a.Key}", Value: t.Currency.Round(a.Value)))))
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
}
