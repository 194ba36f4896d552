using Microsoft.AspNetCore.Diagnostics;

namespace BacklogFunctions.Host.Http;

/// <summary>
/// Turns what a client did wrong while sending — a body too slow for Kestrel's minimum data rate, a body cut off,
/// a connection closed mid-request — into its 4xx and one line of log, instead of a 500 and a stack trace.
/// Everything else is left to the default handler (a 500 problem, logged with its exception).
/// </summary>
internal sealed partial class RequestExceptionHandler(IProblemDetailsService problems, ILogger<RequestExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
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

        if (httpContext.Response.HasStarted)
        {
            return true;
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = { Status = status, Title = title, Detail = "the request body was not received in full; send it again" },
        }).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path} refused with {Status} ({Reason})")]
    private static partial void LogRefused(ILogger logger, string method, PathString path, int status, string reason);
}
