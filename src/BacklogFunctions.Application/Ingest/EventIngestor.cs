using System.Text;
using BacklogFunctions.Application.Events;
using BacklogFunctions.Application.Telemetry;
using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Recognition;

namespace BacklogFunctions.Application.Ingest;

public enum IngestStatus
{
    Accepted,
    Duplicate,
    Invalid,
    Conflict,
}

/// <summary>What happened to one event: accepted, a duplicate, refused with every reason, or a conflict.</summary>
public sealed record IngestResult(IngestStatus Status, string? EventId, string? ContractId, IReadOnlyList<ValidationError> Errors, string? PayloadHash = null)
{
    public static IngestResult Refused(string? eventId, string field, string reason) =>
        new(IngestStatus.Invalid, eventId, null, [new ValidationError(eventId, field, reason)]);
}

/// <summary>
/// The one ingest path for the webhook, the Storage queue and Service Bus: validate completely, then store
/// exactly once. Nothing is stored unless the whole event is valid.
/// </summary>
public sealed class EventIngestor(IEventStore store, TimeProvider clock, BacklogTelemetry? telemetry = null)
{
    private const int PrepareConcurrency = 8;

    public async Task<IngestResult> IngestAsync(ReadOnlyMemory<byte> body, string channel, CancellationToken cancellationToken)
    {
        using var span = BacklogTelemetry.Source.StartActivity("ingest");
        span?.SetTag("backlog.channel", channel);
        var prepared = await PrepareAsync(body, channel, cancellationToken).ConfigureAwait(false);
        var result = prepared.Stored is { } stored
            ? Result(stored, await store.AppendAsync(stored, cancellationToken).ConfigureAwait(false))
            : prepared.Result;
        Record(span, channel, result);
        return result;
    }

    /// <summary>Validates every event, stores the valid ones (batched per contract), and answers per event in order.</summary>
    public async Task<IReadOnlyList<IngestResult>> IngestManyAsync(IReadOnlyList<ReadOnlyMemory<byte>> bodies, string channel, CancellationToken cancellationToken)
    {
        using var span = BacklogTelemetry.Source.StartActivity("ingest batch");
        span?.SetTag("backlog.channel", channel);
        span?.SetTag("backlog.events", bodies.Count);

        // Events are read and checked a few at a time: the contract currency lookups overlap, and so does the
        // CPU of reading. Results keep the batch's order.
        var results = new IngestResult[bodies.Count];
        var prepared = new StoredEvent?[bodies.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = PrepareConcurrency, CancellationToken = cancellationToken };
        await Parallel.ForAsync(0, bodies.Count, options, async (i, ct) =>
        {
            (results[i], prepared[i]) = await PrepareAsync(bodies[i], channel, ct, checkReports: false).ConfigureAwait(false);
        }).ConfigureAwait(false);

        // Reports are judged once every event is read: a signing or amendment earlier in the same batch counts as
        // stored, as it will be when the batch is written.
        var terms = prepared.OfType<StoredEvent>().Select(s => s.Event).Where(e => e is ContractSigned or ContractAmended).ToLookup(e => e.ContractId, StringComparer.Ordinal);
        await Parallel.ForAsync(0, bodies.Count, options, async (i, ct) =>
        {
            if (prepared[i] is { Event: ProgressReported or UsageReported } report &&
                await CheckReportAsync(report.Event, terms[report.Event.ContractId], ct).ConfigureAwait(false) is { Count: > 0 } problems)
            {
                (results[i], prepared[i]) = (Refused(report.Event, problems), null);
            }
        }).ConfigureAwait(false);

        var valid = new List<(int Index, StoredEvent Stored)>();
        for (var i = 0; i < bodies.Count; i++)
        {
            if (prepared[i] is { } stored)
            {
                valid.Add((i, stored));
            }
        }

        var outcomes = await store.AppendManyAsync(valid.Select(v => v.Stored).ToList(), cancellationToken).ConfigureAwait(false);
        for (var j = 0; j < valid.Count; j++)
        {
            results[valid[j].Index] = Result(valid[j].Stored, outcomes[j]);
        }

        foreach (var result in results)
        {
            telemetry?.Ingested(channel, result.Status);
        }

        return results;
    }

    private void Record(System.Diagnostics.Activity? span, string channel, IngestResult result)
    {
        telemetry?.Ingested(channel, result.Status);
        if (span is not null)
        {
            span.SetTag("backlog.event.id", result.EventId);
            span.SetTag("backlog.contract.id", result.ContractId);
            span.SetTag("backlog.outcome", BacklogTelemetry.OutcomeName(result.Status));
        }
    }

