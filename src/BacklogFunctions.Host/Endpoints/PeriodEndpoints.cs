using System.Globalization;
using BacklogFunctions.Application.Close;
using BacklogFunctions.Application.Explain;
using BacklogFunctions.Application.Journal;
using BacklogFunctions.Application.Presentation;
using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Host.Close;

using BacklogFunctions.Host.Http;
using Microsoft.Extensions.Options;

namespace BacklogFunctions.Host.Endpoints;

/// <summary>Closed periods and their snapshots, an on-demand snapshot, and "close now". All need a key.</summary>
internal static class PeriodEndpoints
{
    public static void MapPeriodEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/periods", ListAsync).AddEndpointFilter<ReadKeyFilter>();
        app.MapGet("/api/periods/{period}/snapshot", SnapshotAsync).AddEndpointFilter<ReadKeyFilter>();
        app.MapGet("/api/periods/{period}/forecast", ForecastAsync).AddEndpointFilter<ReadKeyFilter>();
        app.MapGet("/api/periods/{period}/journal", JournalAsync).AddEndpointFilter<ReadKeyFilter>();
        app.MapGet("/api/periods/{period}/contracts/{contractId}/explain", ExplainAsync).AddEndpointFilter<ReadKeyFilter>();
        app.MapGet("/api/snapshot", AsOfAsync).AddEndpointFilter<ReadKeyFilter>();
        app.MapPost("/api/close", CloseNowAsync).AddEndpointFilter<ReadKeyFilter>();
        app.MapPost("/api/periods/{period}/restate", RestateAsync).AddEndpointFilter<ReadKeyFilter>();
    }

    private static async Task<IResult> ListAsync(ISnapshotQueries snapshots, CancellationToken cancellationToken)
    {
        var closed = await snapshots.ListClosedAsync(cancellationToken).ConfigureAwait(false);
        var periods = new List<object>(closed.Count);
        foreach (var period in closed)
        {
            var stored = await snapshots.ReadSnapshotDocumentAsync(period.Period, period.Version, cancellationToken).ConfigureAwait(false);
            var versions = await snapshots.ListVersionsAsync(period.Period, cancellationToken).ConfigureAwait(false);
            var answer = new Dictionary<string, object?>
            {
                ["period"] = period.Period.ToString(),
                ["status"] = "closed",
                ["version"] = period.Version,
                ["versions"] = versions.Select(v => new { version = v.Version, closedAt = v.ClosedAt }),
                ["closedAt"] = period.ClosedAt,
                ["contracts"] = period.Contracts,
                ["totals"] = stored is null
                    ? []
                    : stored.Document.Totals.Select(t => new
                    {
                        currency = t.Currency,
                        backlog = t.Figures["backlog"],
                        deferredRevenue = t.Figures["deferredRevenue"],
                        unbilledReceivable = t.Figures["unbilledReceivable"],
                        revenue = t.Figures["revenue"],
                        bookings = t.Figures["bookings"],
                        backlogRatio = t.BacklogRatio,
                        backlogRatioTtm = t.BacklogRatioTtm,
                    }).ToList(),
            };
            if (stored?.Document.Consolidated is { } group)
            {
                answer["consolidated"] = group.MissingRates is { } missing
                    ? new { currency = group.Currency, missingRates = missing }
                    : new
                    {
                        currency = group.Currency,
                        backlog = group.Figures["backlog"],
                        deferredRevenue = group.Figures["deferredRevenue"],
                        unbilledReceivable = group.Figures["unbilledReceivable"],
                        revenue = group.Figures["revenue"],
                        bookings = group.Figures["bookings"],
                        fxEffectBacklog = group.FxEffectBacklog,
                        backlogRatio = group.BacklogRatio,
                        backlogRatioTtm = group.BacklogRatioTtm,
                    };
            }

            periods.Add(answer);
        }

        return Results.Json(new { periods });
    }

    private static async Task<IResult> SnapshotAsync(string period, string? contract, string? version, ISnapshotQueries snapshots, StoredPeriods spans, IOptions<CloseOptions> close, CancellationToken cancellationToken)
    {
        if (!Period.TryParse(period, out var parsed))
        {
            return ReportingPeriod.TryParse(period, close.Value.FiscalYearStartMonth, out var span) && span is not null
                ? await SpanAsync(span, contract, version, spans, cancellationToken).ConfigureAwait(false)
                : QueryValues.Invalid("period", PeriodRule);
        }

        if (!QueryValues.TryVersion(version, out var wantedVersion, out var problem) ||
            (contract is not null && !QueryValues.TryContractId(contract, "contract", out problem)))
        {
            return problem!;
        }

        var versions = await snapshots.ListVersionsAsync(parsed, cancellationToken).ConfigureAwait(false);
        var closed = wantedVersion is { } wanted ? versions.FirstOrDefault(v => v.Version == wanted) : versions.Count > 0 ? versions[^1] : null;
        if (closed is null)
        {
            return Results.Problem(title: "Period not closed", detail: wantedVersion is null ? $"{parsed} is not closed yet" : $"{parsed} has no version {wantedVersion}", statusCode: StatusCodes.Status404NotFound);
        }

        if (contract is not null)
        {
            var row = await snapshots.ReadContractAsync(parsed, closed.Version, contract, cancellationToken).ConfigureAwait(false);
            return row is null
                ? Results.Problem(title: "Unknown contract", detail: $"contract {contract} is not in the snapshot of {parsed}", statusCode: StatusCodes.Status404NotFound)
                : Results.Text(StoredJson.Write(row), "application/json");
        }

        var stored = await snapshots.ReadSnapshotDocumentAsync(parsed, closed.Version, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException($"{parsed} v{closed.Version} is closed but has no snapshot document");
        var document = stored.Document;
        var differences = await snapshots.ReadDifferencesAsync(parsed, closed.Version, cancellationToken).ConfigureAwait(false);
        return TypedResults.Json(
            new PeriodSnapshotAnswer(
                parsed.ToString(),
                closed.Version,
                [.. versions.Select(v => new VersionAnswer(v.Version, v.ClosedAt))],
                closed.ClosedAt,
                differences?.Select(DifferenceEntry.From).ToList(),
                document.AsOf,
                document.Policy,
                document.Totals,
                document.Waterfalls) { OverdueDeliveries = document.OverdueDeliveries, LossContracts = document.LossContracts, Consolidated = document.Consolidated },
            AnswerJson.PeriodSnapshot);
    }

    /// <summary>A quarter or (fiscal) year: built from its closed months, 409 until every one of them is closed.</summary>
    private static async Task<IResult> SpanAsync(ReportingPeriod span, string? contract, string? version, StoredPeriods spans, CancellationToken cancellationToken)
    {
        if (contract is not null || version is not null)
        {
            return QueryValues.Invalid(contract is not null ? "contract" : "version", $"{span} is built from the latest version of each of its months; ask a month for one contract or version");
        }

        var read = await spans.ReadSpanAsync(span, cancellationToken).ConfigureAwait(false);
        if (read.Snapshot is not { } snapshot)
        {
            return Results.Problem(
                title: "Period not closed",
                detail: $"{span} ({span.First} to {span.Last}) is answered when all its months are closed; not closed yet: {string.Join(", ", read.NotClosed)}",
                statusCode: StatusCodes.Status409Conflict);
        }

        var document = SnapshotDocument.From(snapshot);
        return TypedResults.Json(
            new SpanSnapshotAnswer(
                span.Name,
                SpanKind(span.Kind),
                [.. read.Months.Select(m => new MonthVersionAnswer(m.Period.ToString(), m.Version, m.ClosedAt))],
                document.AsOf,
                document.OpeningDate,
                document.Policy,
                document.Totals,
                document.Waterfalls,
                document.OverdueDeliveries) { LossContracts = document.LossContracts, Consolidated = document.Consolidated },
            AnswerJson.SpanSnapshot);
    }

    private static string SpanKind(ReportingPeriodKind kind) => kind switch
    {
        ReportingPeriodKind.Quarter => "quarter",
        ReportingPeriodKind.FiscalYear => "fiscalYear",
        ReportingPeriodKind.FiscalQuarter => "fiscalQuarter",
        _ => "month",
    };

    /// <summary>
    /// The stored forecasts of a closed month (of a quarter or year: of its last month): per currency, and per
    /// contract with <c>detail=contract</c> or for one <c>contract</c>.
    /// </summary>
    private static async Task<IResult> ForecastAsync(string period, string? contract, string? version, string? detail, ISnapshotQueries snapshots, IOptions<CloseOptions> close, CancellationToken cancellationToken)
    {
        Period month;
        if (ReportingPeriod.TryParse(period, close.Value.FiscalYearStartMonth, out var span) && span is not null)
        {
            month = span.Last;
        }
        else
        {
            return QueryValues.Invalid("period", PeriodRule);
        }

        if (!QueryValues.TryVersion(version, out var wantedVersion, out var problem) || (contract is not null && !QueryValues.TryContractId(contract, "contract", out problem)))
        {
            return problem!;
        }

        if (detail is not (null or "summary" or "contract"))
        {
            return QueryValues.Invalid("detail", "detail is summary (the default) or contract");
        }

        var versions = await snapshots.ListVersionsAsync(month, cancellationToken).ConfigureAwait(false);
        var closed = wantedVersion is { } wanted ? versions.FirstOrDefault(v => v.Version == wanted) : versions.Count > 0 ? versions[^1] : null;
        if (closed is null)
        {
            return Results.Problem(title: "Period not closed", detail: wantedVersion is null ? $"{month} is not closed yet" : $"{month} has no version {wantedVersion}", statusCode: StatusCodes.Status404NotFound);
        }

        var stored = await snapshots.ReadSnapshotDocumentAsync(month, closed.Version, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException($"{month} v{closed.Version} is closed but has no snapshot document");
        if (stored.Document.Forecasts is not { } totals)
        {
            return Results.Problem(title: "No forecast stored", detail: $"{month} v{closed.Version} was closed before forecasts were stored; restate it to compute them", statusCode: StatusCodes.Status404NotFound);
        }

        IReadOnlyList<ForecastLineDocument> contracts = [];
        if (contract is not null)
        {
            var row = await snapshots.ReadContractAsync(month, closed.Version, contract, cancellationToken).ConfigureAwait(false);
            if (row?.Forward is not { } forward)
            {
                return Results.Problem(title: "Unknown contract", detail: $"contract {contract} has no forecast in the snapshot of {month}", statusCode: StatusCodes.Status404NotFound);
            }

            contracts = [ForecastLineDocument.From(forward.Forecast.ToLine(row.ContractId, Currency.Of(row.Currency)), month.Next)];
        }
        else if (detail == "contract")
        {
            var rows = await snapshots.ReadContractSnapshotsAsync(month, closed.Version, cancellationToken).ConfigureAwait(false);
            contracts = [.. rows.Where(r => r.Forward is not null).Select(r => ForecastLineDocument.From(r.Forward!.Forecast, month.Next))];
        }

        return TypedResults.Json(new ForecastDocument(EventJson.Iso(stored.Document.AsOf), totals, contracts).WithGroup(stored.Document.Consolidated), ForecastJsonContext.Default.ForecastDocument);
    }

    /// <summary>The journal entries of a closed month's version (journal.md): per currency, or per contract with <c>detail=contract</c>.</summary>
    private static async Task<IResult> JournalAsync(string period, string? detail, string? version, PeriodJournals journals, JournalAccounts accounts, CancellationToken cancellationToken)
    {
        if (!QueryValues.TryPeriod(period, out var month, out var problem) || !QueryValues.TryVersion(version, out var wantedVersion, out problem))
        {
            return problem!;
        }

        if (detail is not (null or "summary" or "contract"))
        {
            return QueryValues.Invalid("detail", "detail is summary (the default) or contract");
        }

        var journal = await journals.ReadAsync(month, wantedVersion, detail == "contract" ? JournalDetail.Contract : JournalDetail.Summary, cancellationToken).ConfigureAwait(false);
        return journal is null
            ? Results.Problem(title: "Period not closed", detail: wantedVersion is null ? $"{month} is not closed yet" : $"{month} has no version {wantedVersion}", statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Json(JournalDocument.From(journal, accounts), JournalJsonContext.Default.JournalDocument);
    }

    /// <summary>
    /// One contract of a closed month's version explained down to its events (journal.md, "Explained figures"), from
    /// the events received by the time that version closed, with <c>addsUp</c> checked against its stored row.
    /// </summary>
    private static async Task<IResult> ExplainAsync(string period, string contractId, string? version, string? format, ContractExplanations explanations, CancellationToken cancellationToken)
    {
        if (!QueryValues.TryPeriod(period, out var month, out var problem) ||
            !QueryValues.TryContractId(contractId, "contractId", out problem) ||
            !QueryValues.TryVersion(version, out var wantedVersion, out problem))
        {
            return problem!;
        }

        if (format is not (null or "json" or "text"))
        {
            return QueryValues.Invalid("format", "format is json (the default) or text");
        }

        var (outcome, explained) = await explanations.ReadAsync(month, wantedVersion, contractId, cancellationToken).ConfigureAwait(false);
        return outcome switch
        {
            ExplainOutcome.NotClosed => Results.Problem(title: "Period not closed", detail: wantedVersion is null ? $"{month} is not closed yet" : $"{month} has no version {wantedVersion}", statusCode: StatusCodes.Status404NotFound),
            ExplainOutcome.NotInPeriod => Results.Problem(title: "Unknown contract", detail: $"contract {contractId} is not in the snapshot of {month}", statusCode: StatusCodes.Status404NotFound),
            _ when format == "text" => Results.Text(Text(explained!), "text/plain; charset=utf-8"),
            _ => TypedResults.Json(explained!.ToDocument(), ExplanationJsonContext.Default.ExplanationDocument),
        };
    }

    /// <summary>The explanation as the command's table, with the version it explains and whether it adds up to the stored row.</summary>
    internal static string Text(ClosedExplanation explained)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        ExplanationFormats.WriteTable(writer, explained);
        return writer.ToString();
    }

    private const string PeriodRule = "a period is a month such as 2026-10, a quarter 2026-Q4, a fiscal year FY2027 or a fiscal quarter FY2027-Q1";

    private static async Task<IResult> AsOfAsync(string? asOf, PeriodCloser closer, CancellationToken cancellationToken)
    {
        if (!QueryValues.TryDay(asOf, "asOf", out var day, out var problem))
        {
            return problem!;
        }

        var snapshot = await closer.SnapshotAsOfAsync(day, cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        SnapshotJson.Write(buffer, snapshot with { Contracts = [] });
        return Results.Bytes(buffer.ToArray(), "application/json");
    }

    private static async Task<IResult> RestateAsync(string period, CloseRunner runner, CancellationToken cancellationToken)
    {
        if (!QueryValues.TryPeriod(period, out var parsed, out var problem))
        {
            return problem!;
        }

        var (acquired, result) = await runner.RestateAsync(parsed, cancellationToken).ConfigureAwait(false);
        if (!acquired)
        {
            return Results.Problem(title: "A close is running", detail: "try again when it has finished", statusCode: StatusCodes.Status409Conflict);
        }

        if (result is not { } restated)
        {
            return Results.Problem(title: "Period not closed", detail: $"{parsed} is not closed; only a closed period can be restated", statusCode: StatusCodes.Status404NotFound);
        }

        return Results.Json(new
        {
            period = parsed.ToString(),
            version = restated.Closed.Version,
            differences = restated.Differences.Select(d => new { contractId = d.ContractId, currency = d.Currency, figure = d.Figure, before = d.Before.ToString(CultureInfo.InvariantCulture), after = d.After.ToString(CultureInfo.InvariantCulture) }),
        });
    }

    private static async Task<IResult> CloseNowAsync(CloseRunner runner, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync("close now", cancellationToken).ConfigureAwait(false);
        return result is null
            ? Results.Problem(title: "A close is running", detail: "another instance is closing; try again when it has finished", statusCode: StatusCodes.Status409Conflict)
            : result.FanOut is { } fanOut
                ? Results.Json(
                    new { closed = Array.Empty<string>(), lastEndedMonth = result.LastEnded?.ToString(), fanOut = new { period = fanOut.Period?.ToString(), shards = fanOut.Shards, sent = fanOut.Sent } },
                    statusCode: fanOut.Period is null ? StatusCodes.Status200OK : StatusCodes.Status202Accepted)
                : Results.Json(new { closed = result.Closed.Select(c => c.Period.ToString()), lastEndedMonth = result.LastEnded?.ToString() });
    }
}
