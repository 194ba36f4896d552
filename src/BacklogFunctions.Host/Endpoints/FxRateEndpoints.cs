using Azure;
using BacklogFunctions.Application.Close;
using BacklogFunctions.Application.Consolidation;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Host.Http;

namespace BacklogFunctions.Host.Endpoints;

/// <summary>
/// FX rates for consolidation (consolidation.md, "Rates"): <c>PUT /api/fx-rates</c> stores a rate file as one
/// upload (all of it, or nothing when any row is wrong), <c>GET /api/fx-rates</c> reads back what is stored. Both
/// need a key, and a reporting currency (<c>Close:ReportingCurrency</c>).
/// </summary>
internal static partial class FxRateEndpoints
{
    public static void MapFxRateEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPut("/api/fx-rates", UploadAsync).AddEndpointFilter<ReadKeyFilter>()
            .WithMetadata(new StorageUnavailableDetail("Some rates of the file may be stored; send the whole file again (a later upload supersedes an earlier one)."));
        app.MapGet("/api/fx-rates", ListAsync).AddEndpointFilter<ReadKeyFilter>();
    }

    private static async Task<IResult> UploadAsync(HttpContext context, CloseSettings settings, IFxRateStore store, TimeProvider clock, ILoggerFactory loggers)
    {
        if (settings.ReportingCurrency is not { } reporting)
        {
            return NoReportingCurrency();
        }

        var logger = loggers.CreateLogger(typeof(FxRateEndpoints));
        var request = context.Request;
        if (EventEndpoints.MediaType(request.ContentType) != FxRateFile.MediaType)
        {
            return Results.Problem(title: "Unsupported content type", detail: $"send the rate file as {FxRateFile.MediaType} (UTF-8)", statusCode: StatusCodes.Status415UnsupportedMediaType);
        }

        if (await RequestBody.ReadAsync(request, FxRateFile.MaxBytes, context.RequestAborted).ConfigureAwait(false) is not { } body)
        {
            return RequestBody.TooLarge(FxRateFile.MaxBytes);
        }

        var file = FxRateFile.Parse(body, reporting);
        if (!file.IsValid)
        {
            LogRefused(logger, file.Errors.Count + file.MoreErrors);
            return UploadedFile.Problem(file, "rate file", file.TooManyRows ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest);
        }

        var uploadedAt = clock.GetUtcNow();
        try
        {
            await store.AppendAsync(reporting, file.Rows, uploadedAt, context.RequestAborted).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == StatusCodes.Status409Conflict)
        {
            return Results.Problem(
                title: "Rates uploaded at the same instant",
                detail: "rates of the same dates and currencies were stored at this very instant; send the file again",
                statusCode: StatusCodes.Status409Conflict);
        }

        var currencies = file.Rows.Select(r => r.Currency.Code).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        LogStored(logger, file.Rows.Count, currencies.Count, reporting.Code);
        return Results.Json(new
        {
            reportingCurrency = reporting.Code,
            rates = file.Rows.Count,
            currencies,
            from = Day(file.Rows.Min(r => r.Date)),
            to = Day(file.Rows.Max(r => r.Date)),
            uploadedAt,
        });
    }

    private static async Task<IResult> ListAsync(string? from, string? to, string? currency, CloseSettings settings, IFxRateStore store, CancellationToken cancellationToken)
    {
        if (settings.ReportingCurrency is not { } reporting)
        {
            return NoReportingCurrency();
        }

        DateOnly? first = null, last = null;
        IResult? problem = null;
        if ((from is not null && !TryDay(from, "from", out first, out problem)) || (to is not null && !TryDay(to, "to", out last, out problem)))
        {
            return problem!;
        }

        if (first > last)
        {
            return QueryValues.Invalid("to", "to is on or after from");
        }

        Currency? only = null;
        if (currency is not null)
        {
            if (!Currency.TryOf(currency, out only))
            {
                return QueryValues.Invalid("currency", "currency is an upper case ISO 4217 code such as EUR");
            }
        }

        var stored = await store.ReadAsync(reporting, first, last, cancellationToken).ConfigureAwait(false);
        return Results.Json(new
        {
            reportingCurrency = reporting.Code,
            rates = stored
                .Where(s => only is null || s.Rate.Currency == only)
                .Select(s => new { date = Day(s.Rate.Date), currency = s.Rate.Currency.Code, rate = FxRateFile.Format(s.Rate.Rate), uploadedAt = s.UploadedAt }),
        });
    }

    private static bool TryDay(string text, string name, out DateOnly? day, out IResult? problem)
    {
        var ok = QueryValues.TryDay(text, name, out var parsed, out problem);
        day = ok ? parsed : null;
        return ok;
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static IResult NoReportingCurrency() => Results.Problem(
        title: "No reporting currency",
        detail: "FX rates translate into the reporting currency, and none is set: set Close__ReportingCurrency (such as USD) and restart the program",
        statusCode: StatusCodes.Status409Conflict);

    [LoggerMessage(EventId = 2201, Level = LogLevel.Information, Message = "FX rate file refused with {Problems} problem(s); nothing stored")]
    private static partial void LogRefused(ILogger logger, int problems);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Information, Message = "FX rates stored: {Rates} rate(s) of {Currencies} currency(ies) into {Reporting}")]
    private static partial void LogStored(ILogger logger, int rates, int currencies, string reporting);
}