    private async Task<(IngestResult Result, StoredEvent? Stored)> PrepareAsync(ReadOnlyMemory<byte> body, string channel, CancellationToken cancellationToken, bool checkReports = true)
    {
        // The body is read into JSON once. Amounts that carry no currency (invoices, credit notes, payments,
        // amendments) are checked against the contract's, when its signing is stored: looked up before validating.
        using var document = EventBody.Open(body.Span);
        var currency = document.Refusal is null && document.NeedsContractCurrency && document.ContractId is { } contractId
            ? await store.FindCurrencyAsync(contractId, cancellationToken).ConfigureAwait(false)
            : null;
        var parsed = EventReader.Read(document, currency);
        if (parsed.Event is not { } e)
        {
            return (new IngestResult(IngestStatus.Invalid, parsed.Errors.Count > 0 ? parsed.Errors[0].EventId : null, null, parsed.Errors), null);
        }

        if (checkReports && e is ProgressReported or UsageReported && await CheckReportAsync(e, [], cancellationToken).ConfigureAwait(false) is { Count: > 0 } problems)
        {
            return (Refused(e, problems), null);
        }

        var stored = new StoredEvent(e, Encoding.UTF8.GetString(body.Span), EventJson.ContentHash(e), channel, clock.GetUtcNow());
        return (new IngestResult(IngestStatus.Accepted, e.Id, e.ContractId, [], stored.PayloadHash), stored);
    }

    /// <summary>
    /// A progress or usage report judged against the contract's stored signing, amendments and progress reports,
    /// and <paramref name="batch"/>'s signings and amendments (<see cref="ReportChecks"/>). A report that is already
    /// stored is never refused: delivered again, it is answered as a duplicate (or a conflict) by the store. A usage
    /// line once confirmed by a stored signing or amendment stays confirmed (stored terms are never taken back), so
    /// usage on it is judged by date alone, without reading the store again.
    /// </summary>
    private async Task<IReadOnlyList<ReportProblem>> CheckReportAsync(ContractEvent report, IEnumerable<ContractEvent> batch, CancellationToken cancellationToken)
    {
        var (lineId, types) = report switch
        {
            ProgressReported p => (p.LineId, ProgressTypes),
            UsageReported u => (u.LineId, UsageTypes),
            _ => throw new ArgumentException("not a report", nameof(report)),
        };
        var key = (report.ContractId, lineId);
        if (report is UsageReported && _usageLines.TryGetValue(key, out var signedDate) && report.BusinessDate >= signedDate)
        {
            return [];
        }

        var stored = (await store.ReadContractAsync(report.ContractId, types, cancellationToken).ConfigureAwait(false)).Select(s => s.Event).ToList();
        var problems = ReportChecks.Against(report, [.. stored, .. batch]);
        if (problems.Count > 0)
        {
            var same = await store.ReadContractAsync(report.ContractId, [report.Type], cancellationToken).ConfigureAwait(false);
            return same.Any(s => s.Event.Key == report.Key) ? [] : problems;
        }

        if (report is UsageReported && stored.OfType<ContractSigned>().FirstOrDefault() is { } signing && ReportChecks.Declares(stored, lineId, RecognitionPattern.Usage))
        {
            if (_usageLines.Count >= MaxConfirmedUsageLines)
            {
                _usageLines.Clear();
            }

            _usageLines[key] = signing.SignedDate;
        }

        return problems;
    }

    private static IngestResult Refused(ContractEvent e, IReadOnlyList<ReportProblem> problems) =>
        new(IngestStatus.Invalid, e.Id, e.ContractId, [.. problems.Select(p => new ValidationError(e.Id, p.Field, p.Reason))]);

    private const int MaxConfirmedUsageLines = 100_000;

    private static readonly string[] ProgressTypes = [EventTypes.ContractSigned, EventTypes.ContractAmended, EventTypes.ProgressReported];

    private static readonly string[] UsageTypes = [EventTypes.ContractSigned, EventTypes.ContractAmended];

    /// <summary>Usage lines confirmed by a stored signing or amendment, with their contract's signing date.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Contract, string Line), DateOnly> _usageLines = new();

    private static IngestResult Result(StoredEvent stored, AppendOutcome outcome)
    {
        var e = stored.Event;
        return outcome.Status switch
        {
            AppendStatus.Stored => new IngestResult(IngestStatus.Accepted, e.Id, e.ContractId, [], stored.PayloadHash),
            AppendStatus.Duplicate => new IngestResult(IngestStatus.Duplicate, e.Id, e.ContractId, [], stored.PayloadHash),
            _ when outcome.ClaimedByContract is { } other => new IngestResult(
                IngestStatus.Conflict,
                e.Id,
                e.ContractId,
                [new ValidationError(e.Id, "id", $"event {e.Key} was already received for contract {other}; (source, id) identifies one event, so this one for contract {e.ContractId} is not stored")],
                stored.PayloadHash),
            _ => new IngestResult(
                IngestStatus.Conflict,
                e.Id,
                e.ContractId,
                [new ValidationError(e.Id, "id", $"event {e.Key} of contract {e.ContractId} was already received with other content (sha256 {outcome.ExistingHash}); the first one is kept")],
                stored.PayloadHash),
        };
    }
}
