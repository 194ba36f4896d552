using BacklogFunctions.Application.Close;
using BacklogFunctions.Application.Presentation;
using BacklogFunctions.Domain.Events;
using BacklogFunctions.Host.Endpoints;
using BacklogFunctions.Host.Http;
using Microsoft.AspNetCore.Mvc;

namespace BacklogFunctions.Host.Reports;

/// <summary>
/// The report page and what it needs: its sign-in form, sign-out, its script and styles, and "Render now". None of
/// these takes a key in the URL; in Azure they are <c>authLevel: anonymous</c> functions and the program itself
/// checks the session (or, with <c>Reports:TrustEasyAuth</c>, the App Service Authentication principal).
/// </summary>
internal static partial class ReportPageEndpoints
{
    public const string PagePath = "/api/reports/page";
    public const string EasyAuthLogin = "/.auth/login/aad?post_login_redirect_uri=" + PagePath;
    public const string EasyAuthLogout = "/.auth/logout?post_logout_redirect_uri=" + PagePath;
    private const string HtmlType = "text/html; charset=utf-8";
    private const int MaxFormBytes = 4096;

    private static readonly Lazy<byte[]> Script = new(() => Asset("page.js"));
    private static readonly Lazy<byte[]> Styles = new(() => Asset("page.css"));

