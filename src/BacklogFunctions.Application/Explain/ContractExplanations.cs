using BacklogFunctions.Application.Close;
using BacklogFunctions.Application.Ingest;
using BacklogFunctions.Application.Presentation;
using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Explain;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Recognition;

namespace BacklogFunctions.Application.Explain;

/// <summary>Why a closed version's explanation is not there.</summary>
public enum ExplainOutcome
{
    Explained,

    /// <summary>The period (or that version of it) is not closed.</summary>
    NotClosed,

    /// <summary>The version has no row for the contract.</summary>
    NotInPeriod,
}

/// <summary>
/// A contract of a closed version explained from the events that version saw, next to its stored row.
/// </summary>
/// <param name="Stored">The figures of the stored contract row.</param>
/// <param name="Differences">The figures where the explanation and the stored row differ; empty when it adds up.</param>
public sealed record ClosedExplanation(
    ClosedPeriod Closed,
    ContractExplanation Explanation,
    IReadOnlyDictionary<EventKey, StoredEvent> Events,
    ExplainedFigures Stored,
    IReadOnlyList<string> Differences)
{
    public bool AddsUp => Differences.Count == 0;

    /// <summary>Where each event came from: its receipt time and stored content hash.</summary>
    public EventOrigin OriginOf(ContractEvent e) =>
        Events.TryGetValue(e.Key, out var s) ? new EventOrigin(s.ReceivedAt, s.PayloadHash) : EventOrigin.Offline(e);

    public ExplanationDocument ToDocument() => ExplanationDocument.From(Explanation, Closed.Period, OriginOf) with
    {
        Version = Closed.Version,
        ClosedAt = Closed.ClosedAt,
        StoredFigures = ExplainedFiguresDocument.From(Stored, Explanation.Currency),
        AddsUp = AddsUp,
        Differences = AddsUp ? null : Differences,
    };
}

/// <summary>
/// Explained figures of closed periods (journal.md): one contract of a closed version, explained from its stored
/// events received at or before the version was closed — what that close saw — with the version's policies, and
/// checked against the contract row the close stored.
/// </summary>
public sealed class ContractExplanations(IEventStore events, ISnapshotQueries snapshots)
{
    /// <summary>The explanation of a contract in a closed version (the latest when <paramref name="version"/> is null).</summary>
    public async Task<(ExplainOutcome Outcome, ClosedExplanation? Explanation)> ReadAsync(Period period, int? version, string contractId, CancellationToken cancellationToken)
    {
        var versions = await snapshots.ListVersionsAsync(period, cancellationToken).ConfigureAwait(false);
        var closed = version is { } wanted ? versions.FirstOrDefault(v => v.Version == wanted) : versions.Count > 0 ? versions[^1] : null;
        if (closed is null)
        {
            return (ExplainOutcome.NotClosed, null);
        }

        var row = await snapshots.ReadContractAsync(period, closed.Version, contractId, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return (ExplainOutcome.NotInPeriod, null);
        }

        var stored = (await events.ReadContractAsync(contractId, cancellationToken).ConfigureAwait(false))
            .Where(s => s.ReceivedAt <= closed.ClosedAt)
            .ToList();
        var history = ContractHistory.Create(contractId, stored.Select(s => s.Event));
        if (history.Signing is null)
        {
            return (ExplainOutcome.NotInPeriod, null);
        }

        var explanation = ContractExplanation.Of(history, period.Previous.LastDay, period.LastDay, closed.Options);
        var byKey = new Dictionary<EventKey, StoredEvent>();
        foreach (var s in stored)
        {
            byKey.TryAdd(s.Event.Key, s);
        }

        var storedFigures = ExplainedFigures.Of(row.ToSnapshot().Figures);
        return (ExplainOutcome.Explained, new ClosedExplanation(closed, explanation, byKey, storedFigures, explanation.Figures.Differences(storedFigures)));
    }
}
