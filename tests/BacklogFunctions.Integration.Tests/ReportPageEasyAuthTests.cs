using System.Net;
using BacklogFunctions.Host;
using BacklogFunctions.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Options;

namespace BacklogFunctions.Integration.Tests;

/// <summary>
/// The report page behind the Azure Functions host (<c>ReadApi:TrustFunctionsHost</c>, no read keys of its own):
/// its functions are anonymous, so the program itself decides. It accepts the App Service Authentication principal
/// only when <c>Reports:TrustEasyAuth</c> says Easy Auth is in front, and otherwise refuses; a key never opens it.
/// </summary>
public sealed class ReportPageEasyAuthTests
{
    private const string Principal = "X-MS-CLIENT-PRINCIPAL-ID";

    [Fact]
    public async Task With_easy_auth_the_page_sends_people_to_sign_in_and_accepts_the_platforms_principal()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        await using var app = Build(azurite, trustEasyAuth: true);
        await app.StartAsync();
        using var browser = Browser(app);

        foreach (var path in new[] { "/api/reports/page", "/api/reports/page?code=read-key-0123456789abcdef" })
        {
            using var anonymous = await browser.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
            Assert.Equal("/.auth/login/aad?post_login_redirect_uri=/api/reports/page", anonymous.Headers.Location?.OriginalString);
        }

        using var signedIn = new HttpRequestMessage(HttpMethod.Get, "/api/reports/page");
        signedIn.Headers.Add(Principal, "00000000-0000-0000-0000-00000000f1a0");
        using var page = await browser.SendAsync(signedIn);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("No month is closed yet", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/.auth/logout?post_logout_redirect_uri=/api/reports/page\"", html, StringComparison.Ordinal);
        ReportTests.AssertSecurityHeaders(page, html);

        // The page's "Render now": the principal and a same-origin signal (2019-01 is not closed: 404, not 401/403).
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.SendAsync(Render(principal: false, "same-origin"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.SendAsync(Render(principal: true, "cross-site"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.SendAsync(Render(principal: true, "same-origin"))).StatusCode);

        // There is no key to type in: the form's target sends people to Easy Auth and sets no cookie.
        using var form = await browser.PostAsync("/api/reports/page/sign-in", new FormUrlEncodedContent([new("key", "read-key-0123456789abcdef")]));
        Assert.Equal(HttpStatusCode.SeeOther, form.StatusCode);
        Assert.False(form.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task Without_easy_auth_behind_the_host_the_page_refuses_and_ignores_principal_headers()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        await using var app = Build(azurite, trustEasyAuth: false);
        await app.StartAsync();
        using var browser = Browser(app);

        using var forged = new HttpRequestMessage(HttpMethod.Get, "/api/reports/page?code=read-key-0123456789abcdef");
        forged.Headers.Add(Principal, "00000000-0000-0000-0000-00000000f1a0");
        forged.Headers.Add("x-functions-key", "read-key-0123456789abcdef");
        using var page = await browser.SendAsync(forged);
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("no sign-in configured", html, StringComparison.Ordinal);
        ReportTests.AssertSecurityHeaders(page, html);

        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.SendAsync(Render(principal: true, "same-origin"))).StatusCode);
        using var form = await browser.PostAsync("/api/reports/page/sign-in", new FormUrlEncodedContent([new("key", "read-key-0123456789abcdef")]));
        Assert.Equal(HttpStatusCode.Forbidden, form.StatusCode);
        Assert.False(form.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task Standalone_over_plain_http_the_session_cookie_is_not_secure_and_principal_headers_are_ignored()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        await using var app = BacklogApp.Build(
        [
            "--urls", "http://127.0.0.1:0",
            "--Storage:ConnectionString", azurite.ConnectionString,
            "--Webhook:Secrets:0", "whsec_very_secret_value_123",
            "--ReadApi:Keys:0", "read-key-0123456789abcdef",
            "--Logging:LogLevel:Default", "Warning",
        ]);
        await app.StartAsync();
        using var browser = Browser(app);

        using var forged = new HttpRequestMessage(HttpMethod.Get, "/api/reports/page");
        forged.Headers.Add(Principal, "00000000-0000-0000-0000-00000000f1a0");
        using var form = await browser.SendAsync(forged);
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.Contains("type=\"password\"", await form.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var signIn = await browser.PostAsync("/api/reports/page/sign-in", new FormUrlEncodedContent([new("key", "read-key-0123456789abcdef")]));
        Assert.Equal(HttpStatusCode.SeeOther, signIn.StatusCode);
        var attributes = Assert.Single(signIn.Headers.GetValues("Set-Cookie")).Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(a => a.ToLowerInvariant()).ToList();
        Assert.Contains("httponly", attributes);
        Assert.Contains("samesite=strict", attributes);
        Assert.DoesNotContain("secure", attributes);
    }

    [Fact]
    public async Task Trusting_easy_auth_is_refused_outside_the_functions_host()
    {
        await using var app = BacklogApp.Build(["--urls", "http://127.0.0.1:0", "--Storage:ConnectionString", "UseDevelopmentStorage=true", "--Webhook:Secrets:0", "whsec_very_secret_value_123", "--ReadApi:Keys:0", "read-key-0123456789abcdef", "--Reports:TrustEasyAuth", "true"]);
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("Reports:TrustEasyAuth applies only behind the Azure Functions host", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("481")]
    public async Task Session_minutes_are_validated(string minutes)
    {
        await using var app = BacklogApp.Build(["--urls", "http://127.0.0.1:0", "--Storage:ConnectionString", "UseDevelopmentStorage=true", "--Webhook:Secrets:0", "whsec_very_secret_value_123", "--ReadApi:Keys:0", "read-key-0123456789abcdef", "--Reports:SessionMinutes", minutes]);
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("SessionMinutes", error.Message, StringComparison.Ordinal);
    }

    private static WebApplication Build(AzuriteServer azurite, bool trustEasyAuth) => BacklogApp.Build(
        [
            "--FUNCTIONS_CUSTOMHANDLER_PORT", "0",
            "--Storage:ConnectionString", azurite.ConnectionString,
            "--Webhook:Secrets:0", "whsec_very_secret_value_123",
            "--ReadApi:TrustFunctionsHost", "true",
            "--Reports:TrustEasyAuth", trustEasyAuth ? "true" : "false",
            "--Logging:LogLevel:Default", "Warning",
        ]);

    private static HttpClient Browser(WebApplication app) =>
        new(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri(app.Urls.Single()) };

    private static HttpRequestMessage Render(bool principal, string site)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/reports/page/2019-01/render");
        if (principal)
        {
            request.Headers.Add(Principal, "00000000-0000-0000-0000-00000000f1a0");
        }

        request.Headers.Add("Sec-Fetch-Site", site);
        return request;
    }
}