    public static void MapReportPageEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(PagePath, PageAsync);
        app.MapGet(PagePath + ".js", (HttpContext context) => AssetResult(context, Script.Value, "text/javascript; charset=utf-8"));
        app.MapGet(PagePath + ".css", (HttpContext context) => AssetResult(context, Styles.Value, "text/css; charset=utf-8"));
        app.MapPost(PagePath + "/sign-in", SignInAsync);
        app.MapPost(PagePath + "/sign-out", SignOut);
        app.MapPost(PagePath + "/{period}/render", ReportEndpoints.RenderAsync).AddEndpointFilter<PageSessionFilter>();
        app.MapGet(PagePath + "/explain", ExplainAsync).AddEndpointFilter<PageSessionFilter>();
    }

    /// <summary>
    /// A contract's explanation for the signed-in page (the "Explain a contract" form and the contract links): the
    /// month's latest version, or <paramref name="version"/>, as the command's text table.
    /// </summary>
    private static async Task<IResult> ExplainAsync([FromQuery] string? month, [FromQuery] string? contract, [FromQuery] string? version, Application.Explain.ContractExplanations explanations, CancellationToken cancellationToken)
    {
        if (!QueryValues.TryPeriod(month, out var period, out var problem) ||
            !QueryValues.TryContractId(contract, "contract", out problem) ||
            !QueryValues.TryVersion(version, out var wanted, out problem))
        {
            return problem!;
        }

        var (outcome, explained) = await explanations.ReadAsync(period, wanted, contract!, cancellationToken).ConfigureAwait(false);
        return outcome switch
        {
            Application.Explain.ExplainOutcome.NotClosed => Results.Problem(title: "Period not closed", detail: $"{period} has no such closed version", statusCode: StatusCodes.Status404NotFound),
            Application.Explain.ExplainOutcome.NotInPeriod => Results.Problem(title: "Unknown contract", detail: $"contract {contract} is not in the snapshot of {period}", statusCode: StatusCodes.Status404NotFound),
            _ => Results.Text(PeriodEndpoints.Text(explained!), "text/plain; charset=utf-8"),
        };
    }

    /// <summary>The page (its forward view of <paramref name="month"/>, yyyy-MM, or the latest closed month), or the way to sign in.</summary>
    private static async Task<IResult> PageAsync(HttpContext context, [FromQuery] string? month, PageSessions sessions, ReportPage page, CancellationToken cancellationToken)
    {
        var access = sessions.Authenticate(context.Request);
        if (access != PageAccess.None)
        {
            return Results.Content(await page.RenderAsync(access, month, cancellationToken).ConfigureAwait(false), HtmlType);
        }

        switch (sessions.Mode)
        {
            case SignInMode.EasyAuth:
                return Results.Redirect(EasyAuthLogin);
            case SignInMode.Unavailable:
                return Results.Content(ReportPage.Unavailable(), HtmlType, statusCode: StatusCodes.Status403Forbidden);
            default:
                if (context.Request.Cookies.ContainsKey(PageSessions.CookieName))
                {
                    // Expired, tampered with or from an earlier key ring: the browser may forget it.
                    sessions.SignOut(context);
                }

                return Results.Content(ReportPage.SignInForm(null), HtmlType);
        }
    }

    private static async Task<IResult> SignInAsync(HttpContext context, PageSessions sessions, ILogger<PageSessions> logger, CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (sessions.Mode == SignInMode.EasyAuth)
        {
            return SeeOther(context, EasyAuthLogin);
        }

        if (sessions.Mode == SignInMode.Unavailable)
        {
            return Results.Content(ReportPage.Unavailable(), HtmlType, statusCode: StatusCodes.Status403Forbidden);
        }

        if (PageSessions.IsCrossSite(request))
        {
            return Results.Problem(title: "Forbidden", detail: "sign in from the report page itself", statusCode: StatusCodes.Status403Forbidden);
        }

        if (!request.HasFormContentType)
        {
            return Results.Content(ReportPage.SignInForm("Sign in with the form."), HtmlType, statusCode: StatusCodes.Status415UnsupportedMediaType);
        }

        if (request.ContentLength is null or > MaxFormBytes)
        {
            return Results.Content(ReportPage.SignInForm("Sign in with the form."), HtmlType, statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        var form = await request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        if (!sessions.Accepts(form["key"].FirstOrDefault()))
        {
            // Neither the key nor anything derived from it is logged.
            LogRefused(logger, context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
            return Results.Content(ReportPage.SignInForm("Sign-in failed. Check the key and try again."), HtmlType, statusCode: StatusCodes.Status401Unauthorized);
        }

        sessions.SignIn(context);
        LogSignedIn(logger, (int)sessions.Lifetime.TotalMinutes);
        return SeeOther(context, PagePath);
    }

    private static IResult SignOut(HttpContext context, PageSessions sessions)
    {
        if (PageSessions.IsCrossSite(context.Request))
        {
            return Results.Problem(title: "Forbidden", detail: "sign out from the report page itself", statusCode: StatusCodes.Status403Forbidden);
        }

        sessions.SignOut(context);
        return SeeOther(context, sessions.Mode == SignInMode.EasyAuth ? EasyAuthLogout : PagePath);
    }

    /// <summary>After a form post the browser asks for the target with GET (no resubmission on reload).</summary>
    private static IResult SeeOther(HttpContext context, string location)
    {
        context.Response.Headers.Location = location;
        return Results.StatusCode(StatusCodes.Status303SeeOther);
    }

    private static IResult AssetResult(HttpContext context, byte[] bytes, string contentType)
    {
        context.Response.Headers.CacheControl = "no-cache";
        return Results.Bytes(bytes, contentType);
    }

    private static byte[] Asset(string name)
    {
        using var stream = typeof(ReportPageEndpoints).Assembly.GetManifestResourceStream("BacklogFunctions.Host.Reports.Assets." + name)
            ?? throw new InvalidOperationException($"the report page's {name} is not embedded in the program");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Report page sign-in refused (wrong read key) from {Remote}")]
    private static partial void LogRefused(ILogger logger, string remote);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "Report page session started for {Minutes} minute(s)")]
    private static partial void LogSignedIn(ILogger logger, int minutes);
}

/// <summary>
/// Requests the page makes for itself: a signed-in page session (cookie or Easy Auth principal) and, since they
/// change state, a same-origin signal — SameSite=Strict is not the only defence against cross-site requests.
/// </summary>
internal sealed class PageSessionFilter(PageSessions sessions) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        Check(context.HttpContext.Request, sessions) ?? await next(context).ConfigureAwait(false);

    /// <summary>Null when the request may go on; otherwise the refusal.</summary>
    public static IResult? Check(HttpRequest request, PageSessions sessions)
    {
        if (sessions.Authenticate(request) == PageAccess.None)
        {
            return Results.Problem(title: "Unauthorized", detail: "sign in on the report page first", statusCode: StatusCodes.Status401Unauthorized);
        }

        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !PageSessions.IsSameOrigin(request))
        {
            return Results.Problem(title: "Forbidden", detail: "a request signed in by the page's session must come from the page itself", statusCode: StatusCodes.Status403Forbidden);
        }

        return null;
    }
}

/// <summary>
/// The report API for API clients and for the signed-in page alike: a read key (as <see cref="ReadKeyFilter"/>), or
/// else a page session with the same-origin rule of <see cref="PageSessionFilter"/> for requests that change state.
/// </summary>
internal sealed class KeyOrPageSessionFilter(Microsoft.Extensions.Options.IOptions<ReadApiOptions> options, PageSessions sessions) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        if (ReadKeyFilter.Allows(request, options.Value))
        {
            return await next(context).ConfigureAwait(false);
        }

        if (sessions.Authenticate(request) == PageAccess.None)
        {
            return ReadKeyFilter.Unauthorized();
        }

        return PageSessionFilter.Check(request, sessions) ?? await next(context).ConfigureAwait(false);
    }
}
