using BacklogFunctions.Application.Alerts;
using BacklogFunctions.Application.Close;
using BacklogFunctions.Application.Presentation;
using BacklogFunctions.Domain.Alerts;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Host.Http;
using Microsoft.Extensions.Options;

namespace BacklogFunctions.Host.Endpoints;

/// <summary>
/// Targets and alerts (alerts.md): <c>PUT /api/targets</c> stores a target file as the next version (all of it, or
/// nothing when any row is wrong), <c>GET /api/targets</c> reads a version back; <c>GET
/// /api/periods/{P}/targets</c> answers plan against actual of a closed month's version (or of a quarter or fiscal
/// year from its closed months), <c>GET /api/periods/{P}/alerts</c> every rule evaluated for a closed month's version.
/// </summary>
internal static partial class TargetEndpoints
{
    public static void MapTargetEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPut("/api/targets", UploadAsync).AddEndpointFilter<ReadKeyFilter>()
            .WithMetadata(new StorageUnavailableDetail("Nothing of the file counts until it is stored whole; send it again."));
        app.MapGet("/api/targets", ReadAsync).AddEndpointFilter<ReadKeyFilter>();
        app.MapGet("/api/periods/{period}/targets", PeriodTargetsAsync).AddEndpointFilter<ReadKeyFilter>();
        app.MapGet("/api/periods/{period}/alerts", PeriodAlertsAsync).AddEndpointFilter<ReadKeyFilter>();
    }

    private static async Task<IResult> UploadAsync(HttpContext context, IOptions<CloseOptions> close, ITargetStore store, TimeProvider clock, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(TargetEndpoints));
        var request = context.Request;
        if (EventEndpoints.MediaType(request.ContentType) != TargetFile.MediaType)
        {
            return Results.Problem(title: "Unsupported content type", detail: $"send the target file as {TargetFile.MediaType} (UTF-8)", statusCode: StatusCodes.Status415UnsupportedMediaType);
        }

        if (await RequestBody.ReadAsync(request, TargetFile.MaxBytes, context.RequestAborted).ConfigureAwait(false) is not { } body)
        {
            return RequestBody.TooLarge(TargetFile.MaxBytes);
        }

        var file = TargetFile.Parse(body, close.Value.FiscalYearStartMonth);
        if (!file.IsValid)
        {
            LogRefused(logger, file.Errors.Count + file.MoreErrors);
            return UploadedFile.Problem(file, "target file");
        }

        var uploadedAt = clock.GetUtcNow();
        var version = await store.AppendAsync(file.Rows, uploadedAt, context.RequestAborted).ConfigureAwait(false);
        LogStored(logger, version, file.Rows.Count);
        return Results.Json(new
        {
            version,
            targets = file.Rows.Count,
            periods = file.Rows.Select(t => t.Period).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            uploadedAt,
        });
    }

    private static async Task<IResult> ReadAsync(string? version, ITargetStore store, CancellationToken cancellationToken)
    {
        if (!QueryValues.TryVersion(version, out var wanted, out var problem))
        {
            return problem!;
        }

        var stored = await store.ReadAsync(wanted, cancellationToken).ConfigureAwait(false);
        return stored is null
            ? Results.Problem(title: "No targets", detail: wanted is null ? "no target file has been uploaded" : $"there is no target version {wanted}", statusCode: StatusCodes.Status404NotFound)
            : Results.Json(new
            {
                version = stored.Version,
                uploadedAt = stored.UploadedAt,
                targets = stored.Targets.Select(t => new { period = t.Period, currency = t.Currency.Code, figure = TargetFigures.NameOf(t.Figure), amount = t.Currency.Format(t.Amount) }),
            });
    }

    private static async Task<IResult> PeriodTargetsAsync(string period, string? version, ISnapshotQueries snapshots, StoredPeriods spans, ITargetStore store, IOptions<CloseOptions> close, CancellationToken cancellationToken)
    {
        if (!Period.TryParse(period, out _) && ReportingPeriod.TryParse(period, close.Value.FiscalYearStartMonth, out var span) && span is not null)
        {
            if (version is not null)
            {
                return QueryValues.Invalid("version", $"{span.Name} is built from the latest version of each of its months; version applies to a month");
            }

            var stored = await spans.ReadSpanAsync(span, cancellationToken).ConfigureAwait(false);
            if (stored.Snapshot is null)
            {
                return Results.Problem(title: "Period not closed", detail: $"{span.Name} is answered once all its months are closed; not closed: {string.Join(", ", stored.NotClosed)}", statusCode: StatusCodes.Status409Conflict);
            }

            // The span is compared with the target version its last month's version was.
            var last = stored.Months[^1];
            var lastDocument = await snapshots.ReadSnapshotDocumentAsync(last.Period, last.Version, cancellationToken).ConfigureAwait(false);
            var plan = lastDocument?.Document.TargetsVersion is { } targetsVersion ? await store.ReadAsync(targetsVersion, cancellationToken).ConfigureAwait(false) : null;
            return Results.Json(new
            {
                period = span.Name,
                months = stored.Months.Select(m => new { period = m.Period.ToString(), version = m.Version }),
                targetsVersion = plan?.Version,
                targets = PlanAndAlerts.ForSpan(stored.Snapshot, plan).Select(TargetResultDocument.From),
            });
        }

        var (closed, document, problem) = await ClosedMonthAsync(period, version, snapshots, cancellationToken).ConfigureAwait(false);
        return problem ?? Results.Json(new
        {
            period = closed!.Period.ToString(),
            version = closed.Version,
            targetsVersion = document!.TargetsVersion,
            targets = document.Targets ?? [],
        });
    }

    private static async Task<IResult> PeriodAlertsAsync(string period, string? version, ISnapshotQueries snapshots, CancellationToken cancellationToken)
    {
        var (closed, document, problem) = await ClosedMonthAsync(period, version, snapshots, cancellationToken).ConfigureAwait(false);
        return problem ?? Results.Json(new
        {
            period = closed!.Period.ToString(),
            version = closed.Version,
            alerts = document!.Alerts ?? [],
        });
    }

    /// <summary>A closed month's version (the latest without <paramref name="version"/>) and its stored document, or the problem.</summary>
    private static async Task<(ClosedPeriod? Closed, SnapshotDocument? Document, IResult? Problem)> ClosedMonthAsync(string period, string? version, ISnapshotQueries snapshots, CancellationToken cancellationToken)
    {
        if (!QueryValues.TryPeriod(period, out var month, out var problem) || !QueryValues.TryVersion(version, out var wanted, out problem))
        {
            return (null, null, problem);
        }

        var versions = await snapshots.ListVersionsAsync(month, cancellationToken).ConfigureAwait(false);
        var closed = wanted is { } w ? versions.FirstOrDefault(v => v.Version == w) : versions.Count > 0 ? versions[^1] : null;
        if (closed is null)
        {
            return (null, null, Results.Problem(title: "Period not closed", detail: wanted is null ? $"{month} is not closed yet" : $"{month} has no version {wanted}", statusCode: StatusCodes.Status404NotFound));
        }

        var stored = await snapshots.ReadSnapshotDocumentAsync(month, closed.Version, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException($"{month} v{closed.Version} is closed but has no snapshot document");
        return (closed, stored.Document, null);
    }

    [LoggerMessage(EventId = 7301, Level = LogLevel.Information, Message = "Target file refused: {Problems} problem(s), nothing stored")]
    private static partial void LogRefused(ILogger logger, int problems);

    [LoggerMessage(EventId = 7302, Level = LogLevel.Information, Message = "Stored target version {Version}: {Targets} target(s)")]
    private static partial void LogStored(ILogger logger, int version, int targets);
}
