using Azure;
using Microsoft.AspNetCore.Diagnostics;

namespace BacklogFunctions.Host.Http;

/// <summary>What a route tells a caller when storage is unavailable (endpoint metadata; a general text otherwise).</summary>
internal sealed record StorageUnavailableDetail(string Detail);

/// <summary>
/// The one place where exceptions become answers:
/// <list type="bullet">
/// <item>storage unavailable after the SDK's retries (no response, 408, 429, 5xx): 503 with what to do, and one
/// warning line;</item>
/// <item>what a client did wrong while sending — a body too slow for Kestrel's minimum data rate, a body cut off, a
/// connection closed mid-request: its 4xx and one information line, no stack trace;</item>
/// <item>anything else is left to the default handler (a 500 problem, logged with its exception).</item>
/// </list>
/// </summary>
internal sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    private const string GeneralUnavailableDetail = "Nothing was changed; send the request again.";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is RequestFailedException { Status: 0 or 408 or 429 or >= 500 } storage)
        {
            LogStorageUnavailable(logger, httpContext.Request.Method, httpContext.Request.Path, storage.Status, storage.ErrorCode);
            // The handler runs with the endpoint cleared; the feature keeps the one that failed.
            var endpoint = httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? httpContext.GetEndpoint();
            var detail = endpoint?.Metadata.GetMetadata<StorageUnavailableDetail>()?.Detail ?? GeneralUnavailableDetail;
            return await WriteAsync(httpContext, StatusCodes.Status503ServiceUnavailable, "Storage is unavailable", detail).ConfigureAwait(false);
        }

        var (status, title) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, bad.StatusCode == StatusCodes.Status408RequestTimeout ? "Request body too slow" : "Bad request"),
            Microsoft.AspNetCore.Connections.ConnectionResetException => (StatusCodes.Status400BadRequest, "Request aborted"),
            OperationCanceledException or IOException when httpContext.RequestAborted.IsCancellationRequested => (StatusCodes.Status400BadRequest, "Request aborted"),
            _ => (0, string.Empty),
        };
        if (status == 0)
        {
            return false;
        }

        var reason = $"{title}: {exception.GetType().Name}, {exception.Message}";
        LogRefused(logger, httpContext.Request.Method, httpContext.Request.Path, status, reason);
        if (exception is Microsoft.AspNetCore.Connections.ConnectionResetException || httpContext.RequestAborted.IsCancellationRequested)
        {
            // Nobody is listening any more: nothing to answer, and nothing of the body left to drain.
            httpContext.Abort();
            return true;
        }

        return await WriteAsync(httpContext, status, title, "the request body was not received in full; send it again").ConfigureAwait(false);
    }

    private async ValueTask<bool> WriteAsync(HttpContext httpContext, int status, string title, string detail)
    {
        if (httpContext.Response.HasStarted)
        {
            return true;
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        }).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "{Method} {Path} refused with {Status} ({Reason})")]
    private static partial void LogRefused(ILogger logger, string method, PathString path, int status, string reason);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning, Message = "{Method} {Path}: storage failed after retries (status {Status}, code {ErrorCode}); answered 503")]
    private static partial void LogStorageUnavailable(ILogger logger, string method, PathString path, int status, string? errorCode);
}
