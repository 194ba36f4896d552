namespace BacklogFunctions.Host.Endpoints;

/// <summary>
/// Headers on every answer: <c>X-Content-Type-Options: nosniff</c> always; on HTML answers also a Content
/// Security Policy that allows scripts, styles and requests from this origin only (no inline script or style, no
/// other origin, no framing), <c>Referrer-Policy: no-referrer</c> and <c>Cache-Control: no-store</c>.
/// </summary>
internal static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        context.Response.OnStarting(static state =>
        {
            var response = (HttpResponse)state;
            response.Headers.XContentTypeOptions = "nosniff";
            if (response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true)
            {
                response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
                response.Headers["Referrer-Policy"] = "no-referrer";
                response.Headers.CacheControl = "no-store";
                response.Headers.XFrameOptions = "DENY";
            }

            return Task.CompletedTask;
        }, context.Response);
        await next(context).ConfigureAwait(false);
    });
}
