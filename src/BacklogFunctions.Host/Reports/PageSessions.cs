using System.Globalization;
using System.Security.Cryptography;
using BacklogFunctions.Host.Endpoints;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace BacklogFunctions.Host.Reports;

/// <summary>How a request to the report page is signed in, if at all.</summary>
internal enum PageAccess
{
    None,

    /// <summary>A valid, unexpired session cookie made by <see cref="PageSessions.SignIn"/>.</summary>
    Session,

    /// <summary>The principal App Service Authentication signed in (only with <c>Reports:TrustEasyAuth</c> behind the host).</summary>
    EasyAuth,
}

/// <summary>How finance signs in to the report page in this deployment.</summary>
internal enum SignInMode
{
    /// <summary>A read key typed into the page's form, exchanged for a short-lived session cookie.</summary>
    ReadKey,

    /// <summary>App Service Authentication (Entra ID) in front of the Functions host.</summary>
    EasyAuth,

    /// <summary>Neither: behind the Functions host without keys of its own and without Easy Auth the page refuses.</summary>
    Unavailable,
}

/// <summary>
/// The report page's sign-in: a correct read key is exchanged for a session cookie (HttpOnly, SameSite=Strict,
/// Path=/api, Secure over HTTPS) whose value is the expiry time protected with ASP.NET Core Data Protection. The
/// key never goes into a URL and neither the key nor the cookie is ever logged.
/// </summary>
internal sealed class PageSessions(IDataProtectionProvider protection, IOptions<ReadApiOptions> readApi, IOptions<ReportsOptions> reports, TimeProvider clock)
{
    public const string CookieName = "backlog-report-session";
    public const string CookiePath = "/api";

    /// <summary>The Data Protection purpose: a cookie cannot be replayed as any other protected payload, nor the reverse.</summary>
    public const string Purpose = "BacklogFunctions.Reports.PageSession.v1";

    /// <summary>Set by App Service Authentication only; App Service drops these headers from client requests when it is enabled.</summary>
    public const string PrincipalIdHeader = "X-MS-CLIENT-PRINCIPAL-ID";

    private const string Version = "v1";

    private readonly IDataProtector _protector = protection.CreateProtector(Purpose);

    public SignInMode Mode =>
        reports.Value.EasyAuth ? SignInMode.EasyAuth
        : readApi.Value.Keys.Count > 0 ? SignInMode.ReadKey
        : SignInMode.Unavailable;

    public TimeSpan Lifetime => TimeSpan.FromMinutes(reports.Value.SessionMinutes);

    /// <summary>Whether the key is a configured read key (constant time, as for the API).</summary>
    public bool Accepts(string? key) => Mode == SignInMode.ReadKey && key is { Length: > 0 } && ReadKeyFilter.Matches(key, readApi.Value.Keys);

    public PageAccess Authenticate(HttpRequest request)
    {
        if (reports.Value.EasyAuth && request.Headers[PrincipalIdHeader].FirstOrDefault() is { Length: > 0 })
        {
            return PageAccess.EasyAuth;
        }

        return Mode == SignInMode.ReadKey && request.Cookies[CookieName] is { Length: > 0 } cookie && IsValid(cookie) ? PageAccess.Session : PageAccess.None;
    }

    /// <summary>Starts a session: the cookie holds its expiry, protected (encrypted and authenticated).</summary>
    public void SignIn(HttpContext context)
    {
        var expires = clock.GetUtcNow() + Lifetime;
        var value = _protector.Protect($"{Version}|{expires.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}");
        context.Response.Cookies.Append(CookieName, value, CookieOptions(context, Lifetime));
    }

    public void SignOut(HttpContext context) => context.Response.Cookies.Delete(CookieName, CookieOptions(context, null));

    /// <summary>
    /// A same-origin signal for a state-changing request: <c>Sec-Fetch-Site: same-origin</c>, or (browsers that do
    /// not send it) an <c>Origin</c> naming this host. Cross-site pages cannot forge either.
    /// </summary>
    public static bool IsSameOrigin(HttpRequest request)
    {
        if (request.Headers["Sec-Fetch-Site"].FirstOrDefault() is { Length: > 0 } site)
        {
            return string.Equals(site, "same-origin", StringComparison.OrdinalIgnoreCase);
        }

        return request.Headers.Origin.FirstOrDefault() is { Length: > 0 } origin && OriginMatches(request, origin);
    }

    /// <summary>True when the browser says the request comes from another site (or names another origin).</summary>
    public static bool IsCrossSite(HttpRequest request)
    {
        if (request.Headers["Sec-Fetch-Site"].FirstOrDefault() is { Length: > 0 } site)
        {
            return !string.Equals(site, "same-origin", StringComparison.OrdinalIgnoreCase) && !string.Equals(site, "none", StringComparison.OrdinalIgnoreCase);
        }

        return request.Headers.Origin.FirstOrDefault() is { Length: > 0 } origin && !OriginMatches(request, origin);
    }

    private static bool OriginMatches(HttpRequest request, string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var parsed) && request.Host.HasValue &&
        string.Equals(parsed.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);

    private bool IsValid(string cookie)
    {
        string payload;
        try
        {
            payload = _protector.Unprotect(cookie);
        }
        catch (CryptographicException)
        {
            // Tampered with, made with another key ring (a restarted instance), or not ours.
            return false;
        }
        catch (FormatException)
        {
            return false;
        }

        var parts = payload.Split('|');
        return parts.Length == 2 && parts[0] == Version &&
               long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var expires) &&
               clock.GetUtcNow() < DateTimeOffset.FromUnixTimeMilliseconds(expires);
    }

    private CookieOptions CookieOptions(HttpContext context, TimeSpan? lifetime) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Path = CookiePath,
        // Behind the Functions host the program sees plain HTTP on loopback; the site itself is HTTPS only.
        Secure = context.Request.IsHttps || readApi.Value.BehindFunctionsHost,
        IsEssential = true,
        MaxAge = lifetime,
    };
}
